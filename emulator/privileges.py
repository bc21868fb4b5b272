"""The calling user's security privileges, enforced the way Dataverse enforces them.

By default the caller is a System Administrator (every privilege at Global depth), which is what the demo and
most tests want. :meth:`Security.grant_only` makes it a user with exactly the given privileges, e.g. the
application user with only the role the solution ships, so a test sees what a real tenant refuses:

- a read needs ``prvRead<T>``; a change-tracked read needs it at organisation (Global) depth;
- a create ``prvCreate<T>``; an update ``prvWrite<T>``, a delete ``prvDelete<T>``: at Basic depth only on
  records the caller owns (every other depth is treated as Global: the emulator has one business unit);
- an ``@odata.bind`` in a create or update ``prvAppend<T>`` on the record and ``prvAppendTo<U>`` on the target;
- creating tables, columns and keys ``prvCreateEntity``, ``prvCreateAttribute``, ``prvCreateEntityKey``
  (System Customizer or System Administrator), changing a table ``prvWriteEntity``.

A refusal is 403 with code 0x80040220 and "Principal user ... is missing <privilege> privilege", as
Dataverse answers. ``RetrieveUserPrivileges`` lists the caller's privileges (``RolePrivilege`` objects).

Privilege names are ``prv`` + action + the table's privilege name: its SchemaName for custom tables, a fixed
name for some standard ones, and ``Activity`` for every activity table, custom activities included.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from emulator.catalog import Table
from emulator.errors import ApiError

DEPTHS = ("Basic", "Local", "Deep", "Global")
ACTIONS = ("Create", "Read", "Write", "Delete", "Append", "AppendTo", "Assign")

_STANDARD_NAMES = {
    "account": "Account", "contact": "Contact", "lead": "Lead", "opportunity": "Opportunity",
    "businessunit": "BusinessUnit", "systemuser": "User", "usersettings": "UserSettings", "annotation": "Note",
    "activityparty": "Activity", "activitypointer": "Activity", "publisher": "Publisher", "solution": "Solution",
    "webresource": "WebResource",
    # A process stage has no privilege of its own (as ProcessSession and ProcessTrigger, Microsoft's privilege
    # reference lists none); reading the stages of a process is reading the process (Workflow).
    "processstage": "Workflow",
    # A business process flow table's privileges carry its schema name.
    "opportunitysalesprocess": "OpportunitySalesProcess",
}
_UNCHECKED = frozenset({"timezonedefinition"})
"""Reference data every user reads (no privilege of its own in the emulator)."""

_NS = uuid.UUID("0c8b5d1e-7f3a-4e2b-9a61-2d4c8e7f1a35")


def privilege_id(name: str) -> str:
    """A stable PrivilegeId for a privilege name."""
    return str(uuid.uuid5(_NS, name.lower()))


def table_privilege(table: Table) -> str | None:
    """The privilege name part of ``table`` (``Account``, ``Activity``, ``osi_connection``), or ``None``."""
    if table.logical in _UNCHECKED:
        return None
    if table.is_activity:
        return "Activity"
    if table.logical in _STANDARD_NAMES:
        return _STANDARD_NAMES[table.logical]
    return table.schema_name


class Security:
    """What the caller may do: ``None`` privileges means System Administrator (everything, Global)."""

    def __init__(self, user_id: str) -> None:
        self.user_id = user_id
        self._privileges: dict[str, str] | None = None

    def grant_only(self, privileges: Mapping[str, str] | Iterable[tuple[str, str]] | None) -> None:
        """Make the caller hold exactly ``privileges`` (name → depth); ``None`` restores System Administrator.

        Raises:
            ValueError: a depth is not Basic, Local, Deep or Global.
        """
        if privileges is None:
            self._privileges = None
            return
        chosen = dict(privileges.items() if isinstance(privileges, Mapping) else privileges)
        for name, depth in chosen.items():
            if depth not in DEPTHS:
                raise ValueError(f"{name}: depth must be one of {', '.join(DEPTHS)}, not {depth!r}")
        self._privileges = {name.lower(): depth for name, depth in chosen.items()}
        self._names = {name.lower(): name for name in chosen}

    def depth(self, name: str) -> str | None:
        """The depth at which the caller holds ``name``, or ``None``."""
        if self._privileges is None:
            return "Global"
        return self._privileges.get(name.lower())

    def require(self, name: str, *, owner: str | None = None, global_only: bool = False) -> None:
        """Refuse unless the caller holds ``name`` (on a record owned by ``owner``, when given).

        Raises:
            ApiError: 403 0x80040220 naming the missing privilege.
        """
        depth = self.depth(name)
        if depth is None:
            raise self._denied(name)
        if global_only and depth != "Global":
            raise self._denied(name, f" at organization level (it holds it at {depth} level; change tracking "
                                     "needs organization-level read)")
        if depth == "Basic" and owner is not None and owner.lower() != self.user_id.lower():
            raise ApiError(403, "0x80040220", f"Principal user (Id={self.user_id}, type=8) is missing {name} "
                           f"privilege (Id={privilege_id(name)}) on a record it does not own (depth Basic)")

    def require_table(self, action: str, table: Table, *, owner: str | None = None,
                      global_only: bool = False) -> None:
        """:meth:`require` the ``action`` privilege of ``table`` (nothing for unchecked reference tables).

        Raises:
            ApiError: 403 0x80040220.
        """
        part = table_privilege(table)
        if part is not None:
            self.require(f"prv{action}{part}", owner=owner, global_only=global_only)

    def _denied(self, name: str, detail: str = "") -> ApiError:
        return ApiError(403, "0x80040220", f"Principal user (Id={self.user_id}, type=8, roleCount=1) is missing "
                        f"{name} privilege (Id={privilege_id(name)}){detail}")

    def role_privileges(self, business_unit: str) -> list[dict[str, Any]]:
        """The granted privileges as ``RolePrivilege`` objects (``RetrieveUserPrivileges``), sorted by name;
        empty for a System Administrator (see :meth:`administrator_privileges`)."""
        if self._privileges is None:
            return []
        return [{"BusinessUnitId": business_unit, "Depth": depth, "PrivilegeId": privilege_id(name),
                 "PrivilegeName": self._names[name]} for name, depth in sorted(self._privileges.items())]

    @property
    def is_administrator(self) -> bool:
        """Whether the caller holds every privilege (the default)."""
        return self._privileges is None

    def administrator_privileges(self, tables: Iterable[Table], business_unit: str) -> list[dict[str, Any]]:
        """Every table privilege at Global depth plus the customizer's, as a System Administrator holds them."""
        names = {"prvCreateEntity", "prvCreateAttribute", "prvCreateEntityKey", "prvWriteEntity",
                 "prvReadEntity"}
        for table in tables:
            part = table_privilege(table)
            if part is not None:
                names |= {f"prv{action}{part}" for action in ACTIONS}
        return [{"BusinessUnitId": business_unit, "Depth": "Global", "PrivilegeId": privilege_id(name),
                 "PrivilegeName": name} for name in sorted(names)]
