"""One sync run: lease → extract → compute → load → commit checkpoints and producers' state → run row.

The run never stops for one bad record or one failing insight: it records the error (naming the
record and field) and goes on. It stops only when Dataverse cannot be read or written at all; then
the checkpoints and the producers' state stay where they were and the next run finishes the job. Every
write is an idempotent update or alternate-key upsert, so a rerun after a crash leaves no duplicates.
Whatever stops a run, its ``osi_syncrun`` row is closed (Failed, with the reason); a row a killed run
left "Running" is closed by the next run.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import uuid
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Any

from connector.errors import RecordError
from connector.feature_settings import parse_settings
from connector.memory import release_free_memory
from connector.pipeline.compute import ComputeInputs, ComputeResult, ProducerMemory, compute_insights
from connector.pipeline.compute_checkpoint import ComputeCheckpoint
from connector.pipeline.contract import Changes, Produced
from connector.pipeline.models import ModelStore
from connector.pipeline.registry import FEATURES, REGISTRY, Registry, read_admin_settings
from connector.pipeline.run_row import RunSummary, close_stale_runs, record_run
from connector.pipeline.writeback import plan_all_writes
from connector.spark.job import PER_ITEM, read_results
from connector.sync import extract as extract_mod
from connector.sync.lake import LakeReader, SourceRouter
from connector.sync.load import LoadResult, execute_writes
from connector.sync.snapshot import Pending, Snapshot, load_snapshot, save_snapshot
from connector.sync.staging import Staging
from connector.sync.state import StateStore
from connector.sync.streams import REFERENCE_STREAMS, STREAMS, own_table_stream

log = logging.getLogger(__name__)

Progress = Callable[[str, int], None]

__all__ = ["Progress", "RunOptions", "RunSummary", "run_sync"]


def _utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class RunOptions:
    """How one run goes (everything but the clients, the store and the reference time).

    Attributes:
        trigger: ``timer``, ``queue``, ``http`` or ``cli`` (recorded on the run row).
        page_size: ``odata.maxpagesize`` for reads.
        batch_size: operations per ``$batch``.
        lease_name: the lease that keeps runs for one organisation from overlapping.
        org_timezone: IANA zone for users whose own zone is unknown.
        retrain: entities (``lead``, ``opportunity``) whose scoring model is retrained now, due or not.
        full: recompute every insight from scratch, ignoring what producers saved.
        registry: the producers to run.
        read_streams: streams read at once (halved while Dataverse throttles the reads).
        write_streams: ``$batch`` requests sent at once (halved while Dataverse throttles the writes).
        lake: read the standard tables from the organisation's Synapse Link / Fabric link lake instead of
            the Web API (``OSI_SOURCE=lake``); our own tables are still read, and everything written, through
            the Web API.
        precomputed: producer name → the Delta table a Spark job (:mod:`connector.spark.job`) wrote its
            results to: those are read and written back instead of computing the producer here.
        partition_records: above 0, the per-record values of relationship analytics are computed at most this
            many records at a time (``OSI_PARTITION_RECORDS``; same results, a lower peak of memory).
    """

    trigger: str = "cli"
    page_size: int | None = None
    batch_size: int = 100
    lease_name: str = "sync"
    org_timezone: str = "UTC"
    retrain: frozenset[str] = frozenset()
    full: bool = False
    registry: Registry = REGISTRY
    read_streams: int = extract_mod.READ_STREAMS
    write_streams: int = 2
    lake: LakeReader | None = None
    precomputed: Mapping[str, str] = field(default_factory=dict)
    partition_records: int = 0


@dataclass
class _Clocks:
    monotonic: Callable[[], float] = time.monotonic
    wall: Callable[[], datetime] = _utcnow
    marks: dict[str, float] = field(default_factory=dict)

    def mark(self, name: str) -> None:
        self.marks[name] = self.monotonic()


def run_sync(dataverse: Any, state: StateStore, *, now: datetime, graph: Any = None,
             options: RunOptions | None = None, progress: Progress | None = None, writers: Sequence[Any] = (),
             clock: Callable[[], float] = time.monotonic, wall: Callable[[], datetime] = _utcnow) -> RunSummary:
    """Run one sync for one organisation.

    Args:
        dataverse: the Dataverse client.
        state: where the snapshot, checkpoints, producers' state and lease live.
        now: the run's reference time (aware UTC); every insight is computed as of it.
        graph: the Graph client when Graph mail is enabled, else ``None``.
        writers: Dataverse clients of other application users of the organisation: the load's batches are
            spread over them and ``dataverse`` (each user has its own service-protection budget).
        options: how the run goes (defaults: a CLI run of every producer).
        progress: called with (step, count) as the run advances.
        clock: monotonic clock for timings.
        wall: the wall clock, for the run row's start and end.

    Returns:
        the run summary; ``status`` is Succeeded, Partial (some records or insights failed) or Failed.

    Raises:
        RunInProgressError: another run holds the lease.
        HttpResponseError, TransportError: Dataverse could not be read or written at all; nothing
            was committed, the next run starts from the same checkpoints. Any other exception that
            stops the run is re-raised after its row is closed as Failed.
    """
    opts = options or RunOptions()
    clocks = _Clocks(clock, wall)
    summary = RunSummary(run_id=str(uuid.uuid4()), trigger=opts.trigger, started_on=wall(), as_of=now)
    with state.lease(opts.lease_name):
        close_stale_runs(dataverse, ended_on=summary.started_on)
        record_run(dataverse, summary)
        try:
            _run(dataverse, state, summary, now=now, graph=graph, opts=opts, progress=progress, clocks=clocks,
                 writers=writers)
        except BaseException as exc:
            # Whatever stopped the run, its row must not stay "Running".
            summary.status = "Failed"
            summary.errors.append(f"{type(exc).__name__}: {exc}")
            summary.ended_on = wall()
            record_run(dataverse, summary)
            raise
    return summary


def _memory(snap: Snapshot) -> dict[str, ProducerMemory]:
    out = {}
    for name, meta in snap.producers.items():
        state = {n: snap.state[f"{name}/{n}"] for n in meta.get("state", []) if f"{name}/{n}" in snap.state}
        out[name] = ProducerMemory(str(meta.get("settings")), str(meta.get("version")), state)
    return out


def _remember(snap: Snapshot, computed: ComputeResult) -> None:
    """Commit what each producer that ran wants remembered; a failed producer keeps its last memory."""
    for name, memory in computed.memory.items():
        for old in snap.producers.get(name, {}).get("state", []):
            snap.state.pop(f"{name}/{old}", None)
        snap.producers[name] = {"settings": memory.settings, "version": memory.version, "state": sorted(memory.state)}
        snap.state.update({f"{name}/{n}": frame for n, frame in memory.state.items()})


def _changed_frames(extracted: extract_mod.ExtractResult) -> set[str]:
    """Frames the extract changed (the others need not be written again)."""
    return ({f for f, ids in extracted.changed.items() if ids} | {f for f, ids in extracted.deleted.items() if ids}
            | set(extracted.full_frames))


def _changes(pending: Pending) -> Changes:
    return Changes(changed={k: frozenset(v) for k, v in pending.changed.items()},
                   deleted={k: frozenset(v) for k, v in pending.deleted.items()}, full=frozenset(pending.full))


def _extract(dataverse: Any, graph: Any, snap: Snapshot, staging: Staging, summary: RunSummary, now: datetime,
             opts: RunOptions, progress: Progress | None) -> tuple[extract_mod.ExtractResult, dict[str, Any]]:
    # Our tables are read back (not the run rows, only upserted; not timeline entries, only created).
    own = tuple(own_table_stream(t) for t in opts.registry.tables()
                if not t.is_activity and t.logical_name != "osi_syncrun")
    streams = STREAMS + REFERENCE_STREAMS + own
    reader = dataverse if opts.lake is None else SourceRouter(opts.lake, dataverse)
    extracted = extract_mod.extract(reader, snap, page_size=opts.page_size, streams=streams, progress=progress,
                                    staging=staging, workers=opts.read_streams)
    admin, problems = read_admin_settings(snap.frames)
    summary.warnings.extend(problems)
    if graph is not None:
        wkw = opts.registry.settings_models().get("who_knows_whom")
        excluded = getattr(parse_settings(wkw, admin.get("who_knows_whom"), name="who_knows_whom")[0],
                           "excluded_users", []) if wkw is not None else []
        extract_mod.extract_mail(graph, snap, extracted, now=now, excluded_users=excluded)
    if extracted.resumed:
        summary.notes.append("the extract went on from the pages an interrupted run had read")
    summary.rows_read = extracted.rows_read
    summary.full_reads = extracted.full_reads
    summary.failed.extend({"table": e.table, "id": e.record_id, "field": e.field, "error": e.problem}
                          for e in extracted.errors)
    return extracted, admin


def _extract_and_commit(dataverse: Any, graph: Any, snap: Snapshot, state: StateStore, summary: RunSummary,
                        now: datetime, opts: RunOptions, progress: Progress | None) -> dict[str, Any]:
    """Extract into ``snap`` and commit its frames and checkpoints; return the admin settings read.

    What the extract returns (every changed id of every frame) is needed only for this commit: it goes out of
    scope here, before the compute, rather than being held through the run.
    """
    staging = Staging(state, snap.generation)
    extracted, admin = _extract(dataverse, graph, snap, staging, summary, now, opts, progress)
    # The frames and checkpoints are committed now, with the changes the producers have yet to see: a run
    # cut off from here on never reads these pages again, and the next compute still gets every change.
    snap.checkpoints.update(extracted.checkpoints)
    # Records that changed only by our own last write are saved with the frames but are no change to react to.
    source_changed = {f: ids - extracted.echoes.get(f, set()) for f, ids in extracted.changed.items()}
    snap.pending.add(source_changed, extracted.deleted, extracted.full_frames)
    save_snapshot(state, snap, state=False, changed=_changed_frames(extracted))
    staging.clear()
    return admin


def _run(dataverse: Any, state: StateStore, summary: RunSummary, *, now: datetime, graph: Any, opts: RunOptions,
         progress: Progress | None, clocks: _Clocks, writers: Sequence[Any]) -> None:
    clocks.mark("start")
    snap = load_snapshot(state)
    previous_state = list(snap.state)
    admin = _extract_and_commit(dataverse, graph, snap, state, summary, now, opts, progress)
    release_free_memory()
    clocks.mark("extracted")
    checkpoint = ComputeCheckpoint.open(state, key=_compute_key(snap, admin, opts), frames=snap.frames,
                                        pending=snap.pending, now=now)
    if checkpoint.resumed:
        # Resumed as of the interrupted run's time, so no result computed then is mixed with one computed now.
        now = summary.as_of = checkpoint.now
        summary.notes.append(f"the compute went on from the results of {len(checkpoint.producers)} insight(s) an "
                             f"interrupted run computed as of {now.isoformat()}")
    inputs = ComputeInputs(now=now, admin=admin, org_timezone=opts.org_timezone, changes=_changes(checkpoint.pending),
                           memory={} if opts.full else _memory(snap), models=ModelStore(state),
                           retrain=opts.retrain, full=opts.full, partition_records=opts.partition_records)
    computed = _compute(snap, inputs, opts, checkpoint)
    summary.take_compute(computed)
    release_free_memory()
    clocks.mark("computed")
    writes = plan_all_writes(computed, snap.frames, now=now, registry=opts.registry)
    summary.writes_planned = dict(Counter(f"{w.table}:{w.kind}" for w in writes))
    clocks.mark("planned")
    loaded: LoadResult = execute_writes(dataverse, writes, batch_size=opts.batch_size, progress=progress,
                                        streams=opts.write_streams, writers=writers)
    summary.written = loaded.written
    if any(loaded.requests_per_5_minutes):
        summary.notes.append("$batch requests per application user in its busiest 5 minutes: "
                             + ", ".join(str(n) for n in loaded.requests_per_5_minutes))
    summary.failed.extend(loaded.failed)
    clocks.mark("loaded")
    # The producers' state advances only now that the load went through: a crash before this line leaves
    # the previous one and the pending changes, and the next run redoes the (idempotent) work.
    _remember(snap, computed)
    snap.pending = checkpoint.left_pending
    save_snapshot(state, snap, frames=False, previous_state=previous_state)
    checkpoint.clear()
    clocks.mark("saved")
    _finish(summary, clocks, computed)
    record_run(dataverse, summary)


def _compute_key(snap: Snapshot, admin: Mapping[str, Any], opts: RunOptions) -> str:
    """What a compute checkpoint must share with this run to be reused: the producers' committed memory, their
    parsed settings and versions, and the options that change what they compute."""
    settings = {FEATURES: parse_settings(opts.registry.features, admin.get(FEATURES), name=FEATURES)[0].fingerprint()}
    for p in opts.registry.all():
        settings[p.name] = f"{p.version}:{parse_settings(p.settings, admin.get(p.name), name=p.name)[0].fingerprint()}"
    key = {"state_generation": snap.state_generation, "producers": snap.producers, "settings": settings,
           "org_timezone": opts.org_timezone, "retrain": sorted(opts.retrain), "full": opts.full,
           "precomputed": sorted(opts.precomputed.items())}
    return hashlib.sha256(json.dumps(key, sort_keys=True, default=str).encode()).hexdigest()


class _Releasing:
    """The compute checkpoint, with the memory a finished producer freed handed back to the system once its
    result is saved (the next producer's intermediates then do not come on top of it)."""

    def __init__(self, checkpoint: ComputeCheckpoint) -> None:
        self._checkpoint = checkpoint

    def saved(self, producer: str) -> tuple[Produced, list[RecordError]] | None:
        """What ``producer`` returned earlier in this run (see :meth:`ComputeCheckpoint.saved`).

        Raises:
            ValueError: a saved object is missing or unreadable.
        """
        return self._checkpoint.saved(producer)

    def save(self, producer: str, produced: Produced, problems: Sequence[RecordError]) -> None:
        """Keep the result, then release the free memory."""
        self._checkpoint.save(producer, produced, problems)
        release_free_memory()


def _compute(snap: Snapshot, inputs: ComputeInputs, opts: RunOptions, checkpoint: ComputeCheckpoint) -> ComputeResult:
    """Every producer in process, except those whose results a Spark job left in a Delta table: those are read.

    A producer computed elsewhere forgets what it saved here, so a later in-process run starts it afresh.
    """
    releasing = _Releasing(checkpoint)
    if not opts.precomputed:
        return compute_insights(snap.frames, inputs, opts.registry, releasing)
    here = tuple(p for p in opts.registry.producers if p.name not in opts.precomputed)
    local = replace(opts.registry, producers=here)
    computed = compute_insights(snap.frames, inputs, local, releasing)
    for name, path in sorted(opts.precomputed.items()):
        computed.frames[PER_ITEM[name].table] = read_results(path)
        snap.producers.pop(name, None)
        computed.notes.append(f"{name}: results of the Spark job read from its Delta table")
    return computed


def _finish(summary: RunSummary, clocks: _Clocks, computed: ComputeResult) -> None:
    m = clocks.marks
    summary.timings = {"extract": m["extracted"] - m["start"], "compute": m["computed"] - m["extracted"],
                       "diff": m["planned"] - m["computed"], "load": m["loaded"] - m["planned"],
                       "commit": m["saved"] - m["loaded"], "total": m["saved"] - m["start"],
                       **{f"compute.{name}": secs for name, secs in computed.timings.items()}}
    summary.ended_on = clocks.wall()
    summary.status = "Partial" if (summary.failed or summary.errors) else "Succeeded"

