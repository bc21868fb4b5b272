"""The security roles the solution ships: the sync's application user, sellers, and administrators.

Privilege names follow Dataverse: ``prv`` + action + the table's privilege name, which is the SchemaName
for custom tables (``prvCreateosi_connection``) and a fixed name for some standard ones: ``Note`` for
annotation, ``User`` for systemuser, and ``Activity`` for every activity table — custom activities such
as ``osi_insight`` included, because activity tables share the activity privileges. Depth ``Basic`` is
"records the user owns", ``Global`` the whole organisation.

**Application user** (least privilege: only what the sync reads and writes):

- read, at organisation depth (change tracking needs it), the tables it extracts: users and their
  settings, accounts, contacts, leads, opportunities, activities (and their parties), notes; and solutions,
  so ``doctor`` can tell which version is installed;
- write contact, account, lead and opportunity (only our ``osi_`` columns are ever sent) and append
  timeline entries to them (append-to);
- create, write and append activities at **Basic** depth only: the timeline entries (``osi_insight``) it
  creates are its own, and it can never change or delete anyone's e-mails, calls or meetings; no delete on
  activities at all (it never deletes one);
- create, read and write our tables, and delete only where the sync deletes rows no longer computed.

**Seller** (added to a seller's own sales role): read every ``osi_`` table (their rows belong to the
application user, so organisation depth), accept or dismiss note suggestions, and create what a suggestion
proposes (an appointment, call or task regarding the record; a contact) as their own records.

**Administrator** (the admin page): read every ``osi_`` table, edit the settings, publish or retire models
in the registry, read run rows.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from connector import schema
from connector.solution.layout import STANDARD_TABLES
from connector.solution.xmlutil import stable_id, sub

SYNC_DELETES = frozenset({"osi_connection", "osi_notesuggestion", "osi_talkingpoint", "osi_similardeal"})
"""Our tables the sync deletes rows from (rows no longer computed). Every other table it never deletes
from, so the application user gets no delete privilege there (a test holds this to the load's targets)."""

SELLER_ROLE_NAME = "Open Sales Insights seller"
ADMIN_ROLE_NAME = "Open Sales Insights administrator"

_SYNC_READS = ("User", "UserSettings", "Activity", "Note", "Solution", "Workflow", "OpportunitySalesProcess")
"""Tables the sync reads and never writes. ``Workflow`` covers the sales process's stages (``processstage`` has no
privilege of its own) and ``OpportunitySalesProcess`` its instances, from which scoring learns each deal's stages."""
_SUGGESTED_RECORDS = ("Activity", "Contact")
"""What a seller creates from a note suggestion: an appointment, phone call or task; a new contact."""


@dataclass(frozen=True)
class RoleDef:
    """A security role: its name and privileges (name → depth)."""

    name: str
    privileges: dict[str, str]

    @property
    def id(self) -> str:
        """The role's stable id (also its root component id in ``solution.xml``)."""
        return stable_id("role", self.name)


def _table_name(table: schema.TableDef) -> str:
    return "Activity" if table.is_activity else table.schema_name


def app_user_privileges() -> dict[str, str]:
    """The application user's privileges (name → depth)."""
    out = {f"prvRead{name}": "Global" for name in _SYNC_READS}
    for std in STANDARD_TABLES.values():
        for action in ("Read", "Write", "AppendTo"):
            out[f"prv{action}{std.schema_name}"] = "Global"
    for table in schema.TABLES:
        if table.is_activity:
            # Timeline entries: its own records only; Read stays Global (it reads every activity).
            out.update({"prvCreateActivity": "Basic", "prvWriteActivity": "Basic", "prvAppendActivity": "Basic"})
            continue
        name = _table_name(table)
        actions = ("Create", "Read", "Write") + (("Delete",) if table.logical_name in SYNC_DELETES else ())
        out.update({f"prv{action}{name}": "Global" for action in actions})
    # A talking point is owned by the seller whose mail it came from: the sync creates it assigned to them.
    out["prvAssignosi_talkingpoint"] = "Global"
    return dict(sorted(out.items()))


def seller_privileges() -> dict[str, str]:
    """A seller's privileges on top of their sales role (name → depth)."""
    out = {f"prvRead{_table_name(t)}": "Global" for t in schema.TABLES if not t.is_activity}
    out["prvWriteosi_notesuggestion"] = "Global"
    # Talking points are read only from one's own mail (an admin shares them by granting Global read);
    # assistant cards are dismissed for oneself.
    out["prvReadosi_talkingpoint"] = "Basic"
    out.update({"prvCreateosi_carddismissal": "Basic", "prvWriteosi_carddismissal": "Basic"})
    for name in _SUGGESTED_RECORDS:
        out[f"prvCreate{name}"] = "Basic"
        out[f"prvAppend{name}"] = "Basic"
    for std in STANDARD_TABLES.values():
        out[f"prvAppendTo{std.schema_name}"] = "Global"  # an activity regarding any record the seller sees
    return dict(sorted(out.items()))


def admin_privileges() -> dict[str, str]:
    """An administrator's privileges for the admin page (name → depth)."""
    out = {f"prvRead{_table_name(t)}": "Global" for t in schema.TABLES if not t.is_activity}
    out.update({"prvWriteosi_setting": "Global", "prvCreateosi_setting": "Global",
                "prvWriteosi_scoringmodel": "Global"})
    return dict(sorted(out.items()))


ROLES: tuple[RoleDef, ...] = (
    RoleDef(schema.APP_USER_ROLE_NAME, app_user_privileges()),
    RoleDef(SELLER_ROLE_NAME, seller_privileges()),
    RoleDef(ADMIN_ROLE_NAME, admin_privileges()),
)


def role_privileges() -> list[str]:
    """The privilege names of the application-user role, sorted."""
    return sorted(app_user_privileges())


def role_id() -> str:
    """The stable id of the application-user role."""
    return ROLES[0].id


def role_element(role: RoleDef = ROLES[0]) -> ET.Element:
    """The ``<Role>`` element of ``customizations.xml``."""
    element = ET.Element("Role", id=role.id, name=role.name)
    privileges = sub(element, "RolePrivileges")
    for name, depth in role.privileges.items():
        sub(privileges, "RolePrivilege", name=name, level=depth)
    return element
