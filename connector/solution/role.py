"""The least-privilege security role of the sync's application user.

Privilege names follow Dataverse: ``prv`` + action + the table's privilege name, which is the SchemaName
for custom tables (``prvCreateosi_connection``) and a fixed name for some standard ones: ``Note`` for
annotation, ``User`` for systemuser, and ``Activity`` for every activity table — custom activities such
as ``osi_insight`` included, because activity tables share the activity privileges.

What the sync needs, and nothing more:

- read the tables it extracts (users, accounts, contacts, leads, opportunities, activities and their
  parties, notes);
- write contact, account, lead and opportunity (only our ``osi_`` columns are ever sent) and let
  insights be set regarding them (append-to);
- create, read, write and delete rows of our tables, and of activities for the ``osi_insight``
  timeline entries (append: an insight points at its record).

Every privilege is granted at organisation (``Global``) depth: an application user owns no records.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from connector import schema
from connector.solution.layout import STANDARD_TABLES
from connector.solution.xmlutil import stable_id, sub

LEVEL = "Global"

_READ_ONLY = ("User", "UserSettings", "Activity", "Note")


def role_privileges() -> list[str]:
    """The privilege names of the application-user role, sorted."""
    names: set[str] = {f"prvRead{name}" for name in _READ_ONLY}
    for std in STANDARD_TABLES.values():
        names |= {f"prvRead{std.schema_name}", f"prvWrite{std.schema_name}", f"prvAppendTo{std.schema_name}"}
    for table in schema.TABLES:
        target = "Activity" if table.is_activity else table.schema_name
        names |= {f"prv{action}{target}" for action in ("Create", "Read", "Write", "Delete")}
        if table.is_activity:
            names.add(f"prvAppend{target}")
    return sorted(names)


def role_id() -> str:
    """The stable id of the role (also its root component id in ``solution.xml``)."""
    return stable_id("role", schema.APP_USER_ROLE_NAME)


def role_element() -> ET.Element:
    """The ``<Role>`` element of ``customizations.xml``."""
    role = ET.Element("Role", id=role_id(), name=schema.APP_USER_ROLE_NAME)
    privileges = sub(role, "RolePrivileges")
    for name in role_privileges():
        sub(privileges, "RolePrivilege", name=name, level=LEVEL)
    return role
