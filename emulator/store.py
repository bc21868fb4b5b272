"""SQLite storage of an emulated organisation: one real table per entity, row versions, tombstones, catalog.

Threading: readers take a pooled connection (WAL mode lets them run beside the writer); every write runs under
one re-entrant lock on one writer connection, so a ``$batch`` change set can span several operations and roll
back as a whole.
"""

from __future__ import annotations

import contextlib
import json
import queue
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from emulator.catalog import POINTER_COLUMNS, Column, Table, standard_tables
from emulator.values import format_dt

_SQL_TYPES = {"uniqueidentifier": "TEXT", "string": "TEXT", "memo": "TEXT", "entityname": "TEXT", "integer": "INTEGER",
              "bigint": "INTEGER", "picklist": "INTEGER", "state": "INTEGER", "status": "INTEGER",
              "boolean": "INTEGER", "decimal": "REAL", "money": "REAL", "double": "REAL", "datetime": "TEXT",
              "dateonly": "TEXT", "lookup": "TEXT"}


def q(name: str) -> str:
    """Quote an SQL identifier (names come from the catalog, never from a request)."""
    return '"' + name.replace('"', '""') + '"'


def sql_columns(col: Column) -> list[tuple[str, str]]:
    """The SQLite columns (name, type) that hold one attribute."""
    if col.is_lookup:
        return [(col.logical, "TEXT"), (col.type_column, "TEXT")]
    return [(col.logical, _SQL_TYPES[col.kind])]


class Store:
    """The rows, versions, tombstones and catalog of one organisation.

    Args:
        db_path: SQLite file; ``None`` for a temporary file removed on :meth:`close`.
        clock: returns the current aware UTC datetime.
    """

    def __init__(self, db_path: str | Path | None, *, clock: Callable[[], datetime] | None = None) -> None:
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        if db_path is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="osi-emulator-")
            db_path = Path(self._tmp.name) / "org.sqlite"
        self.path = Path(db_path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.clock = clock or (lambda: datetime.now(UTC))
        self.lock = threading.RLock()
        self._local = threading.local()
        self._pool: queue.SimpleQueue[sqlite3.Connection] = queue.SimpleQueue()
        self._all: list[sqlite3.Connection] = []
        self._writer = self._pooled()
        # Bulk loads insert random GUID keys; a large page cache keeps the primary-key B-tree in memory.
        self._writer.execute("PRAGMA cache_size=-262144")
        self.tables: dict[str, Table] = {}
        self.graph: Any = None
        self._version = 0
        self._open()

    # --- connections ---------------------------------------------------------------------------------

    def connect(self) -> sqlite3.Connection:
        """A new connection to the database that the caller owns and closes (autocommit; BEGIN explicitly)."""
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA busy_timeout=30000")
        return conn

    def _pooled(self) -> sqlite3.Connection:
        conn = self.connect()
        self._all.append(conn)
        return conn

    @contextlib.contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """A connection for reading; inside a write transaction, the writer (to see its own changes)."""
        if getattr(self._local, "depth", 0):
            yield self._writer
            return
        try:
            conn = self._pool.get_nowait()
        except queue.Empty:
            conn = self._pooled()
        try:
            yield conn
        finally:
            self._pool.put(conn)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """The writer connection inside a transaction; nested uses join the outer one.

        The outermost block commits on success and rolls back when an exception leaves it.
        """
        with self.lock:
            depth = getattr(self._local, "depth", 0)
            self._local.depth = depth + 1
            try:
                if depth == 0:
                    self._writer.execute("BEGIN IMMEDIATE")
                try:
                    yield self._writer
                except BaseException:
                    if depth == 0:
                        self._writer.execute("ROLLBACK")
                        self._reload_catalog_if_needed()
                    raise
                if depth == 0:
                    self._writer.execute("UPDATE _emu_seq SET v = ?", (self._version,))
                    self._writer.execute("COMMIT")
            finally:
                self._local.depth = depth

    def in_transaction(self) -> bool:
        """Whether the calling thread is inside :meth:`transaction`."""
        return bool(getattr(self._local, "depth", 0))

    def next_version(self) -> int:
        """The next row version (monotonic across the organisation; call inside a transaction)."""
        self._version += 1
        return self._version

    @property
    def version(self) -> int:
        """The latest version handed out."""
        return self._version

    def now(self) -> str:
        """The clock's current time in Dataverse's format."""
        return format_dt(self.clock())

    def close(self) -> None:
        """Close every connection and remove a temporary database."""
        for conn in self._all:
            with contextlib.suppress(sqlite3.Error):
                conn.close()
        self._all.clear()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None

    # --- schema --------------------------------------------------------------------------------------

    def _open(self) -> None:
        conn = self._writer
        conn.execute("CREATE TABLE IF NOT EXISTS _emu_catalog (logical TEXT PRIMARY KEY, definition TEXT NOT NULL)")
        conn.execute("CREATE TABLE IF NOT EXISTS _emu_seq (v INTEGER NOT NULL)")
        conn.execute("CREATE TABLE IF NOT EXISTS _emu_tombstones (entity TEXT NOT NULL, id TEXT NOT NULL, "
                     "version INTEGER NOT NULL, deletedon TEXT NOT NULL)")
        conn.execute("CREATE INDEX IF NOT EXISTS _emu_tombstones_v ON _emu_tombstones (entity, version)")
        if conn.execute("SELECT COUNT(*) FROM _emu_seq").fetchone()[0] == 0:
            conn.execute("INSERT INTO _emu_seq (v) VALUES (0)")
        self._version = conn.execute("SELECT v FROM _emu_seq").fetchone()[0]
        saved = conn.execute("SELECT definition FROM _emu_catalog").fetchall()
        if saved:
            self.tables = {t.logical: t for t in (Table.from_json(json.loads(d)) for (d,) in saved)}
            missing = [t for name, t in standard_tables().items() if name not in self.tables]
            if missing:  # a file from before a standard table was added (publisher, solution)
                with self.transaction() as tx:
                    for table in missing:
                        self._create_table(tx, table)
        else:
            with self.transaction() as tx:
                for table in standard_tables().values():
                    self._create_table(tx, table)

    def _reload_catalog_if_needed(self) -> None:
        saved = self._writer.execute("SELECT definition FROM _emu_catalog").fetchall()
        self.tables = {t.logical: t for t in (Table.from_json(json.loads(d)) for (d,) in saved)}

    def save_table(self, conn: sqlite3.Connection, table: Table) -> None:
        """Persist a table's catalog entry."""
        conn.execute("INSERT OR REPLACE INTO _emu_catalog (logical, definition) VALUES (?, ?)",
                     (table.logical, json.dumps(table.to_json())))
        # Copy-on-write: request threads iterate the catalog without a lock.
        self.tables = {**self.tables, table.logical: table}

    def _create_table(self, conn: sqlite3.Connection, table: Table) -> None:
        if not table.is_view:
            cols = []
            for col in table.columns.values():
                for name, sql_type in sql_columns(col):
                    suffix = " PRIMARY KEY" if name == table.primary_id else ""
                    cols.append(f"{q(name)} {sql_type}{suffix}")
            cols.append('"_version" INTEGER NOT NULL')
            conn.execute(f"CREATE TABLE {q(table.sql_name)} ({', '.join(cols)})")
            conn.execute(f"CREATE INDEX {q(table.sql_name + '__v')} ON {q(table.sql_name)} (_version)")
            for col in table.columns.values():
                if col.is_lookup:
                    conn.execute(f"CREATE INDEX {q(table.sql_name + '__' + col.logical)} "
                                 f"ON {q(table.sql_name)} ({q(col.logical)})")
        self.save_table(conn, table)
        if table.is_activity:
            self.rebuild_pointer_view(conn)

    def create_table(self, table: Table) -> None:
        """Add a table (metadata API)."""
        with self.transaction() as conn:
            self._create_table(conn, table)

    def add_column(self, table: Table, col: Column) -> None:
        """Add a column to an existing table (metadata API)."""
        with self.transaction() as conn:
            for name, sql_type in sql_columns(col):
                conn.execute(f"ALTER TABLE {q(table.sql_name)} ADD COLUMN {q(name)} {sql_type}")
            table.columns = {**table.columns, col.logical: col}
            self.save_table(conn, table)

    def rebuild_pointer_view(self, conn: sqlite3.Connection) -> None:
        """(Re)create the activitypointer view as the union of every activity table."""
        conn.execute('DROP VIEW IF EXISTS "t_activitypointer"')
        parts = []
        for t in self.tables.values():
            if t.is_activity and not t.is_view:
                names = ["activityid", *POINTER_COLUMNS]
                cols = []
                for name in names:
                    col = t.columns.get(name)
                    if col is None:
                        cols.append(f"NULL AS {q(name)}")
                        continue
                    cols.extend(q(n) for n, _ in sql_columns(col))
                parts.append(f"SELECT {', '.join(cols)}, _version FROM {q(t.sql_name)}")
        if parts:
            conn.execute(f'CREATE VIEW "t_activitypointer" AS {" UNION ALL ".join(parts)}')

    # --- rows ----------------------------------------------------------------------------------------

    def insert(self, conn: sqlite3.Connection, table: Table, values: dict[str, Any]) -> int:
        """Insert one row given in storage form (SQL column → value); returns its version."""
        version = self.next_version()
        names = [*values, "_version"]
        conn.execute(f"INSERT INTO {q(table.sql_name)} ({', '.join(q(n) for n in names)}) "
                     f"VALUES ({', '.join('?' * len(names))})", [*values.values(), version])
        return version

    def update(self, conn: sqlite3.Connection, table: Table, record_id: str, values: dict[str, Any]) -> int:
        """Update one row in storage form; returns its new version."""
        version = self.next_version()
        sets = ", ".join(f"{q(n)} = ?" for n in [*values, "_version"])
        conn.execute(f"UPDATE {q(table.sql_name)} SET {sets} WHERE {q(table.primary_id)} = ?",
                     [*values.values(), version, record_id])
        return version

    def delete(self, conn: sqlite3.Connection, table: Table, record_id: str) -> None:
        """Delete one row, leaving a tombstone for change tracking (and cascading to activity parties)."""
        conn.execute(f"DELETE FROM {q(table.sql_name)} WHERE {q(table.primary_id)} = ?", (record_id,))
        conn.execute("INSERT INTO _emu_tombstones (entity, id, version, deletedon) VALUES (?, ?, ?, ?)",
                     (table.logical, record_id, self.next_version(), self.now()))
        if table.is_activity:
            conn.execute('DELETE FROM "t_activityparty" WHERE activityid = ?', (record_id,))

    def fetch(self, conn: sqlite3.Connection, table: Table, record_id: str) -> dict[str, Any] | None:
        """One row in storage form (with ``_version``), or ``None``."""
        cur = conn.execute(f"SELECT * FROM {q(table.sql_name)} WHERE {q(table.primary_id)} = ?", (record_id,))
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cur.description], row, strict=True))

    def count(self, table: str) -> int:
        """Number of rows in a table (logical name)."""
        with self.read() as conn:
            return conn.execute(f"SELECT COUNT(*) FROM {q(self.tables[table].sql_name)}").fetchone()[0]

    def activity_tables(self) -> list[Table]:
        """Every (non-view) activity table, standard and custom."""
        return [t for t in self.tables.values() if t.is_activity and not t.is_view]

    def load_org(self, org: Any) -> None:
        """Bulk-load a :class:`emulator.org.DemoOrg` in one transaction.

        Raises:
            ValueError: a row names a table or column the organisation does not have.
        """
        from emulator.bulk import load_rows

        with self.transaction() as conn:
            for logical, rows in org.tables.items():
                if logical not in self.tables or self.tables[logical].is_view:
                    raise ValueError(f"DemoOrg table '{logical}' is not a table of the organisation")
                table = self.tables[logical]
                # Building secondary indexes once after a large load is ~3x faster than maintaining them per row.
                indexes = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                                       "AND sql IS NOT NULL", (table.sql_name,)).fetchall() if len(rows) > 2000 else []
                for name, _ in indexes:
                    conn.execute(f"DROP INDEX {q(name)}")
                load_rows(self, conn, table, rows)
                for _, sql in indexes:
                    try:
                        conn.execute(sql)
                    except sqlite3.IntegrityError as exc:
                        raise ValueError(f"DemoOrg table '{logical}' has duplicate alternate-key values") from exc
            if self.graph is not None:
                self.graph.load(conn, org)

