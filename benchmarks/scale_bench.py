"""Benchmark the sync at scale on the emulator: extract rate against the raw serve rate, peak memory, and a
first run killed again and again converging.

Usage: ``python benchmarks/scale_bench.py [--sizes S M] [--kill-every 20] [--partition-records 0 5000]
[--only-run] [--workdir .osi/scale]``

For each size it seeds an organisation (``python -m emulator seed``), serves it in a separate process and
provisions it. Then, each in a process of its own so its peak resident memory is its own:

1. ``raw``: (after one unreported read that warms the emulator's database pages) a plain ``requests`` loop
   reads every stream the sync reads (same ``$select``, same
   ``Prefer`` headers, 5,000-row pages, the standard JSON decoder), one stream after another: the rate at
   which the emulator serves pages to a client that does nothing with them;
2. ``extract``: the connector's extract of the same streams into canonical frames (staged in a state
   folder, as a run does);
3. ``raw`` again, so the extract is compared with the mean of a raw read before and after it (``--only-extract``
   measures only these three);
4. ``run``: a whole first run (extract, compute, load), with its peak memory, and the peak of each phase and of
   each insight (resident memory sampled every 0.2 s; each insight's span marked as it computes, and
   ``<insight> after`` from its end to the next one's start: its checkpoint and the memory handed back;
   ``--only-run`` measures only this; ``--partition-records 0 5000`` makes one first run per value of
   ``OSI_PARTITION_RECORDS``, each on a fresh copy of the organisation as seeded, in the same call);
5. with ``--kill-every SECONDS``: a first run in a fresh state folder, killed (SIGKILL) every that many
   seconds and started again until one invocation ends, each invocation as of the wall clock when it starts
   (the run must resume as of the first one's time); then a fresh run with no snapshot as of that first
   time, which must find nothing to write: the killed run converged to the same insights.

It prints one JSON object per size. Figures vary with the machine and its load; compare those measured in
the same call (the ratios), not across calls.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psutil
import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from served_org import serve  # noqa: E402

from connector.auth import StaticTokenCredential  # noqa: E402
from connector.dataverse.api import prefer  # noqa: E402
from connector.dataverse.client import DataverseClient  # noqa: E402
from connector.graph.client import GraphClient  # noqa: E402
from connector.http import Transport  # noqa: E402
from connector.pipeline.registry import Registry  # noqa: E402
from connector.pipeline.run import RunOptions, run_sync  # noqa: E402
from connector.provision import provision  # noqa: E402
from connector.sync.extract import extract  # noqa: E402
from connector.sync.page_walks import FORMATTED  # noqa: E402
from connector.sync.snapshot import Snapshot  # noqa: E402
from connector.sync.staging import Staging  # noqa: E402
from connector.sync.state import LocalStateStore  # noqa: E402
from connector.sync.streams import PARTY_SELECT, STREAMS  # noqa: E402

TOKEN = "osi-bench-token"
PAGE = 5000
MAX_INVOCATIONS = 30
"""A killed first run that has not converged after this many invocations is reported as not converging."""


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _client(url: str) -> tuple[DataverseClient, GraphClient]:
    transport = Transport(timeout=300)
    credential = StaticTokenCredential(TOKEN)
    return DataverseClient(url, credential, transport=transport), GraphClient(url, credential, transport=transport)


def phase_raw(url: str) -> dict[str, Any]:
    """Read every stream with a plain requests loop; rows and seconds."""
    session = requests.Session()
    session.headers.update({"Authorization": f"Bearer {TOKEN}", "Accept": "application/json",
                            "OData-MaxVersion": "4.0", "OData-Version": "4.0"})
    base = f"{url}/api/data/v9.2/"
    reads = [(s.entity_set, ",".join(s.all_columns),
              prefer(page_size=PAGE, track_changes=True, annotations=FORMATTED if s.choice_columns else None))
             for s in STREAMS]
    reads.append(("activityparties", ",".join(PARTY_SELECT), prefer(page_size=PAGE)))
    rows = pages = 0
    started = time.perf_counter()
    for entity_set, select, headers in reads:
        next_url: str | None = f"{base}{entity_set}?$select={select}"
        while next_url:
            response = session.get(next_url, headers=headers, timeout=300)
            response.raise_for_status()
            body = json.loads(response.content)
            rows += len(body["value"])
            pages += 1
            next_url = body.get("@odata.nextLink")
    seconds = time.perf_counter() - started
    return {"rows": rows, "pages": pages, "seconds": round(seconds, 2), "rows_per_s": round(rows / seconds),
            "peak_rss_mb": round(_peak_mb())}


def phase_extract(url: str, state_dir: Path, workers: int) -> dict[str, Any]:
    """The connector's extract of the same streams into canonical frames, staged in ``state_dir``."""
    client, _ = _client(url)
    shutil.rmtree(state_dir, ignore_errors=True)
    snap = Snapshot()
    started = time.perf_counter()
    result = extract(client, snap, page_size=PAGE, streams=STREAMS, staging=Staging(LocalStateStore(state_dir), 0),
                     workers=workers)
    seconds = time.perf_counter() - started
    rows = sum(result.rows_read.values())
    return {"rows": rows, "seconds": round(seconds, 2), "rows_per_s": round(rows / seconds), "workers": workers,
            "peak_rss_mb": round(_peak_mb())}


class _RssSampler:
    """Samples this process's resident memory every ``every`` seconds, to tell which phase set the peak."""

    def __init__(self, every: float = 0.2) -> None:
        self.samples: list[tuple[float, int]] = []
        self._every, self._stop = every, threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        proc = psutil.Process()
        while not self._stop.wait(self._every):
            self.samples.append((time.perf_counter(), proc.memory_info().rss))

    def __enter__(self) -> _RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def peaks(self, started: float, spans: list[tuple[str, float]]) -> dict[str, int]:
        """Peak RSS (MB) in each consecutive span (name, seconds) from ``started``."""
        out, at = {}, started
        for name, seconds in spans:
            peak = self.peak_between(at, at + seconds)
            if peak is not None:
                out[name] = peak
            at += seconds
        return out

    def peak_between(self, start: float, end: float) -> int | None:
        """Peak RSS (MB) sampled from ``start`` to ``end`` (``perf_counter`` times); ``None`` without a sample."""
        inside = [rss for t, rss in self.samples if start <= t < end]
        return round(max(inside) / 2**20) if inside else None


class _Marked:
    """The registry's producers, each compute call marked with its start and end (``perf_counter``), so the
    peak of each insight and of what follows it until the next one starts (its checkpoint, the memory handed
    back) are told apart from the samples, not inferred from the run's timings."""

    def __init__(self, registry: Registry) -> None:
        self.spans: list[tuple[str, float, float]] = []
        self.registry = replace(registry, producers=tuple(replace(p, compute=self._marked(p.name, p.compute))
                                                          for p in registry.producers))

    def _marked(self, name: str, compute: Callable[..., Any]) -> Callable[..., Any]:
        def run(*args: Any) -> Any:
            started = time.perf_counter()
            try:
                return compute(*args)
            finally:
                self.spans.append((name, started, time.perf_counter()))
        return run

    def peaks(self, sampler: _RssSampler, compute_end: float) -> dict[str, int]:
        """Per insight: the peak while it computed, and (``<name> after``) until the next insight started."""
        out: dict[str, int] = {}
        for i, (name, start, end) in enumerate(self.spans):
            after_end = self.spans[i + 1][1] if i + 1 < len(self.spans) else compute_end
            for key, peak in ((name, sampler.peak_between(start, end)),
                              (f"{name} after", sampler.peak_between(end, after_end))):
                if peak is not None:
                    out[key] = peak
        return out


def phase_run(url: str, state_dir: Path, now: datetime, options: RunOptions | None = None) -> dict[str, Any]:
    """One sync run as of ``now`` with the state in ``state_dir``; the peak resident memory of each phase and of
    each insight (sampled; the phases follow one another from the run's start)."""
    client, graph = _client(url)
    opts = options or RunOptions(batch_size=200)
    marked = _Marked(opts.registry)
    started = time.perf_counter()
    with _RssSampler() as sampler:
        summary = run_sync(client, LocalStateStore(state_dir), now=now, graph=graph,
                           options=replace(opts, registry=marked.registry))
    t = summary.timings
    phases: list[tuple[str, float]] = [(k, t[k]) for k in ("extract", "compute", "diff", "load", "commit") if k in t]
    compute_end = started + t.get("extract", 0.0) + t.get("compute", 0.0)
    written = {k: v for k, v in sorted(summary.written.items()) if not k.startswith("osi_syncrun")}
    as_of = summary.as_of.isoformat() if summary.as_of else None
    return {"status": summary.status, "errors": summary.errors, "as_of": as_of,
            "wall_seconds": round(time.perf_counter() - started, 1),
            "seconds": {k: round(v, 1) for k, v in summary.timings.items() if "." not in k},
            "seconds_by_insight": {k.split(".", 1)[1]: round(v, 1) for k, v in t.items() if k.startswith("compute.")},
            "rows_written": sum(written.values()), "written": written, "notes": summary.notes,
            "peak_rss_mb": round(_peak_mb()), "peak_rss_mb_by_phase": sampler.peaks(started, phases),
            "peak_rss_mb_by_insight": marked.peaks(sampler, compute_end)}


def _phase(args: list[str]) -> dict[str, Any]:
    out = subprocess.run([sys.executable, __file__, "--phase", *args], check=True, capture_output=True, text=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def _serve(db: Path) -> tuple[subprocess.Popen[str], str]:
    return serve(db, TOKEN)


def _killed_run(url: str, state_dir: Path, now: datetime, every: float) -> dict[str, Any]:
    """A first run killed every ``every`` seconds until one invocation ends, each invocation as of the time it
    starts (``now`` moved on by the seconds elapsed); then a fresh run (no snapshot, same data, as of the first
    invocation's time) must find nothing to write."""
    shutil.rmtree(state_dir, ignore_errors=True)
    kills, started = 0, time.perf_counter()
    for _ in range(MAX_INVOCATIONS):
        at = now + timedelta(seconds=round(time.perf_counter() - started))
        proc = subprocess.Popen([sys.executable, __file__, "--phase", "run", url, str(state_dir), at.isoformat()],
                                stdout=subprocess.PIPE, text=True)
        try:
            out, _ = proc.communicate(timeout=every)
            last = json.loads(out.strip().splitlines()[-1])
            break
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.communicate()
            kills += 1
    else:
        return {"converged": False, "kills": kills}
    fresh = state_dir.with_name(state_dir.name + "-fresh")
    shutil.rmtree(fresh, ignore_errors=True)
    if (state_dir / "models").exists():
        # The registry in Dataverse names the trained models: a fresh snapshot, the same models.
        shutil.copytree(state_dir / "models", fresh / "models")
    check = _phase(["run", url, str(fresh), now.isoformat()])
    # Timeline entries (osi_insight) are not read back, so every run upserts its live ones again by their key.
    rewritten = {k: v for k, v in check["written"].items() if k != "osi_insight:upsert"}
    return {"kill_every_seconds": every, "kills": kills, "converged": last["status"] == "Succeeded",
            "as_of_first_invocation": last["as_of"] == now.isoformat(),
            "fresh_run_rows_written_besides_timeline": sum(rewritten.values()),
            "total_seconds": round(time.perf_counter() - started, 1), "last_invocation": last,
            "fresh_run_rows_written": check["rows_written"], "fresh_run": check}


def _first_runs(size: str, workdir: Path, db: Path, now: datetime, partitions: list[int]) -> dict[str, Any]:
    """A first run per partition setting, each on its own copy of the seeded organisation (as seeded: no run wrote
    to it), served and provisioned afresh, with a fresh state folder; keyed ``partition_records=N``."""
    out = {}
    for records in partitions:
        copy = workdir / f"scale-{size}-p{records}.db"
        shutil.copyfile(db, copy)
        state = workdir / f"state-{size}-p{records}"
        shutil.rmtree(state, ignore_errors=True)
        proc, url = _serve(copy)
        try:
            provision(_client(url)[0])
            run = _phase(["run", url, str(state), now.isoformat(), str(records)])
        finally:
            proc.terminate()
            proc.wait(timeout=30)
        copy.unlink()
        print(f"{size} first run, partition_records={records}: peak {run['peak_rss_mb']} MB", file=sys.stderr,
              flush=True)
        out[f"partition_records={records}"] = run
    return out


def bench(size: str, workdir: Path, kill_every: float | None, workers: int, only_run: bool = False,
          partitions: list[int] | None = None, only_extract: bool = False) -> dict[str, Any]:
    """Seed, serve, provision and measure one size."""
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / f"scale-{size}.db"
    for old in workdir.glob(f"scale-{size}*.db*"):
        old.unlink()
    shutil.rmtree(workdir / f"state-{size}", ignore_errors=True)  # a first run: no snapshot
    now = datetime.now(UTC).replace(microsecond=0)
    subprocess.run([sys.executable, "-m", "emulator", "seed", "--db", str(db), "--size", size, "--seed", "1",
                    "--now", (now - timedelta(hours=1)).isoformat()], check=True, stdout=subprocess.DEVNULL)
    out: dict[str, Any] = {"size": size}
    if only_run:
        out["first_runs"] = _first_runs(size, workdir, db, now, partitions or [0])
        return out
    if partitions:
        # Before the extract's phases, which write nothing: every first run starts from the organisation as seeded.
        out["first_runs"] = _first_runs(size, workdir, db, now, partitions)
    proc, url = _serve(db)
    try:
        provision(_client(url)[0])
        # A first read warms the emulator's database pages (unreported): the first read of a freshly seeded
        # organisation was 1.8x slower than the next, which made any ratio to it meaningless.
        _phase(["raw", url])
        raw_before = _phase(["raw", url])
        print(f"{size} raw: {raw_before}", file=sys.stderr, flush=True)
        extracted = _phase(["extract", url, str(workdir / f"extract-{size}"), str(workers)])
        print(f"{size} extract: {extracted}", file=sys.stderr, flush=True)
        raw_after = _phase(["raw", url])
        raw_rate = (raw_before["rows_per_s"] + raw_after["rows_per_s"]) / 2
        out.update({"raw_before": raw_before, "extract": extracted, "raw_after": raw_after,
                    "extract_vs_raw": round(extracted["rows_per_s"] / raw_rate, 2)})
        if kill_every:
            # The organisation's first run, killed again and again; the fresh run that checks it is a whole
            # first run too (with nothing left to write), which gives the first run's time and memory.
            killed = _killed_run(url, workdir / f"killed-{size}", now, kill_every)
            out["first_run"] = killed.pop("fresh_run")
            out["killed_first_run"] = killed
        elif not partitions and not only_extract:
            out["first_run"] = _phase(["run", url, str(workdir / f"state-{size}"), now.isoformat()])
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return out


def main() -> None:
    """Parse arguments; run the sizes (or one measurement phase, when called by this script)."""
    if len(sys.argv) > 2 and sys.argv[1] == "--phase":
        kind, rest = sys.argv[2], sys.argv[3:]
        if kind == "raw":
            result = phase_raw(rest[0])
        elif kind == "extract":
            result = phase_extract(rest[0], Path(rest[1]), int(rest[2]))
        else:
            records = int(rest[3]) if len(rest) > 3 else 0
            result = phase_run(rest[0], Path(rest[1]), datetime.fromisoformat(rest[2]),
                               RunOptions(batch_size=200, partition_records=records))
            result["partition_records"] = records
        print(json.dumps(result, sort_keys=True), flush=True)
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["S", "M"], choices=["S", "M", "L"])
    parser.add_argument("--kill-every", type=float, default=None, help="seconds between kills of the first run")
    parser.add_argument("--workers", type=int, default=2, help="streams the extract reads at once")
    parser.add_argument("--workdir", default=".osi/scale")
    parser.add_argument("--only-run", action="store_true",
                        help="measure only the first run (its peak memory by phase and by insight)")
    parser.add_argument("--partition-records", type=int, nargs="+", default=None, metavar="N",
                        help="a first run per value of OSI_PARTITION_RECORDS (0: off), each on a fresh copy of the "
                             "organisation, in the same call")
    parser.add_argument("--only-extract", action="store_true",
                        help="measure only the raw loop, the extract and the raw loop again (no first run)")
    args = parser.parse_args()
    for size in args.sizes:
        result = bench(size, Path(args.workdir), args.kill_every, args.workers, args.only_run, args.partition_records,
                       args.only_extract)
        print(json.dumps(result, sort_keys=True), flush=True)


if __name__ == "__main__":
    main()
