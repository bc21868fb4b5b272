"""The chaos harness: an emulator in its own process, sync runs in theirs, and Dataverse's state read back.

The emulator runs as ``python -m emulator serve`` (faults from the command line, counters written on exit),
so that killing a sync never kills the organisation it writes to. Each sync runs as
``python -m tests.chaos.worker``: the production composition (settings, credential, transport, clients,
state store) with a fixed ``now``. Dataverse's state is read straight from the emulator's SQLite file:
every ``osi_`` table by its alternate key, and every ``osi_`` column of the standard tables by record id,
without the columns the service stamps itself (``createdon``, ``modifiedon``, versions, GUIDs it made).
"""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from emulator.catalog import Table

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "chaos-static-token-5c1e9d"  # a secret for the scan: it must never appear in a log, file or row
_BATCH_ANSWERED = re.compile(rb"connector\.http\.transport: POST \S*/\$batch -> \d+")
VOLATILE = frozenset({"createdon", "modifiedon", "versionnumber", "_version", "overriddencreatedon"})
"""Columns Dataverse stamps itself: they differ between two runs that wrote the same values."""


def python_env() -> dict[str, str]:
    """The environment for child processes: this repository importable, no inherited OSI_ settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OSI_") and k != "AzureWebJobsStorage"}
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return env


class EmulatorProcess:
    """``python -m emulator serve`` on a free loopback port, with optional faults; counters read on stop.

    Args:
        db: the organisation's SQLite file.
        workdir: where its output and counters go.
        faults: a ``--faults`` spec, or None.
        seed: the fault seed.
    """

    def __init__(self, db: Path, workdir: Path, *, faults: str | None = None, seed: int = 0) -> None:
        self.db = db
        self.stats_path = workdir / f"{db.stem}.stats.json"
        self.log_path = workdir / f"{db.stem}.emulator.log"
        args = [sys.executable, "-m", "emulator", "serve", "--db", str(db), "--port", "0", "--token", TOKEN,
                "--stats", str(self.stats_path)]
        if faults:
            args += ["--faults", faults, "--fault-seed", str(seed)]
        self._log = self.log_path.open("w", encoding="utf-8")
        self._proc = subprocess.Popen(args, cwd=ROOT, env=python_env(), stdout=subprocess.PIPE, stderr=self._log,
                                      text=True)
        assert self._proc.stdout is not None
        first = self._proc.stdout.readline()
        if ": " not in first:
            self.stop()
            raise RuntimeError(f"the emulator did not start: {self.log_path.read_text()[-2000:]}")
        self.url = first.split(": ", 1)[1].strip().removesuffix("/api/data/v9.2/")
        self.stats: dict[str, Any] = {}

    def stop(self) -> dict[str, Any]:
        """Stop serving and return the emulator's counters (requests, statuses, injected faults)."""
        if self._proc.poll() is None:
            self._proc.send_signal(signal.SIGTERM)
            try:
                self._proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self._proc.kill()
                self._proc.wait(timeout=10)
        self._log.close()
        if self.stats_path.exists():
            self.stats = json.loads(self.stats_path.read_text(encoding="utf-8"))
        return self.stats


@dataclass
class SyncOutcome:
    """What one sync process did."""

    returncode: int | None
    summary: dict[str, Any] = field(default_factory=dict)
    killed: bool = False
    seconds: float = 0.0
    log: Path | None = None
    loading: bool = False
    """Whether the run had begun its load (killed runs: whether the kill came during the load)."""

    @property
    def status(self) -> str:
        """The run's status (``Succeeded``, ``Partial``, ``Failed``) or ``killed`` / ``crashed``."""
        if self.killed:
            return "killed"
        return str(self.summary.get("status") or "crashed")


class SyncRunner:
    """Starts ``python -m tests.chaos.worker`` against one emulator with one state folder.

    Args:
        url: the emulator's URL.
        state: the state folder (local store), or None with ``storage`` set.
        workdir: where each run's log goes.
        now: the runs' reference time (ISO 8601).
        storage: an Azure Storage connection string (state in blobs) instead of the folder.
        extra_env: more environment (page and batch sizes).
    """

    def __init__(self, url: str, state: Path, workdir: Path, *, now: str, storage: str | None = None,
                 extra_env: Mapping[str, str] | None = None) -> None:
        self.url, self.state, self.workdir, self.now = url, state, workdir, now
        self.storage = storage
        self.extra_env = dict(extra_env or {})
        self.runs = 0

    def _env(self) -> dict[str, str]:
        env = python_env()
        env.update({"OSI_DATAVERSE_URL": self.url, "OSI_STATIC_TOKEN": TOKEN, "OSI_GRAPH_ENABLED": "true",
                    "OSI_GRAPH_URL": self.url, "OSI_STATE_DIR": str(self.state), "OSI_PAGE_SIZE": "500",
                    "OSI_BATCH_SIZE": "50", "OSI_RETRY_BUDGET_SECONDS": "300", **self.extra_env})
        if self.storage:
            env["AzureWebJobsStorage"] = self.storage
        return env

    def start(self) -> tuple[subprocess.Popen[str], Path]:
        """Start one run; the caller waits or kills it."""
        self.runs += 1
        log = self.workdir / f"sync-{self.runs:03d}.log"
        proc = subprocess.Popen([sys.executable, "-m", "tests.chaos.worker", "--now", self.now, "--log", str(log)],
                                cwd=ROOT, env=self._env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                text=True)
        return proc, log

    def run(self, *, timeout: float = 600) -> SyncOutcome:
        """One run to its end."""
        started = time.monotonic()
        proc, log = self.start()
        out, _ = proc.communicate(timeout=timeout)
        (self.workdir / f"{log.stem}.out").write_text(out, encoding="utf-8")
        return SyncOutcome(proc.returncode, _summary(out), seconds=time.monotonic() - started, log=log)

    def run_and_kill(self, after: float, batches: int, jitter: float) -> SyncOutcome:
        """One run, killed with SIGKILL ``after`` seconds after it started, or ``jitter`` seconds after its
        ``batches``-th ``$batch`` write was answered, whichever comes first (unless it ended before).

        The run's stdout is drained by a thread, so a chatty run never blocks on a full pipe while it waits.
        """
        started = time.monotonic()
        proc, log = self.start()
        chunks: list[str] = []
        reader = threading.Thread(target=lambda: chunks.append(proc.stdout.read() if proc.stdout else ""),
                                  daemon=True)
        reader.start()
        deadline = started + after
        watch = LoadWatch(log)
        triggered = False
        while proc.poll() is None:
            now = time.monotonic()
            if not triggered and watch.poll() >= batches:
                triggered, deadline = True, min(deadline, now + jitter)
            if now >= deadline:
                break
            time.sleep(0.01)
        killed = proc.poll() is None
        if killed:
            proc.kill()  # kill -9: no cleanup, no finally blocks, no atexit
        proc.wait()
        reader.join(timeout=30)
        out = "".join(chunks)
        (self.workdir / f"{log.stem}.out").write_text(out, encoding="utf-8")
        return SyncOutcome(proc.returncode, {} if killed else _summary(out), killed=killed,
                           seconds=time.monotonic() - started, log=log, loading=LoadWatch(log).poll() > 0)


class LoadWatch:
    """Reads a run's log as it grows and counts the ``$batch`` requests its load has sent (answered)."""

    def __init__(self, log: Path) -> None:
        self._log = log
        self._offset = 0
        self._partial = b""
        self.batches = 0

    @property
    def loading(self) -> bool:
        """Whether the load has begun (one ``$batch`` answered)."""
        return self.batches > 0

    def poll(self) -> int:
        """Read the lines added since the last call; return the ``$batch`` requests answered so far."""
        if not self._log.exists():
            return self.batches
        with self._log.open("rb") as fh:
            fh.seek(self._offset)
            data = fh.read()
        self._offset += len(data)
        lines = (self._partial + data).split(b"\n")
        self._partial = lines.pop()
        self.batches += sum(1 for line in lines if _BATCH_ANSWERED.search(line))
        return self.batches


def _summary(out: str) -> dict[str, Any]:
    for line in reversed(out.splitlines()):
        if line.startswith("{"):
            try:
                parsed = json.loads(line)
            except ValueError:
                continue
            if isinstance(parsed, dict):
                return parsed
    return {}


# --- Dataverse's state, read from the emulator's SQLite file -----------------------------------------------

def _tables(conn: sqlite3.Connection) -> dict[str, Table]:
    rows = conn.execute("SELECT definition FROM _emu_catalog").fetchall()
    return {t.logical: t for t in (Table.from_json(json.loads(d)) for (d,) in rows)}


def _rows(conn: sqlite3.Connection, table: Table) -> Iterator[dict[str, Any]]:
    cur = conn.execute(f'SELECT * FROM "{table.sql_name}"')
    names = [d[0] for d in cur.description]
    for row in cur:
        yield dict(zip(names, row, strict=True))


def _key_columns(table: Table) -> list[str]:
    for key in table.keys.values():
        return sorted(key["KeyAttributes"])
    return [table.primary_id]


def read_state(db: Path) -> dict[str, dict[str, dict[str, Any]]]:
    """Every value we own in Dataverse: ``{table: {key: {column: value}}}``.

    ``osi_`` tables by their alternate key (the GUIDs Dataverse made for them differ between runs),
    standard tables by record id with their ``osi_`` columns only, ``osi_syncrun`` left out (one row per run).
    """
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        tables = _tables(conn)
        own_ids = {t.logical: t.primary_id for t in tables.values() if t.logical.startswith("osi_")}
        state: dict[str, dict[str, dict[str, Any]]] = {}
        for name, table in sorted(tables.items()):
            if table.is_view or name == "osi_syncrun":
                continue
            custom = name.startswith("osi_")
            columns = [c for c in table.columns if c.startswith("osi_")] if not custom else None
            if not custom and not columns:
                continue
            key_cols = _key_columns(table) if custom else [table.primary_id]
            out: dict[str, dict[str, Any]] = {}
            for row in _rows(conn, table):
                key = "|".join(str(row.get(k)) for k in key_cols)
                values = {k: v for k, v in row.items() if (columns is None or k in columns)
                          and k not in VOLATILE and k != own_ids.get(name) and not k.endswith("__lt")}
                out[key] = values
            state[name] = out
        return state
    finally:
        conn.close()


def duplicates(db: Path) -> dict[str, int]:
    """Rows sharing an alternate key (per ``osi_`` table), and timeline entries repeating the same fact."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        found: dict[str, int] = {}
        for name, table in _tables(conn).items():
            if not name.startswith("osi_") or table.is_view:
                continue
            counts = Counter("|".join(str(r.get(k)) for k in _key_columns(table)) for r in _rows(conn, table))
            extra = sum(n - 1 for n in counts.values() if n > 1)
            if extra:
                found[name] = extra
        return found
    finally:
        conn.close()


def run_rows(db: Path) -> list[dict[str, Any]]:
    """The ``osi_syncrun`` rows (status as its option value)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        table = _tables(conn)["osi_syncrun"]
        return list(_rows(conn, table))
    finally:
        conn.close()


def differences(expected: Mapping[str, Mapping[str, Any]], actual: Mapping[str, Mapping[str, Any]],
                tables: set[str] | None = None, limit: int = 10) -> tuple[int, list[str]]:
    """Rows compared and the first ``limit`` differences (table, key, column), for an assertion message."""
    compared = 0
    problems: list[str] = []
    for name in sorted(set(expected) | set(actual)):
        if tables is not None and name not in tables:
            continue
        want, got = expected.get(name, {}), actual.get(name, {})
        for key in sorted(set(want) | set(got)):
            compared += 1
            if key not in got:
                problems.append(f"{name}[{key}] missing")
            elif key not in want:
                problems.append(f"{name}[{key}] unexpected")
            elif want[key] != got[key]:
                cols = sorted(c for c in set(want[key]) | set(got[key]) if want[key].get(c) != got[key].get(c))
                problems.append(f"{name}[{key}] differs in {', '.join(cols[:5])}")
    return compared, problems[:limit] + ([f"... {len(problems) - limit} more"] if len(problems) > limit else [])


def count_differences(expected: Mapping[str, Mapping[str, Any]], actual: Mapping[str, Mapping[str, Any]],
                      tables: set[str] | None = None) -> int:
    """How many rows differ (missing, unexpected or changed)."""
    total = 0
    for name in set(expected) | set(actual):
        if tables is not None and name not in tables:
            continue
        want, got = expected.get(name, {}), actual.get(name, {})
        total += sum(1 for key in set(want) | set(got) if want.get(key) != got.get(key))
    return total


# --- secrets -----------------------------------------------------------------------------------------------

def scan_for_secrets(roots: list[Path], dbs: list[Path], secrets: Mapping[str, str]) -> list[str]:
    """Every place (file, or database table and column) that holds one of ``secrets``.

    Files are searched as bytes, plain and in UTF-16 (as some tools write); database text columns row by row.
    """
    needles = {name: [value.encode(), value.encode("utf-16-le")] for name, value in secrets.items() if value}
    found: list[str] = []
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            data = path.read_bytes()
            found += [f"{path}: {name}" for name, forms in needles.items() if any(f in data for f in forms)]
    for db in dbs:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
            for table in names:
                for row in conn.execute(f'SELECT * FROM "{table}"'):
                    text = "\x00".join(str(v) for v in row if v is not None)
                    found += [f"{db}:{table}: {name}" for name, value in secrets.items() if value and value in text]
        finally:
            conn.close()
    return found
