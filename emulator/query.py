"""Reads: collection queries with paging, change tracking (initial and delta), single records, ``$count``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from emulator.catalog import STRING_KINDS, Table
from emulator.errors import bad_request, does_not_exist
from emulator.expand import ExpandSpec, apply_expands, parse_expand, property_column, select_columns
from emulator.odata_filter import compile_filter
from emulator.paging import (
    Cursor,
    decode_deltatoken,
    decode_skiptoken,
    encode_deltatoken,
    encode_skiptoken,
    lower_escapes,
)
from emulator.prefer import MAX_PAGE, Prefer
from emulator.serialize import RawRows, Serializer
from emulator.store import Store, q

COUNT_CAP = 5000
_KNOWN = {"$select", "$filter", "$orderby", "$top", "$expand", "$count", "$skiptoken", "$deltatoken", "$apply"}
_UNSUPPORTED = {"$skip": "skip", "$search": "search", "$format": "format"}


@dataclass
class Ctx:
    """What a request handler needs: the store, the API base URL and the change-token expiry."""

    store: Store
    api_base: str
    expiry_days: float


def check_options(args: Mapping[str, str]) -> None:
    """Reject query options Dataverse does not support.

    Raises:
        ApiError: 400 for ``$skip``, ``$search``, ``$format`` or an unknown ``$`` option.
    """
    for key in args:
        if key in _UNSUPPORTED:
            raise bad_request(f"The query parameter ${_UNSUPPORTED[key]} is not supported", code="0x0")
        if key.startswith("$") and key not in _KNOWN:
            raise bad_request(f"The query parameter {key} is not supported", code="0x0")
    if "$apply" in args:
        raise bad_request("$apply is not supported by the emulator.", code="0x0")


def order_sql(table: Table, text: str) -> str:
    """SQL ORDER BY items for ``$orderby`` (without the primary-key tiebreaker).

    Raises:
        ApiError: 400 for an unknown property or direction.
    """
    items = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        name, _, direction = part.partition(" ")
        direction = direction.strip().lower() or "asc"
        if direction not in ("asc", "desc"):
            raise bad_request(f"Syntax error at position {len(name) + 1} in '{part}'.")
        col = property_column(table, name)
        collate = " COLLATE NOCASE" if col.kind in STRING_KINDS else ""
        items.append(f"{q(col.logical)}{collate} {direction.upper()}")
    return ", ".join(items)


def _context(ctx: Ctx, table: Table, args: Mapping[str, str], suffix: str = "") -> str:
    select = args.get("$select")
    shape = f"{table.entity_set}({select})" if select else table.entity_set
    return f"{ctx.api_base}$metadata#{shape}{suffix}"


def _link(ctx: Ctx, table: Table, params: list[tuple[str, str]]) -> str:
    return f"{ctx.api_base}{table.entity_set}?" + lower_escapes(urlencode(params, quote_via=quote, safe="$,'()"))


def get_collection(ctx: Ctx, table: Table, args: Mapping[str, str], prefer: Prefer,
                   extra: tuple[str, list[Any]] | None = None) -> tuple[dict[str, Any], list[str]]:
    """Answer ``GET /<set>``: a page of rows, ``@odata.nextLink``/``@odata.deltaLink``; applied preferences.

    ``extra`` is an additional SQL condition (used for ``/<set>(<id>)/<collection nav>``).

    Raises:
        ApiError: 400 for invalid options.
    """
    check_options(args)
    tracking = prefer.track_changes or "$deltatoken" in args
    if tracking:
        return _tracking(ctx, table, args, prefer)
    store = ctx.store
    cols = select_columns(table, args.get("$select"))
    where, params = "1=1", []
    if "$filter" in args:
        where, params = compile_filter(table, args["$filter"])
    if extra:
        where, params = f"({where}) AND {extra[0]}", [*params, *extra[1]]
    specs = parse_expand(store, table, args["$expand"]) if args.get("$expand") else []
    ordered = order_sql(table, args["$orderby"]) if args.get("$orderby") else ""
    top = _top(args)
    applied: list[str] = []
    if prefer.maxpagesize:
        page_size = prefer.maxpagesize
        applied.append(f"odata.maxpagesize={page_size}")
        top = None
    else:
        page_size = min(top, MAX_PAGE) if top is not None else MAX_PAGE
    cursor = decode_skiptoken(args["$skiptoken"]) if "$skiptoken" in args else Cursor()
    ser = Serializer(store, table, cols, prefer)
    pk = q(table.primary_id)
    page_where, page_params = where, list(params)
    if ordered:
        sql_order = f"{ordered}, {pk}"
        tail = f" LIMIT {page_size + 1} OFFSET {cursor.offset}"
    else:
        sql_order = pk
        tail = f" LIMIT {page_size + 1}"
        if cursor.last_id:
            page_where, page_params = f"({where}) AND {pk} > ?", [*params, cursor.last_id]
    body: dict[str, Any] = {"@odata.context": _context(ctx, table, args)}
    with store.read() as conn:
        if args.get("$count") == "true":
            n = conn.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM {q(table.sql_name)} WHERE {where} "
                             f"LIMIT {COUNT_CAP + 1})", params).fetchone()[0]
            body["@odata.count"] = min(n, COUNT_CAP)
            if prefer.annotations:
                body["@Microsoft.Dynamics.CRM.totalrecordcount"] = -1 if n > COUNT_CAP else n
                body["@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"] = n > COUNT_CAP
        fast = ser.simple and not specs
        select = f"{q(table.primary_id)}, {ser.json_sql()}" if fast else ser.select_sql()
        raw = conn.execute(f"SELECT {select} FROM {q(table.sql_name)} WHERE {page_where} "
                           f"ORDER BY {sql_order}{tail}", page_params).fetchall()
        more = len(raw) > page_size and top is None
        raw = raw[:page_size]
        if fast:
            rows: list[Any] = RawRows(r[1] for r in raw)
        else:
            rows = ser.rows(conn, raw)
        if specs:
            apply_expands(store, conn, table, rows, specs, prefer)
    body["value"] = rows
    if more:
        nxt = Cursor(page=cursor.page, offset=cursor.offset + page_size if ordered else 0,
                     last_id=None if ordered else raw[-1][0])
        params_out = [(k, v) for k, v in args.items() if k != "$skiptoken"]
        params_out.append(("$skiptoken", encode_skiptoken(nxt, table.primary_id)))
        body["@odata.nextLink"] = _link(ctx, table, params_out)
    if prefer.annotations:
        applied.append(f'odata.include-annotations="{prefer.annotations}"')
    return body, applied


def _top(args: Mapping[str, str]) -> int | None:
    if "$top" not in args:
        return None
    text = args["$top"]
    if not text.isdigit():
        raise bad_request(f"Invalid value '{text}' for $top query option found. The $top query option requires a "
                          "non-negative integer value.")
    return int(text)


def _tracking(ctx: Ctx, table: Table, args: Mapping[str, str], prefer: Prefer) -> tuple[dict[str, Any], list[str]]:
    for option in ("$filter", "$orderby", "$expand", "$top"):
        if option in args:
            raise bad_request(f'The "{option}" query parameter isn\'t supported when Change Tracking is enabled.',
                              code="0x0")
    if not table.change_tracking:
        raise bad_request(f"Change tracking is not enabled for the entity '{table.logical}'.", code="0x0")
    store = ctx.store
    cols = select_columns(table, args.get("$select"))
    ser = Serializer(store, table, cols, prefer)
    page_size = prefer.maxpagesize or MAX_PAGE
    applied = ["odata.track-changes"]
    if prefer.maxpagesize:
        applied.append(f"odata.maxpagesize={page_size}")
    cursor = decode_skiptoken(args["$skiptoken"]) if "$skiptoken" in args else Cursor(tracking=True)
    cursor.tracking = True
    base_params = [("$select", args["$select"])] if args.get("$select") else []
    if "$deltatoken" in args:
        since = decode_deltatoken(args["$deltatoken"], now=store.clock(), expiry_days=ctx.expiry_days,
                                  current_version=store.version)
        body = {"@odata.context": _context(ctx, table, args, "/$delta")}
        base_params.append(("$deltatoken", args["$deltatoken"]))
        values, nxt = _delta_page(ctx, table, ser, since, cursor, page_size)
    else:
        body = {"@odata.context": _context(ctx, table, args)}
        if cursor.snapshot is None:
            cursor.snapshot = store.version
        with store.read() as conn:
            where, params = ("1=1", []) if cursor.last_id is None else (f"{q(table.primary_id)} > ?", [cursor.last_id])
            if ser.simple:
                raw = conn.execute(f"SELECT {q(table.primary_id)}, {ser.json_sql()} FROM {q(table.sql_name)} "
                                   f"WHERE {where} ORDER BY {q(table.primary_id)} LIMIT {page_size + 1}",
                                   params).fetchall()
                values: list[Any] = RawRows(r[1] for r in raw[:page_size])
            else:
                raw = conn.execute(f"SELECT {ser.select_sql()} FROM {q(table.sql_name)} WHERE {where} "
                                   f"ORDER BY {q(table.primary_id)} LIMIT {page_size + 1}", params).fetchall()
                values = ser.rows(conn, raw[:page_size])
        nxt = None
        if len(raw) > page_size:
            nxt = Cursor(page=cursor.page, last_id=raw[page_size - 1][0], snapshot=cursor.snapshot, tracking=True)
    body["value"] = values
    if nxt is not None:
        body["@odata.nextLink"] = _link(ctx, table, [*base_params, ("$skiptoken", encode_skiptoken(
            nxt, table.primary_id))])
    else:
        snapshot = cursor.snapshot if cursor.snapshot is not None else store.version
        token = encode_deltatoken(snapshot, store.clock())
        delta_params = [(k, v) for k, v in base_params if k != "$deltatoken"] + [("$deltatoken", token)]
        body["@odata.deltaLink"] = _link(ctx, table, delta_params)
    if prefer.annotations:
        applied.append(f'odata.include-annotations="{prefer.annotations}"')
    return body, applied


def _delta_page(ctx: Ctx, table: Table, ser: Serializer, since: int, cursor: Cursor,
                page_size: int) -> tuple[list[dict[str, Any]], Cursor | None]:
    store = ctx.store
    if cursor.snapshot is None:
        cursor.snapshot = store.version
    upto = cursor.snapshot
    values: list[dict[str, Any]] = []
    with store.read() as conn:
        if cursor.phase == "rows":
            after = max(since, cursor.after)
            raw = conn.execute(f"SELECT {ser.select_sql()} FROM {q(table.sql_name)} WHERE _version > ? AND "
                               f"_version <= ? ORDER BY _version LIMIT {page_size + 1}", (after, upto)).fetchall()
            if len(raw) > page_size:
                values = ser.rows(conn, raw[:page_size])
                return values, Cursor(page=cursor.page, snapshot=upto, after=raw[page_size - 1][-1], tracking=True)
            values = ser.rows(conn, raw)
            cursor = Cursor(page=cursor.page, snapshot=upto, phase="deletes", after=since, tracking=True)
        room = page_size - len(values)
        after = max(since, cursor.after)
        gone = conn.execute("SELECT id, version FROM _emu_tombstones WHERE entity = ? AND version > ? AND "
                            f"version <= ? ORDER BY version LIMIT {room + 1}", (table.logical, after, upto)).fetchall()
    context = f"{ctx.api_base}$metadata#{table.entity_set}/$deletedEntity"
    for rid, _ in gone[:room]:
        values.append({"@odata.context": context, "id": rid, "reason": "deleted"})
    if len(gone) > room:
        last = gone[room - 1][1] if room > 0 else after
        return values, Cursor(page=cursor.page, snapshot=upto, phase="deletes", after=last, tracking=True)
    return values, None


def get_entity(ctx: Ctx, table: Table, record_id: str, args: Mapping[str, str],
               prefer: Prefer) -> dict[str, Any]:
    """Answer ``GET /<set>(<id>)`` (also used for ``return=representation``).

    Raises:
        ApiError: 404 when the record is missing; 400 for invalid options.
    """
    check_options(args)
    for option in ("$filter", "$orderby", "$top", "$skiptoken", "$deltatoken"):
        if option in args:
            raise bad_request(f"The query option '{option}' is not allowed on a single entity.", code="0x0")
    cols = select_columns(table, args.get("$select"))
    specs: list[ExpandSpec] = parse_expand(ctx.store, table, args["$expand"]) if args.get("$expand") else []
    ser = Serializer(ctx.store, table, cols, prefer)
    with ctx.store.read() as conn:
        raw = conn.execute(f"SELECT {ser.select_sql()} FROM {q(table.sql_name)} WHERE {q(table.primary_id)} = ?",
                           (record_id,)).fetchall()
        if not raw:
            raise does_not_exist(table.logical, record_id)
        rows = ser.rows(conn, raw)
        apply_expands(ctx.store, conn, table, rows, specs, prefer)
    return {"@odata.context": _context(ctx, table, args, "/$entity"), **rows[0]}


def count_rows(ctx: Ctx, table: Table, args: Mapping[str, str]) -> int:
    """Answer ``GET /<set>/$count`` (capped at 5,000).

    Raises:
        ApiError: 400 for an invalid ``$filter``.
    """
    where, params = compile_filter(table, args["$filter"]) if "$filter" in args else ("1=1", [])
    with ctx.store.read() as conn:
        n = conn.execute(f"SELECT COUNT(*) FROM (SELECT 1 FROM {q(table.sql_name)} WHERE {where} "
                         f"LIMIT {COUNT_CAP + 1})", params).fetchone()[0]
    return min(n, COUNT_CAP)

