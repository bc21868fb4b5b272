"""Fast bulk load of generated rows (DemoOrg hand-over format) into the store: one executemany per table."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from emulator.catalog import Column, Table
from emulator.store import Store, q, sql_columns
from emulator.values import EARLIEST, LATEST, format_date, format_dt, parse_dt

_ISO_Z = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")


def full_name(first: object, last: object) -> str | None:
    """Dataverse's computed fullname: "First Last" (either part may be missing)."""
    parts = [p for p in (first, last) if isinstance(p, str) and p]
    return " ".join(parts) if parts else None


def _datetime(table: Table, row: dict[str, Any], col: Column, value: Any) -> str:
    """A datetime value in storage form; the common exact form passes without parsing."""
    if not col.date_only and isinstance(value, str) and len(value) == 20 and value[10] == "T" and value[19] == "Z" \
            and _ISO_Z.match(value):
        return value
    parsed = parse_dt(value) if isinstance(value, str) else None
    if parsed is None or not EARLIEST <= parsed <= LATEST:
        raise ValueError(f"{table.logical} row {row.get(table.primary_id)}: column '{col.logical}' is not a valid "
                         f"date-time: {str(value)[:40]!r}")
    return format_date(parsed) if col.date_only else format_dt(parsed)


def load_rows(store: Store, conn: sqlite3.Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (logical names; lookups as ``{"id", "logicalname"}``) into ``table``.

    Values are taken as given (the generator writes Web API forms); booleans become 0/1, lookups split into
    id and target, datetimes are checked and normalised, ``fullname`` is computed where Dataverse computes it,
    and each row gets the next version.

    Raises:
        ValueError: a row has a column the table does not have, or an invalid date-time (naming the table, row
            and column).
    """
    if not rows:
        return
    names: list[str] = []
    for row in rows:
        for key in row:
            if key not in names:
                names.append(key)
    for key in names:
        if key not in table.columns:
            bad = next(r for r in rows if key in r)
            raise ValueError(f"{table.logical} row {bad.get(table.primary_id)}: unknown column '{key}'")
    computes_name = table.logical in ("contact", "lead", "systemuser")
    if computes_name and "fullname" not in names:
        names.append("fullname")
    if table.is_activity and "activitytypecode" not in names:
        names.append("activitytypecode")
    now = store.now()
    for stamp in ("createdon", "modifiedon"):
        if stamp in table.columns and stamp not in names:
            names.append(stamp)
    cols = [table.columns[n] for n in names]
    sql_names = [name for col in cols for name, _ in sql_columns(col)]
    sql = (f"INSERT INTO {q(table.sql_name)} ({', '.join(q(n) for n in [*sql_names, '_version'])}) "
           f"VALUES ({', '.join('?' * (len(sql_names) + 1))})")

    # One small plan per column, resolved once, so the per-row loop does no attribute lookups.
    plan = []
    for col in cols:
        if col.is_lookup:
            plan.append((col.logical, 1, None))
        elif col.logical == "fullname" and computes_name:
            plan.append((col.logical, 2, None))
        elif col.logical == "activitytypecode":
            plan.append((col.logical, 3, table.logical))
        elif col.logical in ("createdon", "modifiedon"):
            plan.append((col.logical, 4, now))
        elif col.kind == "uniqueidentifier":
            plan.append((col.logical, 5, None))
        elif col.kind in ("datetime", "dateonly"):
            plan.append((col.logical, 6, col))
        else:
            plan.append((col.logical, 0, None))
    next_version = store.next_version

    def convert(row: dict[str, Any]) -> list[Any]:
        out: list[Any] = []
        append = out.append
        get = row.get
        for name, how, default in plan:
            value = get(name)
            if how == 0:
                append(int(value) if value is True or value is False else value)
            elif how == 1:
                if value is None:
                    append(None)
                    append(None)
                else:
                    append(str(value["id"]).lower())
                    append(value["logicalname"])
            elif value is not None:
                if how == 6:
                    append(_datetime(table, row, default, value))
                else:
                    append(str(value).lower() if how == 5 else value)
            elif how == 2:
                append(full_name(get("firstname"), get("lastname")))
            elif how == 3:
                append(default)
            elif how == 4:
                append(get("createdon") or default)
            else:
                append(None)
        append(next_version())
        return out

    conn.executemany(sql, (convert(r) for r in rows))
