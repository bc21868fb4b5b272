"""Turning stored rows into Web API JSON: values, ETags, lookup and formatted-value annotations."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from emulator.catalog import Column, Table
from emulator.prefer import Prefer
from emulator.store import Store, q

FORMATTED = "OData.Community.Display.V1.FormattedValue"
LOOKUP_NAME = "Microsoft.Dynamics.CRM.lookuplogicalname"
NAV_NAME = "Microsoft.Dynamics.CRM.associatednavigationproperty"
_BOOL_LABELS = {0: "No", 1: "Yes"}


def lookup_navs(table: Table, col: Column) -> dict[str, str]:
    """Single-valued navigation property names of a lookup → the table each one targets.

    Polymorphic lookups suffix the target (``parentcustomerid_account``); the regarding lookup of an activity
    also suffixes the activity (``regardingobjectid_contact_email``); custom lookups use their SchemaName.
    """
    base = col.schema_name if col.custom else col.logical
    if len(col.targets) == 1:
        return {base: col.targets[0]}
    if col.logical == "regardingobjectid":
        return {f"regardingobjectid_{t}_{table.logical}": t for t in col.targets}
    return {f"{base}_{t}": t for t in col.targets}


def out_key(col: Column) -> str:
    """The JSON property name of a column (``_x_value`` for lookups)."""
    return f"_{col.logical}_value" if col.is_lookup else col.logical


def _format_number(col: Column, value: Any) -> str:
    if col.kind == "money":
        return f"${value:,.2f}"
    if col.kind in ("decimal", "double"):
        return f"{value:,.{col.precision if col.precision is not None else 2}f}"
    return f"{value:,}"


def _format_datetime(value: str) -> str:
    # "2024-03-05T14:07:00Z" → "3/5/2024 2:07 PM" (the user's locale is en-US and time zone UTC here).
    year, month, day = int(value[0:4]), int(value[5:7]), int(value[8:10])
    if len(value) <= 10:
        return f"{month}/{day}/{year}"
    hour, minute = int(value[11:13]), int(value[14:16])
    return f"{month}/{day}/{year} {(hour % 12) or 12}:{minute:02d} {'AM' if hour < 12 else 'PM'}"


@dataclass
class Serializer:
    """Serialises rows of one table for one request.

    Args:
        store: the organisation's store (for lookup names).
        table: the table the rows come from.
        columns: the selected columns (primary key included by the caller).
        prefer: the request's preferences (annotations).
    """

    store: Store
    table: Table
    columns: list[Column]
    prefer: Prefer

    def __post_init__(self) -> None:
        self.formatted = self.prefer.wants(FORMATTED)
        self.lookup_names = self.prefer.wants(LOOKUP_NAME)
        self.nav_names = self.prefer.wants(NAV_NAME)
        self.sql_select: list[str] = []
        self._plan: list[tuple[str, int, Column]] = []
        for col in self.columns:
            self._plan.append((out_key(col), len(self.sql_select), col))
            self.sql_select.append(q(col.logical))
            if col.is_lookup:
                self.sql_select.append(q(col.type_column))
        self.sql_select.append("_version")

    @property
    def simple(self) -> bool:
        """Whether no annotation is wanted, so SQLite can write the JSON itself (:meth:`json_sql`)."""
        return not (self.formatted or self.lookup_names or self.nav_names)

    def json_sql(self) -> str:
        """An SQL expression building each row's JSON object (etag first), for :attr:`simple` serialisation.

        SQLite's ``json_object`` takes at most 127 arguments, so wide rows are built from chunks joined as text
        (no value ends the object text but the closing brace, so trimming one brace is exact).
        """
        pairs = ["'@odata.etag', 'W/\"' || _version || '\"'"]
        for key, _, col in self._plan:
            expr = q(col.logical)
            if col.kind == "boolean":
                expr = f"CASE WHEN {expr} IS NULL THEN NULL WHEN {expr} THEN json('true') ELSE json('false') END"
            pairs.append(f"'{key}', {expr}")
        chunks = [f"json_object({', '.join(pairs[i:i + 60])})" for i in range(0, len(pairs), 60)]
        if len(chunks) == 1:
            return chunks[0]
        middle = [f"substr({c}, 2, length({c}) - 2)" for c in chunks[1:-1]]
        first, last = chunks[0], chunks[-1]
        parts = [f"substr({first}, 1, length({first}) - 1)", *middle, f"substr({last}, 2)"]
        return " || ',' || ".join(parts)

    def select_sql(self, alias: str = "") -> str:
        """The SQL select list matching :meth:`rows`."""
        prefix = f"{alias}." if alias else ""
        return ", ".join(prefix + s for s in self.sql_select)

    def rows(self, conn: sqlite3.Connection, raw: Iterable[tuple[Any, ...]]) -> list[dict[str, Any]]:
        """JSON objects for raw SQL rows (as selected by :meth:`select_sql`)."""
        raw = list(raw)
        simple = self.simple
        bools = [(k, i) for k, i, c in self._plan if c.kind == "boolean"]
        plan = [(k, i) for k, i, _ in self._plan]
        out: list[dict[str, Any]] = []
        append = out.append
        if simple:
            for r in raw:
                d = {"@odata.etag": f'W/"{r[-1]}"'}
                for key, i in plan:
                    d[key] = r[i]
                for key, i in bools:
                    if r[i] is not None:
                        d[key] = bool(r[i])
                append(d)
            return out
        names = self._lookup_names(conn, raw) if self.formatted else {}
        for r in raw:
            d = {"@odata.etag": f'W/"{r[-1]}"'}
            for key, i, col in self._plan:
                value = r[i]
                if col.is_lookup and value is not None:
                    target = r[i + 1]
                    if self.formatted and (target, value) in names:
                        d[f"{key}@{FORMATTED}"] = names[(target, value)]
                    if self.nav_names:
                        navs = {v: k for k, v in lookup_navs(self.table, col).items()}
                        d[f"{key}@{NAV_NAME}"] = navs.get(target, col.logical)
                    if self.lookup_names:
                        d[f"{key}@{LOOKUP_NAME}"] = target
                elif self.formatted and value is not None:
                    label = self._label(col, value)
                    if label is not None:
                        d[f"{key}@{FORMATTED}"] = label
                d[key] = bool(value) if col.kind == "boolean" and value is not None else value
            append(d)
        return out

    def _label(self, col: Column, value: Any) -> str | None:
        if col.kind in ("picklist", "state", "status"):
            return col.options.get(value, str(value))
        if col.kind == "boolean":
            return (col.options or _BOOL_LABELS).get(int(value))
        if col.kind in ("integer", "bigint", "decimal", "money", "double"):
            return _format_number(col, value)
        if col.kind in ("datetime", "dateonly"):
            return _format_datetime(value)
        return None

    def _lookup_names(self, conn: sqlite3.Connection, raw: list[tuple[Any, ...]]) -> dict[tuple[str, str], str]:
        wanted: dict[str, set[str]] = defaultdict(set)
        for _, i, col in self._plan:
            if col.is_lookup:
                for r in raw:
                    if r[i] is not None and r[i + 1] is not None:
                        wanted[r[i + 1]].add(r[i])
        return primary_names(self.store, conn, wanted)


def primary_names(store: Store, conn: sqlite3.Connection, wanted: dict[str, set[str]]) -> dict[tuple[str, str], str]:
    """Primary-name values of the given records: ``{(table, id): name}``."""
    names: dict[tuple[str, str], str] = {}
    for logical, ids in wanted.items():
        target = store.tables.get(logical)
        if target is None or not target.primary_name or target.primary_name not in target.columns:
            continue
        id_list = sorted(ids)
        for start in range(0, len(id_list), 500):
            chunk = id_list[start:start + 500]
            sql = (f"SELECT {q(target.primary_id)}, {q(target.primary_name)} FROM {q(target.sql_name)} "
                   f"WHERE {q(target.primary_id)} IN ({', '.join('?' * len(chunk))})")
            for rid, name in conn.execute(sql, chunk):
                if name is not None:
                    names[(logical, rid)] = name
    return names


class RawRows(list[str]):
    """Rows already serialised to JSON text (by SQLite), spliced into the response as they are."""
