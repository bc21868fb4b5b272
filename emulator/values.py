"""Conversion of attribute values between the Web API's JSON form and SQLite storage.

Storage: strings/memos/guids as TEXT, datetimes as ``YYYY-MM-DDTHH:MM:SSZ`` TEXT (so text order is time order),
date-only values as ``YYYY-MM-DD``, booleans as 0/1, choices and integers as INTEGER, money and decimals as REAL.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

from emulator.catalog import INTEGER_KINDS, Column, Table
from emulator.errors import ApiError

_DT = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,7}))?)?)?(Z|[+-]\d{2}:\d{2})?$")


EARLIEST = datetime(1753, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 12, 31, 23, 59, 59, tzinfo=UTC)
"""Dataverse's date-time range: values outside it are refused."""


def format_dt(value: datetime) -> str:
    """An aware datetime as Dataverse writes it (UTC, seconds precision, ``Z``, a four-digit year).

    ``strftime("%Y")`` does not pad years before 1000 on every platform; the stored text must sort as time.
    """
    utc = value.astimezone(UTC)
    return f"{utc.year:04d}-{utc:%m-%dT%H:%M:%S}Z"


def format_date(value: datetime) -> str:
    """The date part as ``YYYY-MM-DD`` (a four-digit year)."""
    return f"{value.year:04d}-{value:%m-%d}"


def parse_dt(text: str) -> datetime | None:
    """Parse an ISO-8601 date or datetime; naive values are taken as UTC. ``None`` when it is not one."""
    m = _DT.match(text.strip())
    if not m:
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00").replace(" ", "T"))
    except ValueError:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def normalise_guid(text: str) -> str | None:
    """A GUID in lowercase canonical form, or ``None`` when ``text`` is not a GUID."""
    try:
        return str(uuid.UUID(text.strip().strip("{}")))
    except (ValueError, AttributeError):
        return None


_EDM = {"string": "Edm.String", "memo": "Edm.String", "integer": "Edm.Int32", "bigint": "Edm.Int64",
        "decimal": "Edm.Decimal", "money": "Edm.Decimal", "double": "Edm.Double", "datetime": "Edm.DateTimeOffset",
        "dateonly": "Edm.Date", "boolean": "Edm.Boolean", "picklist": "Edm.Int32", "state": "Edm.Int32",
        "status": "Edm.Int32", "uniqueidentifier": "Edm.Guid", "entityname": "Edm.String"}


def _cannot_convert(value: object, col: Column) -> ApiError:
    shown = str(value)[:80]
    return ApiError(400, "0x0", f"Cannot convert the literal '{shown}' to the expected type '{_EDM[col.kind]}'.")


def to_storage(table: Table, col: Column, value: object) -> object:
    """Validate a JSON value written to ``col`` and convert it for storage.

    Raises:
        ApiError: 400 when the value has the wrong type, is too long or is not a valid choice.
    """
    if value is None:
        return None
    kind = col.kind
    if kind in ("string", "memo", "entityname"):
        if not isinstance(value, str):
            raise _cannot_convert(value, col)
        check_text(value, col.logical)
        if col.max_length is not None and len(value) > col.max_length:
            raise ApiError(400, "0x80044331", f"A validation error occurred.  The length of the '{col.logical}' "
                           f"attribute of the '{table.logical}' entity exceeded the maximum allowed length of "
                           f"'{col.max_length}'.")
        return value
    if kind == "uniqueidentifier":
        guid = normalise_guid(value) if isinstance(value, str) else None
        if guid is None:
            raise _cannot_convert(value, col)
        return guid
    if kind == "boolean":
        if not isinstance(value, bool):
            raise _cannot_convert(value, col)
        return int(value)
    if kind in INTEGER_KINDS:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _cannot_convert(value, col)
        if kind == "picklist" and col.custom and col.options and value not in col.options:
            raise ApiError(400, "0x8004431a", f"A validation error occurred. The value {value} of '{col.logical}' "
                           f"on record of type '{table.logical}' is outside the valid range.")
        _check_range(table, col, value)
        return value
    if kind in ("decimal", "money", "double"):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise _cannot_convert(value, col)
        _check_range(table, col, value)
        return float(value)
    if kind in ("datetime", "dateonly"):
        parsed = parse_dt(value) if isinstance(value, str) else None
        if parsed is None:
            raise _cannot_convert(value, col)
        if not EARLIEST <= parsed <= LATEST:
            raise ApiError(400, "0x80044331", f"A validation error occurred. The value {str(value)[:40]} of "
                           f"'{col.logical}' on record of type '{table.logical}' is outside the valid range. "
                           f"Accepted Values: 1753-01-01 to 9999-12-31")
        return format_date(parsed) if col.date_only else format_dt(parsed)
    raise _cannot_convert(value, col)


def check_text(value: str, where: str) -> None:
    """Refuse text that is not valid Unicode (a lone surrogate from a ``\\ud800`` escape), as Dataverse does.

    Raises:
        ApiError: 400 naming ``where``.
    """
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ApiError(400, "0x80040203", f"Invalid character in the value of '{where}': text must be valid "
                       "Unicode (a lone surrogate is not).") from None


def _check_range(table: Table, col: Column, value: float) -> None:
    lo, hi = col.min_value, col.max_value
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise ApiError(400, "0x80044331", f"A validation error occurred. The value {value} of '{col.logical}' on "
                       f"record of type '{table.logical}' is outside the valid range. Accepted Values: {lo} to {hi}")


def storage_to_json(col: Column, value: object) -> object:
    """Convert a stored value back to its JSON form."""
    if value is None:
        return None
    if col.kind == "boolean":
        return bool(value)
    return value
