"""Fast bulk load of generated rows (DemoOrg hand-over format) into the store: one executemany per table."""

from __future__ import annotations

import sqlite3
from typing import Any

from emulator.catalog import Table
from emulator.store import Store, q, sql_columns


def full_name(first: object, last: object) -> str | None:
    """Dataverse's computed fullname: "First Last" (either part may be missing)."""
    parts = [p for p in (first, last) if isinstance(p, str) and p]
    return " ".join(parts) if parts else None


def load_rows(store: Store, conn: sqlite3.Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` (logical names; lookups as ``{"id", "logicalname"}``) into ``table``.

    Values are taken as given (the generator writes Web API forms); booleans become 0/1, lookups split into
    id and target, ``fullname`` is computed where Dataverse computes it, and each row gets the next version.

    Raises:
        ValueError: a row has a column the table does not have (naming the table, row and column).
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

    def convert(row: dict[str, Any]) -> list[Any]:
        out: list[Any] = []
        for col in cols:
            value = row.get(col.logical)
            if col.is_lookup:
                if value is None:
                    out.extend((None, None))
                else:
                    out.extend((str(value["id"]).lower(), value["logicalname"]))
                continue
            if value is None:
                if col.logical == "fullname" and computes_name:
                    value = full_name(row.get("firstname"), row.get("lastname"))
                elif col.logical == "activitytypecode":
                    value = table.logical
                elif col.logical in ("createdon", "modifiedon"):
                    value = row.get("createdon") or now
            elif isinstance(value, bool):
                value = int(value)
            elif col.kind == "uniqueidentifier":
                value = str(value).lower()
            out.append(value)
        out.append(store.next_version())
        return out

    conn.executemany(sql, (convert(r) for r in rows))
