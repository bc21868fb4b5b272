"""Rows that came back through change tracking only because the sync itself wrote them.

Our insight columns (``osi_``) live on the customer records, so every record the load updates comes back
in the next delta with a new ``modifiedon`` and nothing else changed. Those rows must be read (the snapshot
keeps what Dataverse holds, which the next diff compares against), but they are not changes the producers
should react to: counting them would make every run after a write recompute the records it just wrote.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

RECORD_FRAMES = frozenset({"contacts", "accounts", "leads", "opportunities"})
"""Frames of the tables our columns are written to."""

_NOT_SOURCE = ("modified_on", "modifiedon")
"""Columns that move with our own write."""


def source_columns(frame: pd.DataFrame) -> list[str]:
    """The columns of a record frame that the customer's data, not our write, decides."""
    return [c for c in frame.columns if not c.startswith("osi_") and c not in _NOT_SOURCE]


def echoes(before: pd.DataFrame | None, after: pd.DataFrame, key: str, ids: Iterable[str]) -> set[str]:
    """Of ``ids`` (rows read from a delta), those whose source columns are as they were ``before``.

    A row that is new, or whose source columns differ in any way (a value, a missing one), is a change.
    Both frames are compared after the extract's derived columns are resolved, so a derived value never
    looks like a change.
    """
    if before is None:
        return set()
    return unchanged(before, after, key, ids, [c for c in source_columns(after) if c in before.columns])


def unchanged(before: pd.DataFrame | None, after: pd.DataFrame, key: str, ids: Iterable[str],
              columns: list[str] | None = None) -> set[str]:
    """Of ``ids``, those present in both frames with the same values in ``columns`` (default: all shared)."""
    wanted = pd.Index(pd.Series(list(ids), dtype="string").dropna().unique())
    if before is None or before.empty or wanted.empty:
        return set()
    shared = columns if columns is not None else [c for c in after.columns if c in before.columns]
    shared = [c for c in shared if c != key]
    old, new = _by_id(before, key, shared), _by_id(after, key, shared)
    common = wanted.intersection(old.index).intersection(new.index)
    if common.empty:
        return set()
    # Compared as text: the two frames may differ in dtype (one was read back from Parquet).
    a = old.loc[common].astype("string").fillna("\x00")
    b = new.loc[common].astype("string").fillna("\x00")
    same = (a == b).all(axis=1)
    return {str(i) for i in same.index[same.to_numpy()]}


def _by_id(frame: pd.DataFrame, key: str, columns: list[str]) -> pd.DataFrame:
    rows = frame.drop_duplicates(key)
    return rows[columns].set_axis(pd.Index(rows[key].astype("string")), axis=0)
