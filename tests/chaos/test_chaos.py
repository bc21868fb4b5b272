"""Nothing lost, nothing leaked (#17): faults, kills, hostile records, secrets, forged state.

Every scenario starts from the same seeded, provisioned XS organisation and is compared with one clean,
uninterrupted run (``reference``). Every check is strict: none is marked as an expected failure.
"""

from __future__ import annotations

import hashlib
import json
import pickle
import random
import shutil
import socket
import sqlite3
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.chaos import hostile as hostile_mod
from tests.chaos.conftest import FIGURES, LATER, NOW, SEED, Reference, add, copy_org
from tests.chaos.harness import (
    ROOT,
    TOKEN,
    EmulatorProcess,
    SyncOutcome,
    SyncRunner,
    differences,
    duplicates,
    read_state,
    run_rows,
    scan_for_secrets,
)

pytestmark = [pytest.mark.chaos, pytest.mark.slow, pytest.mark.timeout(2400)]

KILLS = 20
FAULTS = ("throttle=0.04,errors=0.08,drop-before=0.03,drop-after=0.03,delay=0.05,delay-max=0.2,retry-after=1,"
          "operation-errors=0.03")
FAULT_SIZES = {"OSI_PAGE_SIZE": "100", "OSI_BATCH_SIZE": "10"}
"""Small pages and batches under faults: more requests, so more of them meet a fault."""
TIMELINE = "osi_insight"
RUNNING = 107300000  # osi_runstatus "Running" (checked against the schema below)



def _values(state: dict[str, Any]) -> set[str]:
    return set(state) - {TIMELINE}


def _assert_same(expected: dict[str, Any], db: Path, tables: set[str] | None = None) -> None:
    actual = read_state(db)
    compared, problems = differences(expected, actual, tables)
    add("rows_compared", compared)
    assert not problems, "Dataverse state differs from the clean run:\n" + "\n".join(problems)


def _record(outcome: SyncOutcome) -> None:
    if outcome.status in ("raised", "crashed"):
        add("crashes", 1)


# --- (a) every fault the emulator can inject, and the same end state ----------------------------------------

def test_two_clean_runs_agree(reference: Reference, scenario: Path) -> None:
    """The comparison means something only if two clean runs of the same organisation agree."""
    em = EmulatorProcess(scenario, scenario.parent)
    try:
        outcome = SyncRunner(em.url, scenario.parent / "state", scenario.parent, now=NOW).run()
    finally:
        em.stop()
    _record(outcome)
    assert outcome.status == "Succeeded", outcome.summary
    assert outcome.summary["errors"] == []
    _assert_same(reference.state, scenario)


@pytest.fixture(scope="module")
def faulty(reference: Reference, workdir: Path) -> dict[str, Any]:
    """Under every fault: a first run, a run three weeks later (updates and timeline entries), and a no-change
    run; the state after the first two, and the emulator's counters."""
    db = copy_org(reference.template, workdir, "faults")
    em = EmulatorProcess(db, db.parent, faults=FAULTS, seed=SEED)
    try:
        runner = SyncRunner(em.url, db.parent / "state", db.parent, now=NOW, extra_env=FAULT_SIZES)
        first = runner.run()
        after_first = read_state(db)
        runner.now = LATER
        later, unchanged = runner.run(), runner.run()
    finally:
        stats = em.stop()
    runs = (first, later, unchanged)
    for outcome in runs:
        _record(outcome)
    injected = {k: v for k, v in stats.get("faults", {}).items() if k != "delay"}
    add("faults_injected", sum(injected.values()))
    add("batch_operation_faults_injected", sum(v for k, v in injected.items() if k.startswith("operation-")))
    add("delays_injected", stats.get("faults", {}).get("delay", 0))
    add("requests_under_faults", stats.get("total_requests", 0))
    if all(o.status == "Succeeded" for o in runs):
        add("faults_survived", sum(injected.values()))
    return {"db": db, "runs": runs, "after_first": after_first, "stats": stats, "injected": injected}


def test_faults_every_kind_was_injected(faulty: dict[str, Any]) -> None:
    kinds = set(faulty["injected"])
    assert {"429", "drop", "drop-after"} <= kinds and kinds & {"500", "502", "503", "504"}, faulty["injected"]
    # Single operations of a $batch failing alone, before and after their work (#17 item 6).
    operations = {k for k in kinds if k.startswith("operation-")}
    after_work = {k for k in operations if k.endswith("-after")}
    assert after_work and operations - after_work, kinds
    assert faulty["stats"]["faults"].get("delay", 0) > 0


def test_faults_runs_succeed(faulty: dict[str, Any]) -> None:
    for outcome in faulty["runs"]:
        assert outcome.status == "Succeeded", outcome.summary
        assert outcome.summary["errors"] == [] and outcome.summary["records_failed"] == 0


def test_faults_end_states_equal_the_clean_runs(faulty: dict[str, Any], reference: Reference) -> None:
    compared, problems = differences(reference.state, faulty["after_first"])
    add("rows_compared", compared)
    assert not problems, "after the first run:\n" + "\n".join(problems)
    _assert_same(reference.later, faulty["db"], _values(reference.later))


def test_faults_timeline_entries_equal_the_clean_runs(faulty: dict[str, Any], reference: Reference) -> None:
    _assert_same(reference.later, faulty["db"], {TIMELINE})


def _written_values(summary: dict[str, Any]) -> dict[str, int]:
    """What a run wrote, timeline entries aside."""
    return {k: v for k, v in (summary.get("written") or {}).items() if not k.startswith(TIMELINE + ":")}


def test_faults_no_change_run_writes_no_value(faulty: dict[str, Any]) -> None:
    assert _written_values(faulty["runs"][-1].summary) == {}


def test_faults_no_change_run_writes_nothing(faulty: dict[str, Any]) -> None:
    last = faulty["runs"][-1].summary
    assert last.get("records_written") == 0, last.get("written")


# --- (b) kill -9 at random points, then a clean run ---------------------------------------------------------

KILL_SIZES = {"OSI_BATCH_SIZE": "25"}
"""Smaller batches: a load of many requests, so kills land between and inside them."""


def _kill_phase(runner: SyncRunner, rng: random.Random, kills: int, before_load: float) -> list[SyncOutcome]:
    """``kills`` runs killed with SIGKILL: half at a random time before their load (at its first ``$batch`` at the
    latest), half just after their 1st, 2nd or 3rd ``$batch`` (plus up to 0.3 s, so inside the next one too); each
    writes a little, none finishes. A run that finishes leaves the next ones of its phase nothing to load, so a
    kill meant for before the load never waits past the load's start: a fast run would finish a short load."""
    outcomes: list[SyncOutcome] = []
    while sum(o.killed for o in outcomes) < kills and len(outcomes) < 3 * kills:
        during_load = len(outcomes) % 2 == 1
        after = 10 * before_load if during_load else rng.uniform(0.5, before_load)
        jitter = rng.uniform(0.0, 0.3) if during_load else 0.0
        outcomes.append(runner.run_and_kill(after, rng.randint(1, 3) if during_load else 1, jitter))
    return outcomes


@pytest.fixture(scope="module")
def killed(reference: Reference, workdir: Path) -> dict[str, Any]:
    """Half the kills on first runs (full read, every value written), then a run left to finish; half on runs
    three weeks later (updates and timeline entries), then a run left to finish."""
    db = copy_org(reference.template, workdir, "kills")
    rng = random.Random(SEED)
    em = EmulatorProcess(db, db.parent)
    try:
        runner = SyncRunner(em.url, db.parent / "state", db.parent, now=NOW, extra_env=KILL_SIZES)
        first_kills = _kill_phase(runner, rng, KILLS // 2, max(1.0, reference.seconds - 2))
        first = runner.run()
        after_first = read_state(db)
        runner.now = LATER
        later_kills = _kill_phase(runner, rng, KILLS - KILLS // 2, max(1.0, reference.later_seconds - 2))
        final = runner.run()
    finally:
        em.stop()
    outcomes = first_kills + later_kills
    for outcome in [*outcomes, first, final]:
        _record(outcome)
    add("kills", sum(o.killed for o in outcomes))
    add("kills_during_load", sum(o.killed and o.loading for o in outcomes))
    add("runs_finished_before_their_kill", sum(not o.killed for o in outcomes))
    return {"db": db, "first": first, "after_first": after_first, "outcomes": outcomes, "final": final}


def test_kills_the_runs_after_them_succeed(killed: dict[str, Any]) -> None:
    for outcome in (killed["first"], killed["final"]):
        assert outcome.status == "Succeeded", outcome.summary
        assert outcome.summary["errors"] == []
    assert sum(o.killed for o in killed["outcomes"]) == KILLS
    assert sum(o.killed and o.loading for o in killed["outcomes"]) >= KILLS // 3, "too few kills hit a load"


def test_kills_no_duplicates(killed: dict[str, Any]) -> None:
    found = duplicates(killed["db"])
    add("duplicates", sum(found.values()))
    assert found == {}


def test_kills_first_run_values_equal_the_clean_run(killed: dict[str, Any], reference: Reference) -> None:
    compared, problems = differences(reference.state, killed["after_first"])
    add("rows_compared", compared)
    assert not problems, "after the killed first runs:\n" + "\n".join(problems)


def test_kills_record_values_equal_the_clean_run(killed: dict[str, Any], reference: Reference) -> None:
    _assert_same(reference.later, killed["db"], _values(reference.later))


def test_kills_timeline_entries_equal_the_clean_run(killed: dict[str, Any], reference: Reference) -> None:
    _assert_same(reference.later, killed["db"], {TIMELINE})


def test_kills_leave_no_run_row_running(killed: dict[str, Any]) -> None:
    running = [r["osi_key"] for r in run_rows(killed["db"]) if r.get("osi_runstatus") == RUNNING]
    assert running == []


def test_running_is_the_schema_value() -> None:
    from connector import schema

    assert schema.RUN_STATUS.value("Running") == RUNNING


# --- (c) a thousand hostile records -------------------------------------------------------------------------

@dataclass
class HostileRuns:
    db: Path
    hostile: hostile_mod.Hostile
    deleted: list[tuple[str, str]]
    runs: list[SyncOutcome] = field(default_factory=list)


def _delete_while_running(url: str, targets: list[tuple[str, str]], after: float, done: list[tuple[str, str]]) -> None:
    time.sleep(after)
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {TOKEN}"
    for entity_set, record_id in targets:
        r = session.delete(f"{url}/api/data/v9.2/{entity_set}({record_id})", timeout=30)
        if r.status_code == 204:
            done.append((entity_set, record_id))


@pytest.fixture(scope="module")
def hostile_runs(reference: Reference, workdir: Path, azurite: str) -> HostileRuns:
    """The hostile records loaded into a fresh organisation, state in blobs (Azurite); three runs: the first
    with records deleted while it runs, a second that sees the deletes, a third that must change nothing."""
    from emulator.store import Store

    db = copy_org(reference.template, workdir, "hostile")
    store = Store(db)
    try:
        with store.read() as conn:
            sellers = [r[0] for r in conn.execute('SELECT systemuserid FROM "t_systemuser" WHERE isdisabled = 0')]
        hostile = hostile_mod.build(sellers, datetime.fromisoformat(NOW.replace("Z", "+00:00")))
        store.load_org(hostile.org(datetime.fromisoformat(NOW.replace("Z", "+00:00"))))
    finally:
        store.close()
    add("hostile_records", hostile.records)
    em = EmulatorProcess(db, db.parent)
    deleted: list[tuple[str, str]] = []
    result = HostileRuns(db, hostile, deleted)
    try:
        runner = SyncRunner(em.url, db.parent / "state", db.parent, now=NOW, storage=azurite)
        deleter = threading.Thread(target=_delete_while_running,
                                   args=(em.url, hostile.delete_mid_run, reference.seconds / 3, deleted))
        deleter.start()
        result.runs.append(runner.run())
        deleter.join()
        result.runs += [runner.run(), runner.run()]
    finally:
        em.stop()
    for outcome in result.runs:
        _record(outcome)
    return result


def test_hostile_runs_complete(hostile_runs: HostileRuns) -> None:
    for outcome in hostile_runs.runs:
        assert outcome.status in ("Succeeded", "Partial"), outcome.summary.get("error") or outcome.summary


def test_hostile_no_insight_fails(hostile_runs: HostileRuns) -> None:
    for outcome in hostile_runs.runs:
        assert outcome.summary.get("errors") == [], outcome.summary.get("errors")


def test_hostile_every_bad_date_is_named(hostile_runs: HostileRuns) -> None:
    # The run rows keep the first 200 problems of each run (the returned summary only 50).
    named = {(f["table"], f["id"], f["field"]) for row in run_rows(hostile_runs.db)
             for f in json.loads(row.get("osi_errors") or "{}").get("failed", []) if f.get("field")}
    gone = {record_id for _, record_id in hostile_runs.deleted}
    expected = {b for b in hostile_mod.bad_dates(hostile_runs.hostile) if b[1] not in gone}
    assert expected and len(expected) <= 200
    missing = expected - named
    assert not missing, sorted(missing)[:10]
    add("bad_values_named", len(expected))


def test_hostile_deletes_mid_run_were_made(hostile_runs: HostileRuns) -> None:
    assert hostile_runs.deleted, "the deletes meant to land during the first run did not happen"
    add("records_deleted_mid_run", len(hostile_runs.deleted))


def test_hostile_no_change_run_writes_no_value(hostile_runs: HostileRuns) -> None:
    assert _written_values(hostile_runs.runs[-1].summary) == {}


def test_hostile_no_change_run_writes_nothing(hostile_runs: HostileRuns) -> None:
    last = hostile_runs.runs[-1].summary
    assert last.get("records_written") == 0, last.get("written")


# --- (e) forged state: a foreign link and a forged model artifact -----------------------------------------------

class _Trap(BaseHTTPRequestHandler):
    hits: list[tuple[str, bool]] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        _Trap.hits.append((self.path, "Authorization" in self.headers))
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args: Any) -> None:
        return


@pytest.fixture(scope="module")
def trap() -> Iterator[str]:
    """A listener on another loopback port: another origin, which must never be called."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Trap)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _state_files(root: Path, pattern: str) -> list[Path]:
    return sorted(root.rglob(pattern))


@pytest.fixture(scope="module")
def forged(reference: Reference, workdir: Path, trap: str) -> dict[str, Any]:
    """A clean run; its model artifacts replaced by a pickle that creates a file when loaded (the registry's
    checksum column updated to match) and a run; then its checkpoints pointed at another host and a run."""
    db = copy_org(reference.template, workdir, "forged")
    state = db.parent / "state"
    marker = db.parent / "FORGED-ARTIFACT-RAN"
    em = EmulatorProcess(db, db.parent)
    try:
        runner = SyncRunner(em.url, state, db.parent, now=NOW)
        first = runner.run()
        artifacts = _forge_artifacts(state, db, em.url, marker)
        after_artifacts = runner.run()
        forged_streams = _forge_links(state, em.url, trap)
        after_links = runner.run()
        next_run = runner.run()
    finally:
        em.stop()
    for outcome in (first, after_artifacts, after_links, next_run):
        _record(outcome)
    return {"first": first, "after_artifacts": after_artifacts, "after_links": after_links, "next_run": next_run,
            "links": len(forged_streams), "forged_streams": forged_streams, "artifacts": artifacts, "marker": marker}


def _forge_links(state: Path, url: str, trap: str) -> list[str]:
    """Point every stored delta link at ``trap`` (what anyone who can write the state folder or blob can do);
    return the streams forged."""
    streams: list[str] = []
    for manifest in _state_files(state, "manifest.json"):
        data = json.loads(manifest.read_text(encoding="utf-8"))
        for name, link in list(data.get("checkpoints", {}).items()):
            if isinstance(link, str) and link.startswith(url):
                data["checkpoints"][name] = trap + link[len(url):]
                streams.append(name)
        manifest.write_text(json.dumps(data), encoding="utf-8")
    return sorted(streams)


class _Evil:
    """Unpickling this creates a file: proof that loading ran code from storage."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[Any, ...]:
        return (open, (str(self.path), "w"))


def _forge_artifacts(state: Path, db: Path, url: str, marker: Path) -> int:
    payload = pickle.dumps(_Evil(marker), protocol=4)
    digest = hashlib.sha256(payload).hexdigest()
    artifacts = _state_files(state, "models/*")
    for path in artifacts:
        path.write_bytes(payload)
    # Anyone who can write the registry row can set its checksum column: do what such a writer would.
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        ids = [r[0] for r in conn.execute('SELECT osi_scoringmodelid FROM "t_osi_scoringmodel" '
                                          "WHERE osi_artifactsha256 IS NOT NULL")]
    finally:
        conn.close()
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {TOKEN}"
    for record_id in ids:
        r = session.patch(f"{url}/api/data/v9.2/osi_scoringmodels({record_id})", json={"osi_artifactsha256": digest},
                          headers={"If-Match": "*"}, timeout=30)
        assert r.status_code == 204, r.text
    return len(artifacts)


def test_forged_setup_had_something_to_forge(forged: dict[str, Any]) -> None:
    assert forged["first"].status == "Succeeded", forged["first"].summary
    assert forged["links"] > 0 and forged["artifacts"] > 0


def test_a_foreign_link_never_receives_a_request(forged: dict[str, Any]) -> None:
    assert _Trap.hits == []
    after = forged["after_links"]
    # Refused before any request and taken for an expired checkpoint: each forged stream is read in full from the
    # organisation, the run succeeds, and the checkpoints it saves make the next run incremental again.
    assert after.status == "Succeeded" and after.summary["errors"] == [], after.summary
    assert set(after.summary["full_reads"]) >= set(forged["forged_streams"]), after.summary["full_reads"]
    log = after.log.read_text(encoding="utf-8") if after.log else ""
    refused = [name for name in forged["forged_streams"] if f"the checkpoint of {name} points at " in log]
    assert refused == forged["forged_streams"]
    following = forged["next_run"]
    assert following.status == "Succeeded" and following.summary["full_reads"] == [], following.summary
    add("foreign_links_refused", forged["links"])


def test_a_forged_artifact_is_never_loaded(forged: dict[str, Any]) -> None:
    assert not forged["marker"].exists(), "a pickle from the state store ran code"
    add("forged_artifacts_refused", forged["artifacts"])


# --- (d) secrets: every log, file, blob and row -----------------------------------------------------------

PLANTED = {"client secret": "chaos-client-secret-~Q8a7", "certificate password": "chaos-cert-pass-71f3"}


def _failing_msal_runs(workdir: Path, url: str) -> list[SyncOutcome]:
    """Runs configured with a client secret and with a password-protected certificate: no identity provider
    is reachable, so both fail, and their failure must not show the secret."""
    folder = workdir / "msal"
    folder.mkdir(exist_ok=True)
    pem = _encrypted_certificate(folder / "app.pem", PLANTED["certificate password"])
    base = {"OSI_TENANT_ID": "5f1c2a4e-0d3b-4c8e-9a7f-6b2d1e0c9f11",
            "OSI_CLIENT_ID": "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0", "OSI_STATIC_TOKEN": "",
            "OSI_GRAPH_ENABLED": "false"}
    outcomes = []
    for extra in ({"OSI_CLIENT_SECRET": PLANTED["client secret"]},
                  {"OSI_CERTIFICATE_PATH": str(pem), "OSI_CERTIFICATE_PASSWORD": PLANTED["certificate password"]}):
        runner = SyncRunner(url, folder / "state", folder, now=NOW, extra_env={**base, **extra})
        outcomes.append(runner.run(timeout=120))
    return outcomes


def _encrypted_certificate(path: Path, password: str) -> Path:
    from datetime import UTC, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "osi-chaos")])
    start = datetime.now(UTC) - timedelta(days=1)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(start)
            .not_valid_after(start + timedelta(days=30)).sign(key, hashes.SHA256()))
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.BestAvailableEncryption(password.encode()))
    path.write_bytes(pem + cert.public_bytes(serialization.Encoding.PEM))
    return path


def test_no_secret_in_any_log_file_blob_or_row(workdir: Path, reference: Reference, azurite_folder: Path,
                                                faulty: dict[str, Any], killed: dict[str, Any],
                                                hostile_runs: HostileRuns, forged: dict[str, Any]) -> None:
    em = EmulatorProcess(copy_org(reference.template, workdir, "msal-org"), workdir)
    try:
        msal_runs = _failing_msal_runs(workdir, em.url)
    finally:
        em.stop()
    for outcome in msal_runs:
        assert outcome.status == "raised" and "AuthenticationError" in outcome.summary.get("error", ""), \
            outcome.summary
    # The certificate file holds its (encrypted) key, not the password; the planted values are only in env.
    secrets = {"static token": TOKEN, "storage account key": AZURITE_KEY, **PLANTED}
    dbs = sorted(workdir.rglob("*.db"))
    found = scan_for_secrets([workdir, azurite_folder], dbs, secrets)
    files = sum(1 for root in (workdir, azurite_folder) for p in root.rglob("*") if p.is_file())
    add("files_scanned", files)
    add("databases_scanned", len(dbs))
    add("secrets_scanned_for", len(secrets))
    FIGURES["secrets_found"] = len(found)
    assert found == [], found[:10]


# --- Azurite (the blob state store of the hostile scenario) ----------------------------------------------------

AZURITE_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="
"""Azurite's published development key: public, and still the storage key a log must never show."""


@pytest.fixture(scope="module")
def azurite_folder(workdir: Path) -> Path:
    folder = workdir / "azurite"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="module")
def azurite(azurite_folder: Path) -> Iterator[str]:
    binary = ROOT / "node_modules" / ".bin" / "azurite-blob"
    if not binary.exists() and shutil.which("azurite-blob") is None:
        pytest.fail("Azurite is not installed: run `npm install` (make chaos does)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    proc = subprocess.Popen([str(binary if binary.exists() else shutil.which("azurite-blob")), "--silent",
                             "--blobHost", "127.0.0.1", "--blobPort", str(port), "--location", str(azurite_folder),
                             "--disableTelemetry", "--skipApiVersionCheck"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("Azurite did not start")
    yield (f"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AZURITE_KEY};"
           f"BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;")
    proc.terminate()
    proc.wait(timeout=10)

