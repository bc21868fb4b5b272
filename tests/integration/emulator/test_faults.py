"""Fidelity: throttling (429 + Retry-After + service-protection body), 5xx, latency, dropped connections,
counters, bulk load and the ``serve`` command."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from emulator.faults import Chaos, Faults
from emulator.org import DemoOrg
from emulator.server import Emulator

from .conftest import Api

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]


def test_throttle_after_n_requests_in_sliding_window(em, api, clock):
    em.faults.throttle(route=r"/accounts", after=3, window_seconds=300, retry_after=2)
    assert [api.get("accounts").status_code for _ in range(3)] == [200, 200, 200]
    r = api.get("accounts")
    assert r.status_code == 429
    assert r.headers["Retry-After"] == "2"
    assert r.json() == {"error": {"code": "0x80072322", "message": "Number of requests exceeded the limit of 6000 "
                                  "over time window of 300 seconds."}}
    assert api.get("contacts").status_code == 200  # other routes are not throttled
    clock.advance(seconds=301)
    assert api.get("accounts").status_code == 200
    assert em.counters.snapshot()["faults"] == {"429": 1}


def test_fail_times_then_recover(em, api):
    em.faults.fail(route=r"/contacts", status=503, times=2)
    assert [api.get("contacts").status_code for _ in range(3)] == [503, 503, 200]
    em.faults.fail(route=r"\$batch", status=500, times=1)
    r = api.session.post(api.base + "$batch", data=b"", headers={"Content-Type": "multipart/mixed; boundary=b"})
    assert r.status_code == 500 and set(r.json()["error"]) == {"code", "message"}


def test_latency_and_clear(clock):
    slept: list[float] = []
    with Emulator(clock=clock, sleep=slept.append) as em:
        api = Api(em)
        em.faults.latency(route=r"/accounts", seconds=0.3)
        assert api.get("accounts").status_code == 200
        assert slept == [0.3] and em.counters.snapshot()["delayed_seconds"] == 0.3
        em.faults.clear()
        api.get("accounts")
        assert slept == [0.3]  # no rule, no delay


def test_drop_closes_the_connection_without_an_answer(em, api):
    em.faults.drop(route=r"/accounts", times=1)
    with pytest.raises(requests.ConnectionError):
        requests.get(api.base + "accounts", headers={"Authorization": f"Bearer {em.token}"}, timeout=10)
    assert api.get("accounts").status_code == 200
    assert em.counters.snapshot()["faults"]["drop"] == 1


def test_graph_paths_throttle_with_graph_shape(em):
    em.faults.throttle(route=r"^/v1\.0/", after=0, retry_after=5)
    r = requests.get(em.url + "/v1.0/users", headers={"Authorization": f"Bearer {em.token}"}, timeout=10)
    assert r.status_code == 429 and r.headers["Retry-After"] == "5"
    assert r.json()["error"]["code"] == "TooManyRequests"


def test_counters_count_requests_bytes_and_writes(em, api):
    api.create("accounts", {"name": "A"})
    api.get("accounts")
    api.get("Nope")
    snap = em.counters.snapshot()
    assert snap["requests"] == {"POST accounts": 1, "GET accounts": 1, "GET Nope": 1}
    assert snap["writes"] == {"accounts": 1}
    assert snap["bytes_out"]["GET accounts"] > 0 and snap["total_requests"] == 3
    assert snap["statuses"] == {"204": 1, "200": 1, "404": 1}
    em.counters.reset()
    assert em.counters.snapshot()["total_requests"] == 0


def test_load_org_bulk_loads_lookups_versions_and_parties(em, api):
    user = "11111111-1111-1111-1111-111111111111"
    contact = "22222222-2222-2222-2222-222222222222"
    email = "33333333-3333-3333-3333-333333333333"
    org = DemoOrg(now=datetime(2026, 1, 1, tzinfo=UTC), tables={
        "systemuser": [{"systemuserid": user, "firstname": "Sam", "lastname": "Seller", "isdisabled": False}],
        "contact": [{"contactid": contact, "firstname": "Ann", "lastname": "Lee",
                     "ownerid": {"id": user, "logicalname": "systemuser"}, "createdon": "2025-01-01T00:00:00Z",
                     "modifiedon": "2025-02-01T00:00:00Z"}],
        "email": [{"activityid": email, "subject": "Hi", "directioncode": False, "senton": "2025-02-01T10:00:00Z",
                   "regardingobjectid": {"id": contact, "logicalname": "contact"}}],
        "activityparty": [{"activitypartyid": "44444444-4444-4444-4444-444444444444",
                           "activityid": {"id": email, "logicalname": "email"},
                           "partyid": {"id": contact, "logicalname": "contact"}, "participationtypemask": 1}],
    })
    em.store.load_org(org)
    assert em.store.count("contact") == 1 and em.store.count("activityparty") == 1
    body = api.get(f"contacts({contact})", headers={"Prefer": 'odata.include-annotations="*"'}).json()
    assert body["fullname"] == "Ann Lee" and body["_ownerid_value"] == user
    assert body["modifiedon"] == "2025-02-01T00:00:00Z"
    assert body["_ownerid_value@OData.Community.Display.V1.FormattedValue"] == "Sam Seller"
    mail = api.get(f"emails({email})?$expand=email_activity_parties").json()
    assert mail["senton"] == "2025-02-01T10:00:00Z" and mail["directioncode"] is False
    assert mail["email_activity_parties"][0]["_partyid_value"] == contact
    with pytest.raises(ValueError, match="unknown column 'bogus'"):
        em.store.load_org(DemoOrg(now=org.now, tables={"account": [{"accountid": user, "bogus": 1}]}))


def test_serve_command_prints_url_and_token(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "emulator", "serve", "--db", str(tmp_path / "o.sqlite"),
                             "--port", "0", "--token", "secret-t"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        lines = [proc.stdout.readline() for _ in range(3)]
        base = lines[0].split(": ", 1)[1].strip()
        assert base.endswith("/api/data/v9.2/") and "secret-t" in lines[2]
        r = requests.get(base + "WhoAmI", headers={"Authorization": "Bearer secret-t"}, timeout=10)
        assert r.status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_load_org_rejects_invalid_datetimes_naming_record_and_field(em):
    bad = DemoOrg(now=datetime(2026, 1, 1, tzinfo=UTC), tables={"opportunity": [
        {"opportunityid": "55555555-5555-5555-5555-555555555555", "name": "Deal",
         "estimatedclosedate": "4849437-07-03"}]})
    with pytest.raises(ValueError, match="opportunity row 55555555-.*'estimatedclosedate'.*not a valid date-time"):
        em.store.load_org(bad)
    assert em.store.count("opportunity") == 0
    good = DemoOrg(now=bad.now, tables={"opportunity": [
        {"opportunityid": "55555555-5555-5555-5555-555555555555", "name": "Deal", "estimatedclosedate": "2026-04-01"}]})
    em.store.load_org(good)


def test_throttle_on_a_schedule(em, api):
    em.faults.throttle_every(route=r"/leads", every=3, retry_after=1)
    statuses = [api.get("leads").status_code for _ in range(7)]
    assert statuses == [200, 200, 429, 200, 200, 429, 200]
    with pytest.raises(ValueError):
        em.faults.throttle_every(every=0)


def test_concurrency_limit(em, api):
    from concurrent.futures import ThreadPoolExecutor

    em.faults.latency(route=r"/tasks", seconds=0.4)
    em.faults.concurrency(route=r"/tasks", limit=2, retry_after=3)

    def call(_: int) -> requests.Response:
        return requests.get(api.base + "tasks", headers={"Authorization": f"Bearer {em.token}"}, timeout=10)

    with ThreadPoolExecutor(max_workers=5) as pool:
        answers = list(pool.map(call, range(5)))
    throttled = [r for r in answers if r.status_code == 429]
    assert 1 <= len(throttled) <= 3 and len(answers) - len(throttled) >= 2
    assert throttled[0].json()["error"]["code"] == "0x80072326" and throttled[0].headers["Retry-After"] == "3"
    assert call(0).status_code == 200


def test_chaos_draws_are_seeded_and_cover_every_fault(clock):
    def outcomes(seed: int) -> list[tuple[object, ...]]:
        faults = Faults(clock)
        faults.chaos(Chaos.parse("throttle=0.1,errors=0.2,drop-before=0.1,drop-after=0.1,delay=0.2"), seed=seed)
        return [(d.status, d.drop, d.drop_after, round(d.delay, 6))
                for d in (faults.decide("/api/data/v9.2/accounts") for _ in range(400))]

    first = outcomes(7)
    assert first == outcomes(7) and first != outcomes(8)
    statuses = {status for status, *_ in first}
    assert {429, 500, 502, 503, 504} <= statuses
    assert any(drop for _, drop, _, _ in first) and any(after for _, _, after, _ in first)
    assert any(delay > 0 for *_, delay in first)


@pytest.mark.parametrize("spec", ["bogus=1", "errors=x", "errors=0.7,throttle=0.5", "delay=-1"])
def test_chaos_spec_errors_are_named(spec):
    with pytest.raises(ValueError):
        Chaos.parse(spec)


def test_drop_after_processing_does_the_write_but_never_answers(em, api):
    em.faults.chaos(Chaos(drop_after=1.0), seed=1, route=r"/accounts$")
    with pytest.raises(requests.ConnectionError):
        requests.post(api.base + "accounts", json={"name": "written"}, timeout=10,
                      headers={"Authorization": f"Bearer {em.token}"})
    em.faults.clear()
    names = [a["name"] for a in api.get("accounts?$select=name").json()["value"]]
    assert names == ["written"] and em.counters.snapshot()["faults"]["drop-after"] == 1


def _serve(tmp_path, *extra: str) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen([sys.executable, "-m", "emulator", "serve", "--db", str(tmp_path / "o.sqlite"),
                             "--port", "0", "--token", "t", "--stats", str(tmp_path / "stats.json"), *extra],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    base = proc.stdout.readline().split(": ", 1)[1].strip()
    return proc, base


def test_serve_faults_from_the_command_line(tmp_path):
    proc, base = _serve(tmp_path, "--faults", "errors=1", "--fault-seed", "3", "--fault-route", "/accounts")
    try:
        headers = {"Authorization": "Bearer t"}
        statuses = {requests.get(base + "accounts", headers=headers, timeout=10).status_code for _ in range(30)}
        assert statuses == {500, 502, 503, 504}
        assert requests.get(base + "WhoAmI", headers=headers, timeout=10).status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    stats = json.loads((tmp_path / "stats.json").read_text())
    assert sum(stats["faults"].values()) == 30 and stats["total_requests"] == 31


def test_serve_throttles_with_retry_after_and_drops(tmp_path):
    proc, base = _serve(tmp_path, "--faults", "throttle=1,retry-after=4", "--fault-route", "/leads")
    try:
        r = requests.get(base + "leads", headers={"Authorization": "Bearer t"}, timeout=10)
        assert r.status_code == 429 and r.headers["Retry-After"] == "4"
        assert r.json()["error"]["code"] == "0x80072322"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    proc, base = _serve(tmp_path, "--faults", "drop-before=1", "--fault-route", "/leads")
    try:
        with pytest.raises(requests.ConnectionError):
            requests.get(base + "leads", headers={"Authorization": "Bearer t"}, timeout=10)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.mark.parametrize(("keep_alive", "connections"), [(True, 1), (False, 20)])
def test_connections_are_kept_alive_between_requests(clock, keep_alive, connections):
    with Emulator(clock=clock, keep_alive=keep_alive) as em:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {em.token}"
        for i in range(10):
            assert session.get(f"{em.url}/api/data/v9.2/accounts", timeout=10).status_code == 200
            # A write whose answer comes before its body is read would poison a kept connection: none does.
            r = session.post(f"{em.url}/api/data/v9.2/accounts", json={"name": f"A{i}"}, timeout=10)
            assert r.status_code == 204
        snap = em.counters.snapshot()
        assert snap["connections"] == connections and snap["total_requests"] == 20


def test_an_unread_body_does_not_poison_a_kept_connection(clock):
    with Emulator(clock=clock) as em:
        session = requests.Session()
        # 401 is answered before the body matters; the body must still be consumed.
        r = session.post(f"{em.url}/api/data/v9.2/accounts", data=b'{"name": "x"}' * 1000, timeout=10)
        assert r.status_code == 401
        r = session.get(f"{em.url}/api/data/v9.2/accounts", headers={"Authorization": f"Bearer {em.token}"},
                        timeout=10)
        assert r.status_code == 200 and em.counters.snapshot()["connections"] == 1



def _batch_parts(api, items) -> list[str]:
    from .test_batch import parts, send

    r = send(api, items, prefer="odata.continue-on-error")
    assert r.status_code == 200
    return parts(r)[1]


def _status(part: str) -> int:
    return int(re.search(r"HTTP/1.1 (\d{3})", part).group(1))


def _names(api) -> list[str]:
    return sorted(a["name"] for a in api.get("accounts?$select=name").json()["value"])


def test_one_operation_of_a_batch_fails_alone_before_or_after_its_work(em, api):
    from .test_batch import _request

    create = [_request("POST", "/api/data/v9.2/accounts", {"name": n}) for n in ("One", "Two", "Three")]
    em.faults.fail_operations(route=r"/accounts$", status=500, times=1)
    got = _batch_parts(api, create)
    assert [_status(p) for p in got] == [500, 204, 204]
    assert "0x80040216" in got[0]
    assert _names(api) == ["Three", "Two"]  # the failed operation was not done; the rest of the batch was
    em.faults.fail_operations(route=r"/accounts$", status=429, times=1, retry_after=4, after_done=True)
    got = _batch_parts(api, create[:1])
    assert [_status(p) for p in got] == [429] and "Retry-After: 4" in got[0]
    assert _names(api) == ["One", "Three", "Two"]  # done, although its answer is a failure
    assert em.counters.snapshot()["faults"] == {"operation-500": 1, "operation-429-after": 1}


def test_chaos_fails_single_operations_seeded(clock):
    def outcomes(seed: int) -> list[tuple[object, ...]]:
        faults = Faults(clock)
        faults.chaos(Chaos.parse("operation-errors=0.3"), seed=seed)
        return [(d.status, d.after_done) for d in (faults.decide_operation("accounts(osi_key='k')")
                                                   for _ in range(200))]

    first = outcomes(3)
    assert first == outcomes(3) and {s for s, _ in first} == {None, 429, 500, 503}
    assert {after for s, after in first if s is not None} == {True, False}
    assert Faults(clock).decide("/api/data/v9.2/$batch").status is None


def test_the_client_sends_again_only_the_failed_operations(em, api):
    from connector.auth import StaticTokenCredential
    from connector.dataverse import BatchOperation, DataverseClient
    from connector.http import RetryPolicy, Transport

    ids = [api.create("accounts", {"name": f"A{i}"}) for i in range(4)]
    em.faults.fail_operations(route=f"accounts\\({ids[1]}\\)", status=500, times=2)
    em.faults.fail_operations(route=f"accounts\\({ids[2]}\\)", status=503, times=1, after_done=True)
    transport = Transport(retry=RetryPolicy(backoff_base=0.01, backoff_max=0.05))
    client = DataverseClient(em.url, StaticTokenCredential(em.token), transport=transport)
    try:
        results = client.submit_batch([BatchOperation.update("accounts", i, {"name": f"B{n}"})
                                       for n, i in enumerate(ids)])
    finally:
        transport.close()
    assert [r.status_code for r in results] == [204] * 4
    assert _names(api) == ["B0", "B1", "B2", "B3"]
    # 4 operations, then the two that failed, then the one that failed twice.
    assert em.counters.snapshot()["batch_operations"] == 4 + 2 + 1
