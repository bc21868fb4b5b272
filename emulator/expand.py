"""``$expand`` of single-valued lookups and of the activity-party collections."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from emulator.catalog import Column, Table
from emulator.errors import bad_request, unknown_property
from emulator.odata_filter import compile_filter
from emulator.prefer import Prefer
from emulator.serialize import Serializer, lookup_navs
from emulator.store import Store, q


def property_column(table: Table, name: str) -> Column:
    """The column a Web API property name stands for (``_x_value`` for a lookup ``x``).

    Raises:
        ApiError: Dataverse's "Could not find a property named …" for anything else.
    """
    col = table.columns.get(name)
    if name.startswith("_") and name.endswith("_value"):
        col = table.columns.get(name[1:-6])
        if col is None or not col.is_lookup:
            raise unknown_property(name, table.logical)
    elif col is None or col.is_lookup:
        raise unknown_property(name, table.logical)
    return col

def split_top(text: str, sep: str) -> list[str]:
    """Split on ``sep`` outside parentheses and quotes."""
    parts, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(text):
        if ch == "'":
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
        elif not quoted and ch == ")":
            depth -= 1
        elif not quoted and depth == 0 and ch == sep:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


@dataclass
class ExpandSpec:
    """One ``$expand`` item."""

    nav: str
    target: Table
    lookup: Column | None = None
    select: list[Column] = field(default_factory=list)
    where: tuple[str, list[Any]] | None = None
    order: str | None = None
    top: int | None = None


def select_columns(table: Table, text: str | None) -> list[Column]:
    """The columns named by ``$select`` (all when absent); the primary key always comes first.

    Raises:
        ApiError: 400 for an unknown property.
    """

    pk = table.columns[table.primary_id]
    if not text:
        return [pk, *(c for c in table.columns.values() if c is not pk)]
    cols = [pk]
    for name in (n.strip() for n in text.split(",")):
        if not name:
            continue
        col = property_column(table, name)
        if col not in cols:
            cols.append(col)
    return cols


def parse_expand(store: Store, table: Table, text: str) -> list[ExpandSpec]:
    """Parse ``$expand``.

    Raises:
        ApiError: 400 for an unknown navigation property or option.
    """
    from emulator.query import order_sql

    specs = []
    for item in split_top(text, ","):
        nav, _, rest = item.partition("(")
        nav = nav.strip()
        options: dict[str, str] = {}
        if rest:
            if not rest.endswith(")"):
                raise bad_request(f"Syntax error in $expand at '{item}'.")
            for opt in split_top(rest[:-1], ";"):
                key, _, value = opt.partition("=")
                options[key.strip()] = value.strip()
        spec = _resolve_nav(store, table, nav)
        unknown = set(options) - ({"$select"} if spec.lookup else {"$select", "$filter", "$orderby", "$top"})
        if unknown:
            raise bad_request(f"The query option '{sorted(unknown)[0]}' is not supported in this $expand.",
                              code="0x0")
        spec.select = select_columns(spec.target, options.get("$select"))
        if "$filter" in options:
            spec.where = compile_filter(spec.target, options["$filter"])
        if "$orderby" in options:
            spec.order = order_sql(spec.target, options["$orderby"])
        if "$top" in options:
            if not options["$top"].isdigit():
                raise bad_request(f"Invalid value '{options['$top']}' for $top query option.")
            spec.top = int(options["$top"])
        specs.append(spec)
    if len(specs) > 15:
        raise bad_request("Number of expand options in the query exceeds the limit of 15.", code="0x0")
    return specs


def _resolve_nav(store: Store, table: Table, nav: str) -> ExpandSpec:
    if table.party_nav == nav:
        return ExpandSpec(nav, store.tables["activityparty"])
    for col in table.columns.values():
        if col.is_lookup:
            target = lookup_navs(table, col).get(nav)
            if target is not None and target in store.tables:
                return ExpandSpec(nav, store.tables[target], lookup=col)
    raise bad_request(f"Could not find a property named '{nav}' on type 'Microsoft.Dynamics.CRM.{table.logical}'.",
                      code="0x0")


def apply_expands(store: Store, conn: sqlite3.Connection, table: Table, rows: list[dict[str, Any]],
                  specs: list[ExpandSpec], prefer: Prefer) -> None:
    """Add the expanded properties to ``rows`` in place."""
    if not rows:
        return
    ids = [r[table.primary_id] for r in rows]
    for spec in specs:
        ser = Serializer(store, spec.target, spec.select, prefer)
        if spec.lookup is None:
            grouped = _parties(conn, spec, ser, ids)
            for r in rows:
                r[spec.nav] = grouped.get(r[table.primary_id], [])
            continue
        links = _lookups(conn, table, spec.lookup, ids)
        wanted = {tid for tid, ttype in links.values() if ttype == spec.target.logical}
        found: dict[str, dict[str, Any]] = {}
        wanted_list = sorted(wanted)
        for start in range(0, len(wanted_list), 500):
            chunk = wanted_list[start:start + 500]
            sql = (f"SELECT {ser.select_sql()} FROM {q(spec.target.sql_name)} "
                   f"WHERE {q(spec.target.primary_id)} IN ({', '.join('?' * len(chunk))})")
            for obj in ser.rows(conn, conn.execute(sql, chunk)):
                found[obj[spec.target.primary_id]] = obj
        for r in rows:
            tid, ttype = links.get(r[table.primary_id], (None, None))
            r[spec.nav] = found.get(tid) if ttype == spec.target.logical else None


def _lookups(conn: sqlite3.Connection, table: Table, col: Column, ids: list[str]) -> dict[str, tuple[str, str]]:
    out = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        sql = (f"SELECT {q(table.primary_id)}, {q(col.logical)}, {q(col.type_column)} FROM {q(table.sql_name)} "
               f"WHERE {q(table.primary_id)} IN ({', '.join('?' * len(chunk))})")
        for rid, tid, ttype in conn.execute(sql, chunk):
            out[rid] = (tid, ttype)
    return out


def _parties(conn: sqlite3.Connection, spec: ExpandSpec, ser: Serializer,
             ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    grouped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        where = f"activityid IN ({', '.join('?' * len(chunk))})"
        params: list[Any] = list(chunk)
        if spec.where:
            where += f" AND {spec.where[0]}"
            params.extend(spec.where[1])
        order = spec.order or "activitypartyid"
        sql = f"SELECT activityid, {ser.select_sql()} FROM t_activityparty WHERE {where} ORDER BY {order}"
        raw = conn.execute(sql, params).fetchall()
        objs = ser.rows(conn, (r[1:] for r in raw))
        for r, obj in zip(raw, objs, strict=True):
            if spec.top is None or len(grouped[r[0]]) < spec.top:
                grouped[r[0]].append(obj)
    return grouped
