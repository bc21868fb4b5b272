"""Diff computed insight values against what Dataverse holds, producing only the writes needed.

Pure: frames in, a list of :class:`Write` out. Values are compared in their Dataverse form (ints,
decimals rounded to the column's precision, UTC date-times to the second, canonical JSON for memo
columns), so a value that round-trips through Dataverse never looks changed and a steady-state run
writes nothing.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

import numpy as np
import orjson
import pandas as pd

from connector import schema

WriteKind = Literal["update", "upsert", "delete"]


@dataclass(frozen=True)
class Target:
    """Where one computed frame is written.

    Attributes:
        table: logical name of the table.
        entity_set: its entity set.
        kind: ``update`` (our columns on an existing standard record, by primary id, never creating
            one) or ``upsert`` (rows of our own tables, by the ``osi_key`` alternate key).
        id_column: the column holding the record id (update) or ``osi_key`` (upsert).
        create_only: columns written when a row is created but never overwritten later (a seller's
            choice such as a suggestion's Accepted/Dismissed status).
        keep_values: ``(column, values)``: rows no longer computed are kept, not deleted, when that
            column holds one of these values (an accepted suggestion stays).
        delete_missing: rows of ours no longer computed are deleted (upsert targets only).
        stamp_columns: "computed on" columns: written with a real change, never alone (otherwise
            every run would rewrite every record just to move the stamp).
        same_as_shown: column → ``(held, computed, now) -> bool``: True when a seller would see no
            difference (e.g. days that have left a chart's window), so no write is needed.
    """

    table: str
    entity_set: str
    kind: Literal["update", "upsert"]
    id_column: str
    create_only: tuple[str, ...] = ()
    keep_values: tuple[str, tuple[Any, ...]] | None = None
    delete_missing: bool = True
    stamp_columns: tuple[str, ...] = ()
    same_as_shown: Mapping[str, Callable[[Any, Any, datetime], bool]] = field(default_factory=dict)


@dataclass(frozen=True)
class Write:
    """One write: ``key`` is a record id (update/delete) or an ``osi_key`` value (upsert)."""

    kind: WriteKind
    table: str
    entity_set: str
    key: str
    body: Mapping[str, Any] = field(default_factory=dict)


def _columns(table: str) -> dict[str, schema.ColumnDef]:
    return {c.logical_name: c for c in schema.all_columns()[table]}


def normalize(value: Any, col: schema.ColumnDef) -> Any:
    """The value as Dataverse stores and returns it (``None`` for missing), for comparison and writing."""
    if value is None or (not isinstance(value, list | dict | str) and pd.isna(value)):
        return None
    kind = col.kind
    if kind in ("integer", "picklist"):
        return int(value)
    if kind == "decimal":
        number = float(value)
        return None if math.isnan(number) else round(number, col.precision or 2)
    if kind == "boolean":
        return bool(value)
    if kind in ("datetime", "dateonly"):
        ts = pd.Timestamp(value)
        ts = ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")
        return ts.strftime("%Y-%m-%d") if kind == "dateonly" else ts.strftime("%Y-%m-%dT%H:%M:%SZ")
    text = value if isinstance(value, str) else _json_text(value)
    if kind == "memo":
        text = _canonical_json(text)
    limit = col.max_length
    return text[:limit] if limit and len(text) > limit else text


def _json_text(value: Any) -> str:
    """``value`` as JSON text with sorted keys (numpy scalars as numbers)."""
    try:
        return orjson.dumps(value, option=_ORJSON).decode()
    except TypeError:  # what orjson refuses (e.g. integers past 64 bits), the standard module writes
        return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _canonical_json(text: str) -> str:
    """A memo's JSON with sorted keys and no spaces, so two renderings of the same JSON compare equal; plain
    text (not JSON) as it is. orjson, because at size M a run compares a hundred thousand memos."""
    try:
        return orjson.dumps(orjson.loads(text), option=_ORJSON).decode()
    except orjson.JSONDecodeError:
        try:
            return _json_text(json.loads(text))
        except ValueError:
            return text  # plain text, not JSON: compared as it is


_ORJSON = orjson.OPT_SORT_KEYS | orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS

BIND_SUFFIX = "@odata.bind"

_MISSING = object()


def normalize_column(values: pd.Series, col: schema.ColumnDef) -> np.ndarray:
    """:func:`normalize` of a whole column at once (an object array, ``None`` for missing)."""
    kind = col.kind
    if kind in ("integer", "picklist", "decimal"):
        numbers = pd.to_numeric(values.astype(object).where(values.notna(), np.nan), errors="coerce")
        numbers = numbers.astype("float64")
        if kind == "decimal":
            rounded = numbers.round(col.precision or 2)
            out = np.array(rounded.astype(object), dtype=object)
        else:
            out = np.array(np.trunc(numbers).astype(object), dtype=object)
            ok = ~np.isnan(numbers.to_numpy())
            out[ok] = [int(v) for v in out[ok]]
        out[np.isnan(numbers.to_numpy())] = None
        return out
    if kind in ("datetime", "dateonly"):
        textual = pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)
        stamps = pd.to_datetime(values, utc=True, errors="coerce", format="ISO8601" if textual else None)
        text = stamps.dt.strftime("%Y-%m-%d" if kind == "dateonly" else "%Y-%m-%dT%H:%M:%SZ")
        out = np.array(text.astype(object), dtype=object)
        out[stamps.isna().to_numpy()] = None
        return out
    return np.array([normalize(v, col) if v is not None and not _scalar_na(v) else None for v in values],
                    dtype=object)


def _scalar_na(value: Any) -> bool:
    return not isinstance(value, list | dict | str) and bool(pd.isna(value))


def _memo_equal(a: Any, b: Any) -> bool:
    """Two memo texts that hold the same JSON (key order aside) are equal."""
    try:
        return bool(json.loads(a) == json.loads(b))
    except (TypeError, ValueError):
        return False


def _keyed(frame: pd.DataFrame, id_column: str) -> pd.DataFrame:
    keys = frame[id_column]
    keep = keys.notna().to_numpy()
    out = frame[keep].copy()
    out.index = pd.Index(keys[keep].astype(str).to_numpy(), name=None)
    return out[~out.index.duplicated(keep="last")]


def _normalized_pair(want: pd.Series, held: pd.Series | None, known: np.ndarray,
                     col: schema.ColumnDef) -> tuple[np.ndarray, np.ndarray]:
    """The computed values of one column and the held ones aligned to them, in their Dataverse form.

    ``held`` holds the values of the rows where ``known`` is set, in that order (``None``: the column is not
    held); the aligned array has ``_MISSING`` where nothing is held. Text is normalised one value at a time
    (memo JSON parsed and written back), which cost most of a no-change run's diff at size M; a text
    identical on both sides is the same after normalising, so only the others are normalised.
    """
    aligned = np.full(len(want), _MISSING, dtype=object)
    if col.kind not in ("string", "memo"):
        if held is not None:
            aligned[known] = normalize_column(held, col)
        return normalize_column(want, col), aligned
    raw = want.to_numpy(dtype=object)
    if held is not None:
        aligned[known] = held.to_numpy(dtype=object)
    same = np.fromiter((isinstance(w, str) and isinstance(h, str) and w == h
                        for w, h in zip(raw, aligned, strict=True)), dtype=bool, count=len(raw))
    wanted = raw.copy()
    missing = np.fromiter((_scalar_na(w) for w in raw), dtype=bool, count=len(raw))
    for i in np.flatnonzero(missing):  # nothing to normalise: missing stays missing, whatever is held
        wanted[i] = None
        if aligned[i] is not _MISSING and _scalar_na(aligned[i]):
            aligned[i] = None
    for i in np.flatnonzero(~same & ~missing):
        w, h = raw[i], aligned[i]
        wanted[i] = normalize(w, col)
        if h is not _MISSING and not (isinstance(h, str) and h == wanted[i]):
            aligned[i] = None if _scalar_na(h) else normalize(h, col)
    if col.max_length:  # equal texts need no normalising, only the column's length limit
        for i in np.flatnonzero(same):
            wanted[i] = aligned[i] = _limited(raw[i], col)
    return wanted, aligned


def _limited(text: str, col: schema.ColumnDef) -> str:
    return text[:col.max_length] if col.max_length and len(text) > col.max_length else text


def _changed(target: Target, col: schema.ColumnDef, want: np.ndarray, have: np.ndarray,
             now: datetime | None) -> np.ndarray:
    """Per row, whether the computed value differs from the held one as a seller would see it."""
    equal = np.array([w == h for w, h in zip(want, have, strict=True)], dtype=bool)
    suspect = np.flatnonzero(~equal)
    same = target.same_as_shown.get(col.logical_name)
    for i in suspect:
        w, h = want[i], have[i]
        if w is None or h is None or h is _MISSING:
            continue
        if (col.kind == "memo" and _memo_equal(w, h)) or (same is not None and now is not None and same(h, w, now)):
            equal[i] = True
    return ~equal


def plan_writes(target: Target, computed: pd.DataFrame, current: pd.DataFrame | None, *,
                current_id_column: str | None = None, primary_id: str | None = None,
                allow_deletes: bool = True, now: datetime | None = None,
                columns: tuple[schema.ColumnDef, ...] | None = None) -> list[Write]:
    """The writes that make Dataverse hold ``computed``.

    Values are compared a column at a time in their Dataverse form; a memo holding the same JSON, or a
    value the target's ``same_as_shown`` rule says a seller would see the same, is no change.

    Args:
        target: where the frame goes.
        computed: the computed values, one row per record, columns named by logical name.
        current: what Dataverse holds (from the snapshot), or ``None`` when nothing is known.
        current_id_column: the column of ``current`` that matches ``target.id_column`` (defaults to it).
        primary_id: for upsert targets, the primary-id column of ``current`` (used to delete rows).
        allow_deletes: ``False`` when the computation behind ``computed`` was incomplete this run.
        now: the run's time, for ``same_as_shown`` rules that depend on it.
        columns: the target table's columns (default: the core schema's).

    Returns:
        updates and upserts carrying only the changed columns (all columns for a new row), then deletes.
    """
    cols = {c.logical_name: c for c in (columns if columns is not None else schema.all_columns()[target.table])}
    want = _keyed(computed, target.id_column)
    data = [c for c in cols if c in want.columns and c != target.id_column]
    binds = [c for c in want.columns if c.endswith(BIND_SUFFIX)]
    have = pd.DataFrame(index=pd.Index([], dtype=object))
    ids: dict[str, str] = {}
    if current is not None and not current.empty:
        cid = current_id_column or target.id_column
        have = _keyed(current, cid)
        if primary_id and primary_id in current.columns:
            ids = {str(k): str(v) for k, v in zip(current[cid], current[primary_id], strict=True) if pd.notna(k)}
    known = want.index.isin(have.index)
    at = have.index.get_indexer(want.index[known])
    wanted: dict[str, np.ndarray] = {}
    changed: dict[str, np.ndarray] = {}
    for c in data:
        held = have[c].iloc[at] if c in have.columns else None
        wanted[c], aligned = _normalized_pair(want[c], held, known, cols[c])
        changed[c] = _changed(target, cols[c], wanted[c], aligned, now)
    writes = _bodies(target, want, wanted, changed, known, binds)
    if target.kind == "upsert" and target.delete_missing and allow_deletes:
        writes.extend(_deletes(target, set(want.index), have, cols, ids))
    return writes


def _bodies(target: Target, want: pd.DataFrame, wanted: dict[str, np.ndarray], changed: dict[str, np.ndarray],
            known: np.ndarray, binds: list[str]) -> list[Write]:
    writes: list[Write] = []
    stamps = set(target.stamp_columns)
    for i, key in enumerate(want.index):
        if not known[i]:
            if target.kind == "update":
                continue  # the record is gone (or unknown): never create a contact just to hold our columns
            # Key values travel in the URL (Dataverse copies them into a new row); nulls need no write.
            body = {c: v[i] for c, v in wanted.items() if v[i] is not None}
            body.update({c: want[c].iat[i] for c in binds if isinstance(want[c].iat[i], str)})
        else:
            # Lookup binds are set on create only; a seller's choice (create_only) is never overwritten.
            body = {c: v[i] for c, v in wanted.items() if changed[c][i] and c not in target.create_only}
            if not set(body) - stamps:
                continue
        if body:
            writes.append(Write(target.kind, target.table, target.entity_set, str(key), body))
    return writes


def _deletes(target: Target, want: set[str], have: pd.DataFrame, cols: Mapping[str, schema.ColumnDef],
             ids: Mapping[str, str]) -> list[Write]:
    out = []
    kept: set[str] = set()
    if target.keep_values and target.keep_values[0] in have.columns:
        column, values = target.keep_values
        held = normalize_column(have[column], cols[column])
        kept = {str(k) for k, v in zip(have.index, held, strict=True) if v in values}
    for key in sorted(have.index):
        if key in want or key not in ids or key in kept:
            continue
        out.append(Write("delete", target.table, target.entity_set, ids[key]))
    return out
