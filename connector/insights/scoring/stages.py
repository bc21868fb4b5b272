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
        ``records`` rows repeated per stage (index reset, records in their order, stages in path
        order), with :data:`STAGE`, :data:`STAGE_STARTED` and :data:`MOMENT` columns. A record without
        a process instance (or without its times) keeps one row at its close with an unknown stage; a
        stage id without a name is named by its id.
    """
    names = _stage_names(stages)
    latest = latest_instances(paths)
    base = records.reset_index(drop=True)
    created = pd.to_datetime(base[created_column], utc=True)
    closed = pd.to_datetime(base[closed_column], utc=True)
    ids = base[id_column].astype("string")
    has = ids.isin(latest.index).fillna(False) & created.notna() & closed.notna() if not latest.empty \
        else pd.Series(False, index=base.index)
    inst = latest.reindex(ids.where(has).to_numpy()) if not latest.empty else None
    path = pd.Series([_stage_ids(t, a) if h else [] for t, a, h in zip(
        inst["traversed_path"] if inst is not None else [None] * len(base),
        inst["active_stage_id"] if inst is not None else [None] * len(base), has, strict=True)], index=base.index)
    path = path.where(path.map(len) > 0, pd.Series([[None]] * len(base), index=base.index))
    n = path.map(len).astype("int64")  # an empty frame would otherwise give objects, which time cannot scale
    last = pd.to_datetime(inst["active_stage_started_on"], utc=True).set_axis(base.index) if inst is not None \
        else pd.Series(pd.NaT, index=base.index, dtype="datetime64[ns, UTC]")
    # No usable start of the last stage: the stages share the record's life evenly.
    bad = last.isna() | (last < created) | (last > closed)
    last = last.where(~bad, created + (closed - created) * ((n - 1) / n))
    long = base.assign(**{STAGE: path}).explode(STAGE)
    k = long.groupby(level=0).cumcount().to_numpy()
    row = long.index.to_numpy()
    n_row = n.to_numpy()[row]
    c_row, l_row, e_row = (_naive(t)[row] for t in (created, last, closed))
    span = l_row - c_row
    start = c_row + span * (k / np.maximum(n_row - 1, 1))
    nxt = np.where(k + 1 < n_row, c_row + span * ((k + 1) / np.maximum(n_row - 1, 1)), e_row)
    moment = start + (np.maximum(nxt, start) - start) / 2
    known = has.to_numpy()[row]
    out = long.reset_index(drop=True)
    out[STAGE] = [names.get(v, v) if isinstance(v, str) else np.nan for v in out[STAGE]]
    out[STAGE] = out[STAGE].astype(object)
    out[STAGE_STARTED] = pd.to_datetime(np.where(known, start, np.datetime64("NaT")), utc=True)
    out[MOMENT] = pd.to_datetime(np.where(known, moment, e_row), utc=True)
    return out


def _naive(times: pd.Series) -> np.ndarray:
    """UTC times as plain ``datetime64[ns]`` (fast arithmetic; NaT kept)."""
    return np.asarray(pd.to_datetime(times, utc=True).dt.tz_convert(None).to_numpy(dtype="datetime64[ns]"))


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
