"""Compute every insight from the snapshot's frames, each producer isolated from the others.

A producer reads canonical frames and returns frames keyed by the table they are written to. One
producer failing (bad data, too little data to train) is recorded and the others go on; the tables
it writes are then left untouched this run (nothing deleted on the strength of a failed computation).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import pandas as pd

from connector.errors import OsiError, RecordError
from connector.pipeline.producers import REGISTRY, Context, Producer

log = logging.getLogger(__name__)

@dataclass
class ComputeResult:
    """Frames by target table, the errors of failed producers, and the tables they would have written."""

    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    failed_tables: set[str] = field(default_factory=set)
    record_errors: list[RecordError] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)


def _merge(existing: pd.DataFrame | None, new: pd.DataFrame, id_column: str) -> pd.DataFrame:
    """Columns from two producers for the same records (e.g. health and score on a lead)."""
    if existing is None:
        return new
    return existing.merge(new, on=id_column, how="outer", suffixes=("", "_dup"))


def _id_column(table: str) -> str:
    return f"{table}id" if table in ("contact", "account", "lead", "opportunity") else "osi_key"


def enabled(admin: Mapping[str, Any], name: str) -> bool:
    """Whether the admin switched producer ``name`` on (the default) in the ``features`` setting."""
    features = admin.get("features") or {}
    return bool(features.get(name, True)) if isinstance(features, Mapping) else True


def compute_insights(frames: Mapping[str, pd.DataFrame], *, now: datetime, admin: Mapping[str, Any],
                     org_timezone: str = "UTC", models: Any = None, retrain: frozenset[str] = frozenset(),
                     registry: tuple[Producer, ...] | None = None) -> ComputeResult:
    """Run every enabled producer.

    Returns:
        the merged frames per target table, each failed producer's error and tables, and the
        individual records the producers skipped (named by table, id and field).
    """
    result = ComputeResult()
    ctx = Context(now=now, admin=admin, org_timezone=org_timezone, errors=result.record_errors,
                  problems=result.errors, models=models, retrain=retrain)
    for producer in registry if registry is not None else REGISTRY:
        if not producer.always_on and not enabled(admin, producer.name):
            log.info("insight %s is switched off in the settings", producer.name)
            continue
        started = time.perf_counter()
        try:
            out = producer.compute(frames, ctx)
        except (OsiError, ValueError, KeyError, TypeError) as exc:
            # A defect or bad data in one insight must not cost the seller every other insight.
            log.exception("insight %s failed; its tables are left as they are this run", producer.name)
            result.errors.append(f"{producer.name}: {type(exc).__name__}: {exc}")
            result.failed_tables.update(producer.tables)
            continue
        finally:
            result.timings[producer.name] = time.perf_counter() - started
        for table, frame in out.items():
            result.frames[table] = _merge(result.frames.get(table), frame, _id_column(table))
    return result
