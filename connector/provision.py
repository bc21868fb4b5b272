"""Create the ``osi_`` schema on an organisation through the Dataverse metadata API, idempotently.

Everything comes from :mod:`connector.schema`. :func:`provision` reads what exists first and creates only
what is missing: our tables (``POST EntityDefinitions`` with the primary name column), then every column
(``POST EntityDefinitions(LogicalName=…)/Attributes``) on our tables and on contact, account, lead and
opportunity, then the alternate keys (``POST …/Keys``), waiting for each new key's index to become
``Active``. A second run creates nothing and says so.

The request bodies come from the pure builders of :mod:`connector.schema_metadata`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from connector import schema
from connector.errors import HttpResponseError, ResourceNotFoundError
from connector.schema import ColumnDef, TableDef
from connector.schema_metadata import attribute_metadata, entity_metadata, key_metadata

_log = logging.getLogger(__name__)

KEY_WAIT_SECONDS = 300.0
KEY_POLL_SECONDS = 5.0


class MetadataClient(Protocol):
    """The part of :class:`connector.dataverse.DataverseClient` that provisioning uses."""

    def get_entity_definition(self, logical_name: str, *, select: Iterable[str] | None = None) -> dict[str, Any]: ...

    def list_attributes(self, logical_name: str) -> list[dict[str, Any]]: ...

    def create_entity(self, entity_metadata: dict[str, Any], *, solution: str | None = None) -> Any: ...

    def create_attribute(
        self, entity_logical_name: str, attribute_metadata: dict[str, Any], *, solution: str | None = None
    ) -> Any: ...

    def list_keys(self, logical_name: str) -> list[dict[str, Any]]: ...

    def create_key(
        self, entity_logical_name: str, key_metadata: dict[str, Any], *, solution: str | None = None
    ) -> Any: ...


# --- provisioning -----------------------------------------------------------------------------------------

StepKind = Literal["table", "column", "key"]
StepOutcome = Literal["created", "present", "failed", "pending"]


@dataclass(frozen=True)
class ProvisionStep:
    """One table, column or key, and what provisioning did about it."""

    kind: StepKind
    table: str
    name: str
    outcome: StepOutcome
    detail: str = ""


@dataclass
class ProvisionReport:
    """Every step of a provisioning run, in order."""

    steps: list[ProvisionStep] = field(default_factory=list)

    def count(self, outcome: StepOutcome) -> int:
        """How many steps ended with ``outcome``."""
        return sum(1 for s in self.steps if s.outcome == outcome)

    @property
    def created(self) -> int:
        """Tables, columns and keys created by this run."""
        return self.count("created")

    @property
    def present(self) -> int:
        """Tables, columns and keys that already existed."""
        return self.count("present")

    @property
    def ok(self) -> bool:
        """True when nothing failed and every key is active."""
        return self.count("failed") == 0 and self.count("pending") == 0

    def summary(self) -> str:
        """One line: ``"3 created, 250 already present"`` (plus failures and pending keys if any)."""
        text = f"{self.created} created, {self.present} already present"
        if self.count("failed"):
            text += f", {self.count('failed')} failed"
        if self.count("pending"):
            text += f", {self.count('pending')} keys not active yet"
        return text


def plan_size() -> int:
    """How many steps a provisioning run reports: every table, column and key of the schema."""
    columns = sum(len(cols) for cols in schema.EXTENDED_TABLES.values())
    columns += sum(len(t.columns) for t in schema.TABLES)
    return len(schema.TABLES) + columns + sum(len(t.keys) for t in schema.TABLES)


def provision(
    client: MetadataClient,
    *,
    solution: str = schema.SOLUTION_UNIQUE_NAME,
    tables: Iterable[TableDef] = schema.TABLES,
    extended: Mapping[str, Iterable[ColumnDef]] = schema.EXTENDED_TABLES,
    progress: Callable[[ProvisionStep], None] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    key_wait_seconds: float = KEY_WAIT_SECONDS,
    key_poll_seconds: float = KEY_POLL_SECONDS,
) -> ProvisionReport:
    """Create every missing ``osi_`` table, column and alternate key; leave what exists alone.

    A failure on one table, column or key is recorded in the report and the run goes on with the others
    (a table that could not be created has its columns and keys skipped, recorded as failed).

    Args:
        client: the metadata client (a :class:`connector.dataverse.DataverseClient`).
        solution: unique name of the unmanaged solution new components are added to.
        tables: our tables (default: the schema's; a producer may declare more, see the registry).
        extended: standard table → our columns on it (default: the schema's).
        progress: called after each step, e.g. to advance a progress bar (:func:`plan_size` steps in all).
        sleep: waits between polls of a new key's index status (injected by tests).
        key_wait_seconds: how long to wait for a new key to become ``Active`` before reporting it pending.
        key_poll_seconds: the pause between two polls.

    Returns:
        The report: one step per table, column and key with its outcome.

    Raises:
        ResourceNotFoundError: a standard table (contact, account, lead, opportunity) does not exist.
        HttpResponseError, TransportError, AuthenticationError: reading the existing metadata failed.
    """
    run = _Run(client, solution, progress, sleep, key_wait_seconds, key_poll_seconds)
    tables = tuple(tables)
    for table in tables:
        run.ensure_table(table)
    for logical_name, columns in extended.items():
        run.ensure_columns(logical_name, columns)
    for table in tables:
        if table.logical_name not in run.unavailable:
            run.ensure_columns(table.logical_name, table.columns)
    for table in tables:
        run.ensure_keys(table)
    _log.info("provisioning finished: %s", run.report.summary())
    return run.report


class _Run:
    """The state of one provisioning run (the report and the tables that could not be created)."""

    def __init__(
        self,
        client: MetadataClient,
        solution: str,
        progress: Callable[[ProvisionStep], None] | None,
        sleep: Callable[[float], None],
        key_wait_seconds: float,
        key_poll_seconds: float,
    ) -> None:
        self.client = client
        self.solution = solution
        self.progress = progress
        self.sleep = sleep
        self.key_wait_seconds = key_wait_seconds
        self.key_poll_seconds = key_poll_seconds
        self.report = ProvisionReport()
        self.unavailable: set[str] = set()

    def record(self, kind: StepKind, table: str, name: str, outcome: StepOutcome, detail: str = "") -> None:
        step = ProvisionStep(kind, table, name, outcome, detail)
        self.report.steps.append(step)
        if outcome in ("failed", "pending"):
            _log.warning("%s %s.%s: %s %s", kind, table, name, outcome, detail)
        else:
            _log.debug("%s %s.%s: %s", kind, table, name, outcome)
        if self.progress is not None:
            self.progress(step)

    def ensure_table(self, table: TableDef) -> None:
        name = table.logical_name
        try:
            self.client.get_entity_definition(name, select=["LogicalName", "MetadataId"])
        except ResourceNotFoundError:
            pass
        else:
            self.record("table", name, name, "present")
            return
        try:
            self.client.create_entity(entity_metadata(table), solution=self.solution)
        except HttpResponseError as exc:
            self.unavailable.add(name)
            self.record("table", name, name, "failed", str(exc))
            for column in table.columns:
                self.record("column", name, column.logical_name, "failed", "table could not be created")
            return
        self.record("table", name, name, "created")

    def ensure_columns(self, table: str, columns: Iterable[ColumnDef]) -> None:
        existing = {str(a.get("LogicalName", "")).lower() for a in self.client.list_attributes(table)}
        for column in columns:
            if column.logical_name in existing:
                self.record("column", table, column.logical_name, "present")
                continue
            try:
                self.client.create_attribute(table, attribute_metadata(column), solution=self.solution)
            except HttpResponseError as exc:
                self.record("column", table, column.logical_name, "failed", str(exc))
                continue
            existing.add(column.logical_name)
            self.record("column", table, column.logical_name, "created")

    def ensure_keys(self, table: TableDef) -> None:
        name = table.logical_name
        if name in self.unavailable:
            for key in table.keys:
                self.record("key", name, key.logical_name, "failed", "table could not be created")
            return
        existing = {_key_name(k) for k in self.client.list_keys(name)}
        for key in table.keys:
            if key.logical_name in existing:
                self.record("key", name, key.logical_name, "present")
                continue
            try:
                self.client.create_key(name, key_metadata(key), solution=self.solution)
            except HttpResponseError as exc:
                self.record("key", name, key.logical_name, "failed", str(exc))
                continue
            status = self.wait_for_key(name, key.logical_name)
            if status == "Active":
                self.record("key", name, key.logical_name, "created")
            elif status == "Failed":
                # Dataverse builds the key's unique index asynchronously; it fails when rows already repeat.
                self.record("key", name, key.logical_name, "failed", "index creation failed (duplicate values?)")
            else:
                self.record("key", name, key.logical_name, "pending", f"index status {status or 'unknown'}")

    def wait_for_key(self, table: str, key_name: str) -> str | None:
        """Poll the key's ``EntityKeyIndexStatus`` until it is Active or Failed, or the wait is over."""
        waited = 0.0
        while True:
            status = next(
                (k.get("EntityKeyIndexStatus") for k in self.client.list_keys(table) if _key_name(k) == key_name),
                None,
            )
            if status in ("Active", "Failed") or waited >= self.key_wait_seconds:
                return status
            self.sleep(self.key_poll_seconds)
            waited += self.key_poll_seconds


def _key_name(key: dict[str, Any]) -> str:
    return str(key.get("LogicalName") or key.get("SchemaName") or "").lower()
