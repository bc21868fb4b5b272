"""Where each computed frame goes: the diff of every table against what Dataverse holds.

Computed frames arrive keyed by table logical name. Our columns on customer records are diffed against
the snapshot's copy of those records (read back with them); rows of our own tables against the
snapshot's copy of those tables (read back by change tracking every run).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

import pandas as pd

from connector.pipeline.compute import ComputeResult
from connector.pipeline.registry import REGISTRY, Registry
from connector.record_types import RECORD_TYPES
from connector.sync.diff import Write, plan_writes


def plan_all_writes(computed: ComputeResult, frames: Mapping[str, pd.DataFrame], *, now: datetime,
                    registry: Registry = REGISTRY) -> list[Write]:
    """Every write of this run: changed columns, new or changed rows of ours, rows no longer computed.

    Tables a failed producer writes get no deletes this run: what it did not compute must not
    remove good rows.
    """
    targets = registry.targets()
    tables = {t.logical_name: t for t in registry.tables()}
    writes: list[Write] = []
    for table, frame in computed.frames.items():
        target = targets[table]
        if table in RECORD_TYPES:
            rt = RECORD_TYPES[table]
            writes.extend(plan_writes(target, frame, frames.get(rt.frame), current_id_column=rt.frame_key,
                                      now=now, columns=registry.extended_columns()[table]))
        else:
            td = tables[table]
            writes.extend(plan_writes(target, frame, frames.get(f"own_{table}"), primary_id=td.primary_id,
                                      allow_deletes=table not in computed.failed_tables, now=now,
                                      columns=(td.primary_name, *td.columns)))
    return writes

