"""As-of stage samples: each closed opportunity as it looked at each sales stage it passed through.

A model is used on open opportunities, each at its current stage. Trained on closed ones at their
*final* stage, it learns "an early stage means lost" (a won deal nearly always ends at the last
stage), and grades every early open deal D. So each closed opportunity gives one training row per
stage it passed through, featurised at a moment inside that stage, and an open one is scored at its
current stage now (spec §2: Dynamics' per-stage modelling).

Stage history comes from Dataverse's business process flow instance (``opportunitysalesprocess``):
``traversedpath`` lists the stages passed, ``activestageid`` / ``activestagestartedon`` say where the
record is (or ended) and since when. The instance does not keep when each earlier stage began, so
those entry times are spread evenly between the record's creation and the start of its last stage
(a stated estimate; the stage *order* and the last stage's start are Dataverse's). A closed record is
sampled half-way through each stage (between its entry and the next stage's entry, or the close).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

STAGE = "bpf_stage"
"""The stage name a row is at (as-of: the sampled stage for a closed record, the current one for an open one)."""
STAGE_STARTED = "_stage_started"
MOMENT = "_cutoff"


def latest_instances(paths: pd.DataFrame) -> pd.DataFrame:
    """The one process instance per opportunity: the most recently modified (then the highest instance id)."""
    if paths.empty:
        return paths
    ordered = paths.sort_values(["opportunity_id", "modified_on", "instance_id"], na_position="first",
                                kind="stable")
    return ordered.drop_duplicates("opportunity_id", keep="last").set_index("opportunity_id")


def _stage_ids(text: object, active: object) -> list[str]:
    """The distinct stages of a traversed path, first visit order, ending with the active stage."""
    ids: list[str] = []
    if isinstance(text, str):
        for part in text.split(","):
            part = part.strip().lower()
            if part and part not in ids:
                ids.append(part)
    if isinstance(active, str) and active.lower() not in ids:
        ids.append(active.lower())
    if isinstance(active, str):
        # A path that went back ends at the active stage: stages after it in first-visit order were undone.
        ids = ids[: ids.index(active.lower()) + 1]
    return ids


def stage_samples(records: pd.DataFrame, paths: pd.DataFrame, stages: pd.DataFrame, *, id_column: str,
                  created_column: str, closed_column: str) -> pd.DataFrame:
    """One row per closed record and stage it passed, each with its stage, stage start and sampled moment.

    Args:
        records: closed records (one row each) with ``id_column``, ``created_column`` and ``closed_column``.
        paths: the canonical ``stage_paths`` frame (process instances).
        stages: the canonical ``process_stages`` frame (stage id → name).
        id_column: the record id column.
        created_column: creation time of the record.
        closed_column: close time of the record.

    Returns:
        ``records`` rows repeated per stage (index reset), with :data:`STAGE`, :data:`STAGE_STARTED`
        and :data:`MOMENT` columns. A record without a process instance keeps one row at its close
        with an unknown stage; a stage id without a name is named by its id.
    """
    names = _stage_names(stages)
    latest = latest_instances(paths)
    rows: list[pd.Series] = []
    for _, record in records.iterrows():
        rid = record[id_column]
        created = pd.Timestamp(record[created_column])
        closed = pd.Timestamp(record[closed_column])
        inst = latest.loc[rid] if rid in latest.index else None
        ids = [] if inst is None else _stage_ids(inst["traversed_path"], inst["active_stage_id"])
        if inst is None or not ids or pd.isna(created) or pd.isna(closed):
            rows.append(_with(record.copy(), np.nan, pd.NaT, closed))
            continue
        entries = _entries(created, inst["active_stage_started_on"], len(ids), closed)
        ends = [*entries[1:], closed]
        for stage_id, start, end in zip(ids, entries, ends, strict=True):
            moment = start + (max(end, start) - start) / 2
            rows.append(_with(record.copy(), names.get(stage_id, stage_id), start, moment))
    if not rows:
        return records.assign(**{STAGE: pd.Series(dtype=object), STAGE_STARTED: pd.Series(dtype="datetime64[ns, UTC]"),
                                 MOMENT: pd.Series(dtype="datetime64[ns, UTC]")}).iloc[:0]
    out = pd.DataFrame(rows).reset_index(drop=True)
    out[STAGE_STARTED] = pd.to_datetime(out[STAGE_STARTED], utc=True)
    out[MOMENT] = pd.to_datetime(out[MOMENT], utc=True)
    return out.astype({c: records[c].dtype for c in records.columns}, errors="ignore")


def current_stages(records: pd.DataFrame, paths: pd.DataFrame, stages: pd.DataFrame, *, id_column: str,
                   now: pd.Timestamp) -> pd.DataFrame:
    """Open records with their current stage (:data:`STAGE`), its start and :data:`MOMENT` = ``now``.

    A record without a process instance has an unknown stage.
    """
    names = _stage_names(stages)
    latest = latest_instances(paths)
    out = records.copy()
    inst = latest.reindex(out[id_column].astype("string").to_numpy()) if not latest.empty else None
    if inst is None:
        out[STAGE] = np.nan
        out[STAGE_STARTED] = pd.NaT
    else:
        active = inst["active_stage_id"].astype("string").str.lower()
        out[STAGE] = [names.get(a, a) if isinstance(a, str) else np.nan for a in active.to_numpy(dtype=object,
                                                                                                 na_value=None)]
        out[STAGE_STARTED] = pd.to_datetime(inst["active_stage_started_on"], utc=True).to_numpy()
    out[STAGE] = out[STAGE].astype(object)
    out[STAGE_STARTED] = pd.to_datetime(out[STAGE_STARTED], utc=True)
    out[MOMENT] = pd.Timestamp(now)
    return out


def _stage_names(stages: pd.DataFrame) -> dict[str, str]:
    if stages.empty:
        return {}
    named = stages.dropna(subset=["stage_id"]).sort_values("stage_id", kind="stable")
    return {str(k).lower(): str(v) if pd.notna(v) else str(k).lower()
            for k, v in zip(named["stage_id"], named["name"], strict=True)}


def _entries(created: pd.Timestamp, last_start: object, n: int, closed: pd.Timestamp) -> list[pd.Timestamp]:
    """Entry time of each of ``n`` stages: the first at creation, the last at its recorded start."""
    last = pd.Timestamp(last_start) if last_start is not None and not pd.isna(last_start) else pd.NaT
    if pd.isna(last) or last < created or last > closed:
        # No usable start of the last stage: the stages share the record's life evenly.
        last = created + (closed - created) * (n - 1) / n if n > 1 else created
    if n == 1:
        return [created]
    return [created + (last - created) * k / (n - 1) for k in range(n)]


def _with(row: pd.Series, stage: object, started: object, moment: object) -> pd.Series:
    row[STAGE] = stage
    row[STAGE_STARTED] = started
    row[MOMENT] = moment
    return row
