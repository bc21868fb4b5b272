"""``doctor``: the preflight an administrator runs before the first sync, one line per check with its fix.

Every check reads only; each one that cannot pass says what to do. The checks, in order:

1. credentials: a token for the organisation;
2. WhoAmI: the application user exists and is enabled;
3. change tracking on every table the sync reads with ``odata.track-changes`` (``systemuser`` included);
4. the application user's privileges (``RetrieveUserPrivileges``) against the role the solution ships,
   the columns the sync selects, and our columns on every table it writes;
5. the alternate keys our upserts use, and their index status (``EntityKeyIndexStatus`` Active);
6. the installed solution's version;
7. with Graph on: a Graph token, ``Mail.ReadBasic.All``, and which sellers' mailboxes the app may read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal, Protocol

from connector import schema
from connector.errors import AuthenticationError, HttpResponseError, OsiError, TransportError
from connector.solution.role import app_user_privileges
from connector.sync.streams import OWN_STREAMS, REFERENCE_STREAMS, STREAMS

Outcome = Literal["ok", "warn", "fail"]
_DEPTH_ORDER = {"Basic": 0, "Local": 1, "Deep": 2, "Global": 3}
ROLE_FIX = (f"assign the security role '{schema.APP_USER_ROLE_NAME}' (shipped in the solution) to the application "
            "user in the Power Platform admin center (Environments > Settings > Users + permissions > Application "
            "users)")
PROVISION_FIX = ("import the OpenSalesInsights solution, or run `python -m connector provision` with a System "
                 "Customizer's credentials")


class DoctorDataverse(Protocol):
    """The reads of :class:`connector.dataverse.DataverseClient` the checks make."""

    def who_am_i(self) -> dict[str, str]: ...

    def get_entity_definition(self, logical_name: str, *, select: Iterable[str] | None = None) -> dict[str, Any]: ...

    def retrieve_user_privileges(self, user_id: str) -> list[dict[str, Any]]: ...

    def list_attributes(self, logical_name: str) -> list[dict[str, Any]]: ...

    def list_keys(self, logical_name: str) -> list[dict[str, Any]]: ...

    def list_records(self, entity_set: str, *, select: Sequence[str], filter: str | None = None,
                     top: int | None = None) -> Iterable[dict[str, Any]]: ...


class DoctorGraph(Protocol):
    """The read of :class:`connector.graph.GraphClient` the mailbox check makes."""

    def list_messages(self, user_id: str, *, select: Sequence[str], page_size: int = ...) -> Iterable[dict[str, Any]]:
        ...


@dataclass(frozen=True)
class Check:
    """One line of the report: what was checked, how it went, and what to do about it."""

    name: str
    outcome: Outcome
    detail: str
    fix: str = ""

    def line(self) -> str:
        """``[ok]   name: detail`` (plus ``-> fix`` when there is one)."""
        text = f"[{self.outcome}]{' ' * (5 - len(self.outcome))}{self.name}: {self.detail}"
        return text + (f"\n        fix: {self.fix}" if self.fix and self.outcome != "ok" else "")


def tracked_tables() -> list[str]:
    """Every table the sync reads with change tracking, in reading order."""
    return [s.table for s in (*STREAMS, *OWN_STREAMS) if s.tracked]


def _guard(name: str, fix: str, step: Callable[[], list[Check]]) -> list[Check]:
    """Run one group of checks; an error becomes one failed line naming it, never a traceback."""
    try:
        return step()
    except AuthenticationError as exc:
        return [Check("credentials", "fail", f"no token: {exc}", "check OSI_TENANT_ID, OSI_CLIENT_ID and the secret or "
                      "certificate (or the managed identity) of the app registration")]
    except (HttpResponseError, TransportError) as exc:
        return [Check(name, "fail", str(exc), fix)]


def check_whoami(client: DoctorDataverse) -> tuple[list[Check], str | None]:
    """Credentials and WhoAmI; returns the checks and the application user's id (``None`` when unknown)."""
    found: dict[str, str] = {}

    def step() -> list[Check]:
        found.update(client.who_am_i())
        return [Check("credentials", "ok", "a token for the organisation was issued"),
                Check("WhoAmI", "ok", f"application user {found['UserId']} in organisation "
                      f"{found['OrganizationId']}")]

    checks = _guard("WhoAmI", "create the application user for this app registration in the environment and "
                    "give it the shipped role", step)
    return checks, found.get("UserId")


def check_change_tracking(client: DoctorDataverse) -> list[Check]:
    """One line per tracked table without change tracking (or one ok line)."""
    def step() -> list[Check]:
        off = []
        for table in tracked_tables():
            definition = client.get_entity_definition(table, select=["LogicalName", "ChangeTrackingEnabled"])
            if not definition.get("ChangeTrackingEnabled"):
                off.append(table)
        if not off:
            return [Check("change tracking", "ok", f"enabled on all {len(tracked_tables())} tables the sync reads")]
        return [Check(f"change tracking: {table}", "fail", "not enabled; every sync fails reading it",
                      f"enable 'Track changes' on the {table} table (Power Apps > Tables > {table} > Properties > "
                      "Advanced options), or set ChangeTrackingEnabled through the metadata API")
                for table in off]
    return _guard("change tracking", PROVISION_FIX, step)


def check_privileges(client: DoctorDataverse, user_id: str) -> list[Check]:
    """The application user's privileges against the shipped role: missing ones fail, extra ones warn."""
    def step() -> list[Check]:
        held: dict[str, str] = {}
        for p in client.retrieve_user_privileges(user_id):
            name, depth = str(p.get("PrivilegeName", "")), str(p.get("Depth", "Basic"))
            if name not in held or _DEPTH_ORDER.get(depth, 0) > _DEPTH_ORDER.get(held[name], 0):
                held[name] = depth
        needed = app_user_privileges()
        lines = [Check(f"privilege {name}", "fail", f"missing{' at ' + depth + ' depth' if name in held else ''} "
                       f"(held: {held.get(name, 'none')}, needed: {depth})", ROLE_FIX)
                 for name, depth in needed.items()
                 if _DEPTH_ORDER.get(held.get(name, ""), -1) < _DEPTH_ORDER[depth]]
        broader = sorted(n for n, d in held.items()
                         if n.startswith(("prvDelete", "prvCreateEntity", "prvCreateAttribute"))
                         and _DEPTH_ORDER.get(d, 0) > _DEPTH_ORDER.get(needed.get(n, ""), -1))
        if not lines:
            lines.append(Check("privileges", "ok", f"the application user holds the {len(needed)} privileges the "
                               "sync needs"))
        if broader:
            lines.append(Check("privileges", "warn", f"{len(broader)} privileges beyond what the sync needs (e.g. "
                               f"{', '.join(broader[:3])})", "give the application user only the shipped role, "
                               "not System Administrator or System Customizer"))
        return lines
    return _guard("privileges", ROLE_FIX, step)


def _read_columns() -> dict[str, set[str]]:
    """Table → the standard columns the sync selects from it (lookups by their attribute name)."""
    out: dict[str, set[str]] = {}
    for spec in (*STREAMS, *REFERENCE_STREAMS):
        names = {c[1:-len("_value")] if c.startswith("_") and c.endswith("_value") else c
                 for c in (spec.key, *spec.select)}
        out.setdefault(spec.table, set()).update(n for n in names if not n.startswith(f"{schema.PREFIX}_"))
    return out


def check_columns_and_keys(client: DoctorDataverse) -> list[Check]:
    """The columns the sync reads, our columns on every table it writes, and our keys with an Active index."""
    def step() -> list[Check]:
        lines: list[Check] = []
        for table, wanted in sorted(_read_columns().items()):
            present = {str(a.get("LogicalName", "")).lower() for a in client.list_attributes(table)}
            absent = sorted(wanted - present)
            if absent:
                lines.append(Check(f"columns read: {table}", "fail", f"the sync selects {', '.join(absent[:5])}, "
                                   "which this organisation does not have", "check the table's columns in Power "
                                   "Apps; a removed or renamed standard column makes every sync fail"))
        for name, columns in schema.all_columns().items():
            present = {str(a.get("LogicalName", "")).lower() for a in client.list_attributes(name)}
            missing = [c.logical_name for c in columns if c.logical_name not in present]
            if missing:
                lines.append(Check(f"columns: {name}", "fail", f"{len(missing)} of our columns are missing (e.g. "
                                   f"{', '.join(missing[:3])})", PROVISION_FIX))
        for ours in schema.TABLES:
            status = {str(k.get("LogicalName", "")).lower(): k.get("EntityKeyIndexStatus") for k in
                      client.list_keys(ours.logical_name)}
            for key in ours.keys:
                if status.get(key.logical_name) != "Active":
                    lines.append(Check(f"alternate key: {key.logical_name}", "fail",
                                       f"index status {status.get(key.logical_name) or 'missing'}; upserts by it fail",
                                       "wait for the key's index job (Power Apps > Tables > Keys); if it Failed, "
                                       f"remove duplicate osi_key values in {ours.logical_name} and reactivate it"
                                       if key.logical_name in status else PROVISION_FIX))
        return lines or [Check("columns and keys", "ok", "every column the sync reads and writes is present "
                               "and every alternate key is Active")]
    return _guard("columns and keys", PROVISION_FIX, step)


def check_solution(client: DoctorDataverse) -> list[Check]:
    """The installed OpenSalesInsights solution's version against this connector's."""
    def step() -> list[Check]:
        rows = list(client.list_records("solutions", select=["uniquename", "version"],
                                        filter=f"uniquename eq '{schema.SOLUTION_UNIQUE_NAME}'"))
        if not rows:
            return [Check("solution", "fail", f"{schema.SOLUTION_UNIQUE_NAME} is not installed", PROVISION_FIX)]
        version = str(rows[0].get("version", ""))
        if version != schema.SOLUTION_VERSION:
            return [Check("solution", "warn", f"version {version} installed, this connector ships "
                          f"{schema.SOLUTION_VERSION}", "import the solution from `python -m connector solution pack` "
                          "(or run provision) to upgrade")]
        return [Check("solution", "ok", f"{schema.SOLUTION_UNIQUE_NAME} {version} installed")]
    return _guard("solution", PROVISION_FIX, step)


def check_graph(graph: DoctorGraph, users: Iterable[dict[str, Any]], *, sample: int = 3) -> list[Check]:
    """A Graph token, the directory, and which of the first ``sample`` sellers' mailboxes the app may read."""
    mail_fix = ("grant the application permission Mail.ReadBasic.All with admin consent, and include the sellers' "
                "mailboxes in its Exchange RBAC for Applications scope")

    def step() -> list[Check]:
        ids = [str(u["azureactivedirectoryobjectid"]) for u in users
               if u.get("azureactivedirectoryobjectid") and not u.get("isdisabled")][:sample]
        if not ids:
            return [Check("Graph", "warn", "no enabled user with an Entra object id to try a mailbox with",
                          "check that sellers are synchronised from Entra ID")]
        refused = []
        for user_id in ids:
            try:
                next(iter(graph.list_messages(user_id, select=["id"], page_size=1)), None)
            except HttpResponseError as exc:
                if exc.status_code not in (401, 403, 404):
                    raise
                refused.append(user_id)
        if len(refused) == len(ids):
            return [Check("Graph mail", "fail", f"none of {len(ids)} sellers' mailboxes can be read", mail_fix)]
        if refused:
            return [Check("Graph mail", "warn", f"{len(refused)} of {len(ids)} sellers' mailboxes are outside the "
                          "app's mailbox scope", mail_fix)]
        return [Check("Graph mail", "ok", f"message metadata readable in {len(ids)} of {len(ids)} sellers' mailboxes")]
    return _guard("Graph mail", mail_fix, step)


def run_checks(client: DoctorDataverse, graph: DoctorGraph | None = None) -> list[Check]:
    """Every check against the organisation (and Graph when a Graph client is given), in order."""
    checks, user_id = check_whoami(client)
    if user_id is None:
        return checks
    checks += check_change_tracking(client)
    checks += check_privileges(client, user_id)
    checks += check_columns_and_keys(client)
    checks += check_solution(client)
    if graph is not None:
        try:
            users = list(client.list_records("systemusers", select=["azureactivedirectoryobjectid", "isdisabled"],
                                             top=50))
        except OsiError as exc:
            checks.append(Check("Graph mail", "fail", f"cannot list users to try: {exc}", ROLE_FIX))
        else:
            checks += check_graph(graph, users)
    return checks
