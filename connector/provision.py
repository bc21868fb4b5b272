"""Create the ``osi_`` schema on an organisation through the Dataverse metadata API, idempotently.

Everything comes from :mod:`connector.schema`. :func:`provision` reads what exists first and creates only
what is missing: the ``osi`` publisher and the ``OpenSalesInsights`` unmanaged solution every component is
added to (``MSCRM.SolutionUniqueName`` must name an existing solution whose publisher's prefix the schema
names carry), our tables (``POST EntityDefinitions`` with the primary name column), then every column
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
from connector.solution.appmodule import ADMIN_PAGE

_log = logging.getLogger(__name__)

CUSTOMIZER_HINT = ("provisioning needs the System Customizer or System Administrator role (prvCreateEntity, "
                   "prvCreateAttribute, prvCreateEntityKey); the application user's role has none of them: run it "
                   "with a customizer's credentials, or import the solution")

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

    def list_records(self, entity_set: str, *, select: list[str], filter: str | None = None) -> Iterable[Any]: ...

    def create_record(self, entity_set: str, body: dict[str, Any]) -> str: ...

    def update_record(self, entity_set: str, key: str, body: dict[str, Any]) -> None: ...


# --- provisioning -----------------------------------------------------------------------------------------

StepKind = Literal["publisher", "solution", "configuration page", "table", "column", "key"]
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
    """How many steps a provisioning run reports: the publisher, the solution and every table, column and key
    of the schema (plus the configuration page where the solution import brought the admin page)."""
    columns = sum(len(cols) for cols in schema.EXTENDED_TABLES.values())
    columns += sum(len(t.columns) for t in schema.TABLES)
    return 2 + len(schema.TABLES) + columns + sum(len(t.keys) for t in schema.TABLES)


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

    Creating tables, columns and keys needs the System Customizer or System Administrator role
    (``prvCreateEntity``, ``prvCreateAttribute``, ``prvCreateEntityKey``); the application user's role has
    none of them, so run this with a customizer's credentials (the sync itself needs only the shipped role).

    Raises:
        ResourceNotFoundError: a standard table (contact, account, lead, opportunity) does not exist.
        HttpResponseError, TransportError, AuthenticationError: reading the existing metadata failed.
    """
    run = _Run(client, solution, progress, sleep, key_wait_seconds, key_poll_seconds)
    tables = tuple(tables)
    try:
        if not run.ensure_solution():
            _log.warning("provisioning stopped: %s", run.report.summary())
            return run.report
        run.ensure_configuration_page()
        for table in tables:
            run.ensure_table(table)
        for logical_name, columns in extended.items():
            run.ensure_columns(logical_name, columns)
        for table in tables:
            if table.logical_name not in run.unavailable:
                run.ensure_columns(table.logical_name, table.columns)
        for table in tables:
            run.ensure_keys(table)
    except _RefusedError:
        # The caller may not customise at all: every other step would be refused the same way.
        _log.warning("provisioning stopped: %s", CUSTOMIZER_HINT)
        return run.report
    _log.info("provisioning finished: %s", run.report.summary())
    return run.report


class _RefusedError(Exception):
    """The caller lacks the customizer's privileges (403): stop instead of failing every step alike."""


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

    def failed(self, kind: StepKind, table: str, name: str, exc: HttpResponseError) -> None:
        """Record a refused create; raise :class:`_RefusedError` when the refusal is a missing privilege."""
        if exc.status_code == 403:
            self.record(kind, table, name, "failed", f"{exc} ({CUSTOMIZER_HINT})")
            raise _RefusedError(str(exc))
        self.record(kind, table, name, "failed", str(exc))

    def record(self, kind: StepKind, table: str, name: str, outcome: StepOutcome, detail: str = "") -> None:
        step = ProvisionStep(kind, table, name, outcome, detail)
        self.report.steps.append(step)
        if outcome in ("failed", "pending"):
            _log.warning("%s %s.%s: %s %s", kind, table, name, outcome, detail)
        else:
            _log.debug("%s %s.%s: %s", kind, table, name, outcome)
        if self.progress is not None:
            self.progress(step)

    def ensure_solution(self) -> bool:
        """Create or verify the publisher and the solution; ``False`` when components cannot be added to it."""
        publisher = self._find("publishers", ["publisherid", "customizationprefix"], "uniquename",
                               schema.PUBLISHER_UNIQUE_NAME)
        if publisher is None:
            body = {"uniquename": schema.PUBLISHER_UNIQUE_NAME, "friendlyname": schema.PUBLISHER_DISPLAY_NAME,
                    "customizationprefix": schema.PREFIX,
                    "customizationoptionvalueprefix": schema.OPTION_VALUE_PREFIX}
            if not self._create("publisher", "publishers", body):
                return False
            publisher = self._find("publishers", ["publisherid", "customizationprefix"], "uniquename",
                                   schema.PUBLISHER_UNIQUE_NAME)
        elif str(publisher.get("customizationprefix", "")).lower() != schema.PREFIX:
            self.record("publisher", "publisher", schema.PUBLISHER_UNIQUE_NAME, "failed",
                        f"its prefix is {publisher.get('customizationprefix')!r}, not {schema.PREFIX!r}")
            return False
        else:
            self.record("publisher", "publisher", schema.PUBLISHER_UNIQUE_NAME, "present")
        if publisher is None:
            return False
        found = self._find("solutions", ["solutionid", "_publisherid_value"], "uniquename", self.solution)
        if found is None:
            body = {"uniquename": self.solution, "friendlyname": schema.SOLUTION_DISPLAY_NAME,
                    "version": schema.SOLUTION_VERSION,
                    "publisherid@odata.bind": f"/publishers({publisher['publisherid']})"}
            return self._create("solution", "solutions", body)
        if str(found.get("_publisherid_value", "")).lower() != str(publisher["publisherid"]).lower():
            self.record("solution", "solution", self.solution, "failed",
                        f"it belongs to another publisher than {schema.PUBLISHER_UNIQUE_NAME!r}")
            return False
        self.record("solution", "solution", self.solution, "present")
        return True

    def ensure_configuration_page(self) -> None:
        """Make the admin page the solution's configuration page, once the solution import brought the page.

        Provisioning alone creates no web resource, so on that path there is nothing to link (and no step).
        """
        page = self._find("webresourceset", ["webresourceid"], "name", ADMIN_PAGE)
        solution = self._find("solutions", ["solutionid", "_configurationpageid_value"], "uniquename", self.solution)
        if page is None or solution is None:
            return
        page_id = str(page["webresourceid"]).lower()
        if str(solution.get("_configurationpageid_value") or "").lower() == page_id:
            self.record("configuration page", "solution", ADMIN_PAGE, "present")
            return
        try:
            self.client.update_record("solutions", str(solution["solutionid"]),
                                      {"configurationpageid@odata.bind": f"/webresourceset({page_id})"})
        except HttpResponseError as exc:
            self.failed("configuration page", "solution", ADMIN_PAGE, exc)
            return
        self.record("configuration page", "solution", ADMIN_PAGE, "created")

    def _find(self, entity_set: str, select: list[str], column: str, value: str) -> dict[str, Any] | None:
        try:
            rows = self.client.list_records(entity_set, select=select, filter=f"{column} eq '{value}'")
            return next(iter(rows), None)
        except HttpResponseError as exc:
            kinds: dict[str, StepKind] = {"publishers": "publisher", "solutions": "solution"}
            kind = kinds.get(entity_set, "configuration page")
            self.failed(kind, kind, value, exc)
            raise _RefusedError(str(exc)) from exc

    def _create(self, kind: StepKind, entity_set: str, body: dict[str, Any]) -> bool:
        name = str(body["uniquename"])
        try:
            self.client.create_record(entity_set, body)
        except HttpResponseError as exc:
            self.failed(kind, kind, name, exc)
            return False
        self.record(kind, kind, name, "created")
        return True

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
            self.failed("table", name, name, exc)
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
                self.failed("column", table, column.logical_name, exc)
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
                self.failed("key", name, key.logical_name, exc)
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
