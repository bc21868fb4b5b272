"""Compute every insight from the snapshot's frames, each producer isolated from the others.

Each producer gets its parsed settings (a refused field keeps its default and is reported), its state
from the last committed run and what changed since. A producer that raises (bad data, too little data,
or a defect) is recorded with its traceback in the log and the others go on; the tables it writes
are then left untouched this run (nothing deleted on the strength of a failed computation) and its
saved state is kept for the next run.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

import pandas as pd

from connector.errors import RecordError
from connector.feature_settings import FeatureSettings, parse_settings
from connector.pipeline.contract import Changes, ModelStoreLike, Produced, Producer, RunContext
from connector.pipeline.registry import FEATURES, REGISTRY, Registry

log = logging.getLogger(__name__)


@dataclass
class ProducerMemory:
    """What a producer carries from one committed run to the next."""

    settings: str
    version: str
    state: dict[str, pd.DataFrame] = field(default_factory=dict)


@dataclass
class ComputeResult:
    """Frames by target table, failures, problems and what each producer wants remembered."""

    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    failed_tables: set[str] = field(default_factory=set)
    record_errors: list[RecordError] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    evaluated: dict[str, int] = field(default_factory=dict)
    memory: dict[str, ProducerMemory] = field(default_factory=dict)


def _merge(existing: pd.DataFrame | None, new: pd.DataFrame, id_column: str, *, rows: bool = False) -> pd.DataFrame:
    """Columns from two producers for the same records (e.g. health and score on a lead), or, for one of our
    tables (``rows``), the rows of both (e.g. health-change entries and assistant cards in ``osi_insight``)."""
    if existing is None:
        return new
    if rows:
        return pd.concat([existing, new], ignore_index=True)
    return existing.merge(new, on=id_column, how="outer", suffixes=("", "_dup"))


class Checkpoint(Protocol):
    """Where each producer's result is kept as it finishes (see :mod:`connector.pipeline.compute_checkpoint`)."""

    def saved(self, producer: str) -> tuple[Produced, list[RecordError]] | None:
        """What ``producer`` returned earlier in this run, and the records it skipped, or ``None``."""

    def save(self, producer: str, produced: Produced, problems: Sequence[RecordError]) -> None:
        """Keep what ``producer`` returned and the records it skipped."""


@dataclass(frozen=True)
class ComputeInputs:
    """What every producer's context is built from."""

    now: datetime
    admin: Mapping[str, Any]
    org_timezone: str = "UTC"
    changes: Changes = field(default_factory=Changes)
    memory: Mapping[str, ProducerMemory] = field(default_factory=dict)
    models: ModelStoreLike | None = None
    retrain: frozenset[str] = frozenset()
    full: bool = False
    partition_records: int = 0


def compute_insights(frames: Mapping[str, pd.DataFrame], inputs: ComputeInputs,
                     registry: Registry = REGISTRY, checkpoint: Checkpoint | None = None) -> ComputeResult:
    """Run every enabled producer of ``registry``; with a ``checkpoint``, a producer whose result it holds is
    not run again, and each result is saved in it as the producer finishes.

    Returns:
        the merged frames per target table, each failed producer's error and tables, the records the
        producers skipped (named by table, id and field), the settings problems, and what to remember.
    """
    result = ComputeResult()
    features, problems = parse_settings(registry.features, inputs.admin.get(FEATURES), name=FEATURES)
    result.warnings.extend(problems)
    targets = registry.targets()
    admin_changed = _admin_changed(registry, inputs)
    for producer in registry.all():
        if producer.switchable and not getattr(features, producer.name, True):
            log.info("insight %s is switched off in the settings", producer.name)
            continue
        produced = _run_one(producer, frames, inputs, result, admin_changed, checkpoint)
        if produced is None:
            result.failed_tables.update(producer.writes)
            continue
        for table, frame in produced.frames.items():
            target = targets[table]
            result.frames[table] = _merge(result.frames.get(table), frame, target.id_column,
                                          rows=target.kind == "upsert")
    return result


def _admin_changed(registry: Registry, inputs: ComputeInputs) -> frozenset[str]:
    """Producers whose settings the admin changed since their last committed run."""
    changed = set()
    for producer in registry.all():
        memory = inputs.memory.get(producer.name)
        if memory is None:
            continue
        settings, _ = parse_settings(producer.settings, inputs.admin.get(producer.name), name=producer.name)
        if memory.settings != settings.fingerprint():
            changed.add(producer.name)
    return frozenset(changed)


def _context(producer: Producer[Any], inputs: ComputeInputs, result: ComputeResult,
             admin_changed: frozenset[str] = frozenset()) -> RunContext[Any]:
    settings, problems = parse_settings(producer.settings, inputs.admin.get(producer.name), name=producer.name)
    result.warnings.extend(problems)
    memory = inputs.memory.get(producer.name)
    previous = _previous_settings(producer.settings, memory)
    fresh = (inputs.full or memory is None or memory.version != producer.version
             or memory.settings != settings.fingerprint())
    return RunContext(now=inputs.now, settings=settings, org_timezone=inputs.org_timezone, changes=inputs.changes,
                      state={} if fresh or memory is None else memory.state, recompute_all=fresh,
                      previous_settings=previous, models=inputs.models, retrain=inputs.retrain,
                      problems=result.record_errors, admin_changed=admin_changed, earlier=dict(result.frames),
                      partition_records=inputs.partition_records)


def _previous_settings(model: type[FeatureSettings], memory: ProducerMemory | None) -> FeatureSettings | None:
    if memory is None:
        return None
    previous, problems = parse_settings(model, _json(memory.settings), name="previous")
    return None if problems else previous


def _json(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _run_one(producer: Producer[Any], frames: Mapping[str, pd.DataFrame], inputs: ComputeInputs,
             result: ComputeResult, admin_changed: frozenset[str] = frozenset(),
             checkpoint: Checkpoint | None = None) -> Produced | None:
    """Run one producer (or take its result from the checkpoint); ``None`` when it raised (recorded, with its
    traceback in the log)."""
    started = time.perf_counter()
    ctx = _context(producer, inputs, result, admin_changed)
    saved = checkpoint.saved(producer.name) if checkpoint is not None else None
    skipped = len(result.record_errors)
    try:
        if saved is not None:
            produced = saved[0]
            result.record_errors.extend(saved[1])
        else:
            produced = producer.compute(frames, ctx)
            undeclared = sorted(set(produced.frames) - set(producer.writes))
            if undeclared:
                raise TypeError(f"it returned table(s) {undeclared} it does not declare as outputs")
    except Exception as exc:  # noqa: BLE001 - any failure of one insight, defects included, must spare the rest
        log.exception("insight %s failed; its tables are left as they are this run", producer.name)
        result.errors.append(f"{producer.name}: {type(exc).__name__}: {exc}")
        return None
    finally:
        result.timings[producer.name] = time.perf_counter() - started
    if saved is None and checkpoint is not None:
        checkpoint.save(producer.name, produced, result.record_errors[skipped:])
    result.warnings.extend(produced.warnings)
    result.notes.extend(produced.notes)
    result.evaluated[producer.name] = produced.evaluated
    result.memory[producer.name] = ProducerMemory(ctx.settings.fingerprint(), producer.version, produced.state)
    return produced
