"""Users the API acts as through Dataverse's impersonation header ``MSCRMCallerID``, and what they may read.

The application user (the token's caller, a System Administrator here) may act on behalf of another user
by sending ``MSCRMCallerID: <systemuserid>``; Dataverse then applies that user's security roles. The demo's
panel host does this for the seller a page is seen as. :meth:`Callers.grant` gives a user their roles'
privileges (name → depth); a read then needs ``prvRead<T>``, and at ``Basic`` (user) depth returns only
the rows the user owns, as Dataverse's record-level security does (there is one business unit, so every
other depth reads every row). Refusals are 403 with code 0x80040220.

Simplified: only reads are checked for an impersonated user (writes are checked as the application
user's), and a user nobody granted anything is a System Administrator, as the emulator's default caller is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from emulator.catalog import Table
from emulator.errors import ApiError

_STANDARD = {"account": "Account", "contact": "Contact", "lead": "Lead", "opportunity": "Opportunity",
             "businessunit": "BusinessUnit", "systemuser": "User", "usersettings": "UserSettings",
             "annotation": "Note", "activityparty": "Activity", "activitypointer": "Activity"}
_UNCHECKED = frozenset({"timezonedefinition"})
_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def read_privilege(table: Table) -> str | None:
    """``prvRead<T>`` for ``table`` (``None`` for reference data everyone reads)."""
    if table.logical in _UNCHECKED:
        return None
    name = "Activity" if table.is_activity else _STANDARD.get(table.logical, table.schema_name)
    return f"prvRead{name}"


class Callers:
    """The privileges of the users the API may be asked to act as."""

    def __init__(self) -> None:
        self._granted: dict[str, dict[str, str]] = {}

    def grant(self, user_id: str, privileges: Mapping[str, str]) -> None:
        """Give ``user_id`` exactly these privileges (name → ``Basic``, ``Local``, ``Deep`` or ``Global``).

        Raises:
            ValueError: a depth is not one of those.
        """
        for name, depth in privileges.items():
            if depth not in ("Basic", "Local", "Deep", "Global"):
                raise ValueError(f"{name}: depth must be Basic, Local, Deep or Global, not {depth!r}")
        self._granted[user_id.lower()] = {k.lower(): v for k, v in privileges.items()}

    def read_args(self, caller: str, table: Table, args: dict[str, str]) -> dict[str, str]:
        """The query options of a read by ``caller``: a Basic-depth reader's filter keeps only their rows.

        Raises:
            ApiError: 403 0x80040220 when the caller may not read the table (or is not a user id).
        """
        user = caller.strip().strip("{}").lower()
        privilege = read_privilege(table)
        if privilege is None:
            return args
        if not _GUID.match(user):
            raise ApiError(400, "0x80040203", f"MSCRMCallerID: not a systemuser id: {caller[:60]!r}")
        if user not in self._granted:
            return args
        depth = self._granted[user].get(privilege.lower())
        if depth is None:
            raise ApiError(403, "0x80040220", f"Principal user (Id={user}, type=8) is missing {privilege} privilege")
        if depth != "Basic" or "ownerid" not in table.columns:
            return args
        mine = f"_ownerid_value eq {user}"
        existing = args.get("$filter")
        return {**args, "$filter": f"({existing}) and {mine}" if existing else mine}
