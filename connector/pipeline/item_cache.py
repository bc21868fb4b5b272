"""Compute each item once: results of a pure per-item analysis kept between runs.

Notes suggestions are a pure function of one note (its text, its own timestamps, its owner's time
zone): a note analysed once need not be analysed again until it changes. The cache keeps, per item,
the fingerprint it was analysed with, and the result rows; a run analyses only items that are new or
whose fingerprint moved, drops the rows of items that are gone, and reuses the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

import pandas as pd

ITEMS = "items"
ROWS = "rows"


@dataclass(frozen=True)
class Cached:
    """The complete result rows, the state to save, how many items were analysed and how many were left."""

    rows: pd.DataFrame
    state: dict[str, pd.DataFrame]
    evaluated: int
    deferred: int = 0


Analysis = Callable[[pd.DataFrame], tuple[pd.DataFrame, Collection[str]]]
"""The per-item analysis of some items: their result rows, and the ids of items it left for the next run."""


def _fingerprints(ids: pd.Series, parts: pd.DataFrame) -> pd.Series:
    text = ids.astype("string").fillna("")
    for column in parts.columns:
        text = text + "|" + parts[column].astype("string").fillna("")
    return text


def refresh(items: pd.DataFrame, *, id_column: str, fingerprint: pd.DataFrame, row_item_column: str,
            state: Mapping[str, pd.DataFrame], recompute_all: bool,
            analyse: Analysis, sort_by: str) -> Cached:
    """Bring the cached results up to date with ``items``.

    Args:
        items: every current item (one row each).
        id_column: the items' id column.
        fingerprint: columns aligned with ``items`` whose values, when they change, mean the item must be
            analysed again (its modification time, its owner's time zone).
        row_item_column: the column of the result rows that holds the item id.
        state: what :func:`refresh` returned last time (empty the first time).
        recompute_all: ignore the cache (new settings, a new version of the analysis, a full run).
        analyse: the per-item analysis, applied to the rows of ``items`` that need it; the items it leaves
            (a time budget ran out) keep their previous rows and are analysed next run.
        sort_by: the result rows' unique key, for a deterministic order.

    Returns:
        every item's result rows (cached and new), the state to save, the number of items analysed.
    """
    keys = _fingerprints(items[id_column], fingerprint)
    seen = state.get(ITEMS)
    known = set() if recompute_all or seen is None else set(seen["key"].astype(str))
    fresh = ~keys.isin(known).to_numpy()
    current_ids = set(items[id_column].astype(str))
    new_rows, left = analyse(items[fresh])
    left = {str(i) for i in left}
    redo_ids = set(items.loc[fresh, id_column].astype(str)) - left
    old_rows = state.get(ROWS)
    parts = []
    if old_rows is not None and not recompute_all and not old_rows.empty:
        item_of = old_rows[row_item_column].astype(str)
        parts.append(old_rows[item_of.isin(current_ids - redo_ids).to_numpy()])
    parts.append(new_rows)
    nonempty = [p for p in parts if not p.empty]
    rows = pd.concat(nonempty, ignore_index=True) if nonempty else new_rows
    rows = rows.sort_values(sort_by, kind="stable").reset_index(drop=True)
    done = ~items[id_column].astype(str).isin(left).to_numpy()
    saved = {ITEMS: pd.DataFrame({"key": keys[done].astype(str).to_numpy()}), ROWS: rows}
    return Cached(rows, saved, int(fresh.sum()) - len(left), len(left))
