"""Diff computed insight values against what Dataverse holds, producing only the writes needed.

Pure: frames in, a list of :class:`Write` out. Values are compared in their Dataverse form (ints,
decimals rounded to the column's precision, UTC date-times to the second, canonical JSON for memo
columns), so a value that round-trips through Dataverse never looks changed and a steady-state run
writes nothing.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

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
    """

    table: str
    entity_set: str
    kind: Literal["update", "upsert"]
    id_column: str
    create_only: tuple[str, ...] = ()
    keep_values: tuple[str, tuple[Any, ...]] | None = None
    delete_missing: bool = True
    stamp_columns: tuple[str, ...] = ()


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
    text = value if isinstance(value, str) else json.dumps(value, sort_keys=True, ensure_ascii=False)
    if kind == "memo":
        try:
            text = json.dumps(json.loads(text), sort_keys=True, ensure_ascii=False)
        except ValueError:
            pass  # plain text, not JSON: compared as it is
    limit = col.max_length
    return text[:limit] if limit and len(text) > limit else text


BIND_SUFFIX = "@odata.bind"


def _rows(frame: pd.DataFrame, id_column: str, cols: Mapping[str, schema.ColumnDef]) -> dict[str, dict[str, Any]]:
    present = [c for c in cols if c in frame.columns and c != id_column]
    binds = [c for c in frame.columns if c.endswith(BIND_SUFFIX)]
    out: dict[str, dict[str, Any]] = {}
    for rec in frame[[id_column, *present, *binds]].to_dict("records"):
        key = rec.pop(id_column)
        if key is None or (isinstance(key, float) and math.isnan(key)) or key is pd.NA:
            continue
        out[str(key)] = {c: (v if c.endswith(BIND_SUFFIX) else normalize(v, cols[c])) for c, v in rec.items()
                         if not c.endswith(BIND_SUFFIX) or isinstance(v, str)}
    return out


def plan_writes(target: Target, computed: pd.DataFrame, current: pd.DataFrame | None, *,
                current_id_column: str | None = None, primary_id: str | None = None,
                allow_deletes: bool = True) -> list[Write]:
    """The writes that make Dataverse hold ``computed``.

    Args:
        target: where the frame goes.
        computed: the computed values, one row per record, columns named by logical name.
        current: what Dataverse holds (from the snapshot), or ``None`` when nothing is known.
        current_id_column: the column of ``current`` that matches ``target.id_column`` (defaults to it).
        primary_id: for upsert targets, the primary-id column of ``current`` (used to delete rows).
        allow_deletes: ``False`` when the computation behind ``computed`` was incomplete this run.

    Returns:
        updates and upserts carrying only the changed columns (all columns for a new row), then deletes.
    """
    cols = _columns(target.table)
    want = _rows(computed, target.id_column, cols)
    have: dict[str, dict[str, Any]] = {}
    ids: dict[str, str] = {}
    if current is not None and not current.empty:
        cid = current_id_column or target.id_column
        have = _rows(current, cid, cols)
        if primary_id and primary_id in current.columns:
            ids = {str(k): str(v) for k, v in zip(current[cid], current[primary_id], strict=True) if pd.notna(k)}
    writes: list[Write] = []
    for key, values in want.items():
        if target.kind == "update" and key not in have:
            continue  # the record is gone (or unknown): never create a contact just to hold our columns
        old = have.get(key)
        if old is None:
            # Key values travel in the URL (Dataverse copies them into a new row); nulls need no write.
            body = {c: v for c, v in values.items() if c != target.id_column and v is not None}
        else:
            # Lookup binds (``regardingobjectid_contact_osi_insight@odata.bind``) are set on create only.
            body = {c: v for c, v in values.items()
                    if c not in target.create_only and c != target.id_column and not c.endswith(BIND_SUFFIX)
                    and old.get(c) != v}
            if not set(body) - set(target.stamp_columns):
                body = {}
        if body:
            writes.append(Write(target.kind, target.table, target.entity_set, key, body))
    if target.kind == "upsert" and target.delete_missing and allow_deletes:
        writes.extend(_deletes(target, want, have, ids))
    return writes


def _deletes(target: Target, want: Mapping[str, Any], have: Mapping[str, dict[str, Any]],
             ids: Mapping[str, str]) -> list[Write]:
    out = []
    for key, old in have.items():
        if key in want or key not in ids:
            continue
        if target.keep_values and old.get(target.keep_values[0]) in target.keep_values[1]:
            continue
        out.append(Write("delete", target.table, target.entity_set, ids[key]))
    return out

