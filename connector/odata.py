"""OData literals, keys and query options: the one place a value enters a ``$filter`` or a key.

Every value that reaches a URL goes through :func:`literal` (strings quoted with ``'`` doubled, GUIDs bare,
UTC datetimes, booleans, ``null``) and every property name through :func:`name`, so hostile input can
neither close a string nor inject an operator. Percent-encoding of the finished query is the transport's job.
"""

from __future__ import annotations

import math
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from urllib.parse import quote

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(/[A-Za-z_][A-Za-z0-9_]*)*$")
_GUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_KEY_SAFE = "()',=:@-._~"  # kept as is in key segments; everything else is percent-encoded
_ORDER = re.compile(r"^\s*(?P<name>\S+)(\s+(?P<dir>asc|desc))?\s*$", re.I)

KeyValue = str | int | uuid.UUID | bool | date | Decimal
Key = str | uuid.UUID | Mapping[str, KeyValue]


def literal(value: object) -> str:
    """Format ``value`` as an OData literal for ``$filter`` or a key segment.

    Strings are quoted with ``'`` doubled (``O'Bryan`` → ``'O''Bryan'``); :class:`uuid.UUID` is bare and
    lowercase (how lookups filter: ``_parentcustomerid_value eq <guid>``); a string is always a quoted string,
    even when it looks like a GUID, so pass ``uuid.UUID(s)`` to compare ids. Aware datetimes become UTC
    ``2024-01-31T09:30:00Z``; dates ``2024-01-31``; ``None`` is ``null``; enums use their value.

    Raises:
        ValueError: a naive datetime (ambiguous instant), or a NaN/infinite number.
        TypeError: a value of a type OData has no literal for here.
    """
    if value is None:
        return "null"
    if isinstance(value, Enum):
        return literal(value.value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"{value!r} has no OData literal")
        if isinstance(value, Decimal) and not value.is_finite():
            raise ValueError(f"{value!r} has no OData literal")
        return format(value, "f") if isinstance(value, Decimal) else repr(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("naive datetime in an OData filter: pass a timezone-aware datetime")
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    raise TypeError(f"no OData literal for values of type {type(value).__name__}")


def name(value: str) -> str:
    """Check that ``value`` is a property name or path (``fullname``, ``primarycontactid/fullname``).

    Raises:
        ValueError: anything else (spaces, quotes, operators), so a name cannot smuggle in an expression.
    """
    if not isinstance(value, str) or not _NAME.match(value):
        raise ValueError(f"not an OData property name: {value!r}")
    return value


def is_guid(text: str) -> bool:
    """Whether ``text`` is a GUID in its plain form (``8-4-4-4-12`` hex digits, no braces)."""
    return _GUID.fullmatch(text) is not None


def guid(value: str | uuid.UUID) -> uuid.UUID:
    """Parse a record id.

    Raises:
        ValueError: ``value`` is not a GUID.
    """
    if isinstance(value, uuid.UUID):
        return value
    if not isinstance(value, str) or not is_guid(value.strip("{}")):
        raise ValueError(f"not a GUID: {value!r}")
    return uuid.UUID(value.strip("{}"))


def key_segment(key: Key) -> str:
    """The parenthesised key of a record URL, percent-encoded for a URL path.

    A GUID (string or :class:`uuid.UUID`) gives ``(00000000-...)``; a mapping gives an alternate key
    ``(osi_key='v',accountnumber='A1')`` with every value passed through :func:`literal`. Characters that
    would end or split the path (space ``% & # ? / + ;``, non-ASCII) are percent-encoded, so the segment can
    go straight into a request or a ``$batch`` request line.

    Raises:
        ValueError: a string that is not a GUID, an empty mapping, or a bad property name.
        TypeError: a key value of an unsupported type.
    """
    if isinstance(key, Mapping):
        if not key:
            raise ValueError("an alternate key needs at least one column")
        raw = "(" + ",".join(f"{name(column)}={literal(value)}" for column, value in key.items()) + ")"
        return quote(raw, safe=_KEY_SAFE)
    return f"({guid(key)})"


def entity_path(entity_set: str, key: Key) -> str:
    """``accounts(<key>)`` for a record of ``entity_set``.

    Raises:
        ValueError: a bad entity set name or key.
    """
    return f"{name(entity_set)}{key_segment(key)}"


def eq(column: str, value: object) -> str:
    """``column eq <literal>``.

    Raises:
        ValueError, TypeError: as :func:`name` and :func:`literal`.
    """
    return f"{name(column)} eq {literal(value)}"


def compare(column: str, operator: str, value: object) -> str:
    """``column <op> <literal>`` for ``eq ne gt ge lt le``.

    Raises:
        ValueError: an unknown operator, a bad name or value.
    """
    if operator not in ("eq", "ne", "gt", "ge", "lt", "le"):
        raise ValueError(f"unknown OData comparison operator {operator!r}")
    return f"{name(column)} {operator} {literal(value)}"


def any_of(*clauses: str) -> str:
    """Join filter clauses with ``or`` (each parenthesised); empty clauses are skipped."""
    kept = [c for c in clauses if c]
    return " or ".join(f"({c})" for c in kept) if len(kept) > 1 else (kept[0] if kept else "")


def is_in(column: str, values: Iterable[object]) -> str:
    """``column`` equal to any of ``values`` (an ``or`` of ``eq``; Dataverse's ``In`` has a size limit too).

    Raises:
        ValueError: no values, or a bad name or value.
    """
    clauses = [eq(column, v) for v in values]
    if not clauses:
        raise ValueError(f"is_in({column!r}) needs at least one value")
    return any_of(*clauses)


def query_options(
    *,
    select: Sequence[str] | None = None,
    filter: str | None = None,
    orderby: Sequence[str] | str | None = None,
    top: int | None = None,
    expand: str | None = None,
    count: bool | None = None,
) -> dict[str, str]:
    """The query options (``$select``, ``$filter``, ...) as a dict for the transport to encode.

    ``filter`` and ``expand`` are expressions built with this module's helpers; ``select`` and ``orderby``
    are checked column by column.

    Raises:
        ValueError: a bad column name, order direction or ``top``.
    """
    options: dict[str, str] = {}
    if select:
        options["$select"] = ",".join(name(column) for column in select)
    if filter:
        options["$filter"] = filter
    if orderby:
        items = [orderby] if isinstance(orderby, str) else list(orderby)
        options["$orderby"] = ",".join(_order_item(item) for item in items)
    if top is not None:
        if top < 1:
            raise ValueError("$top must be positive")
        options["$top"] = str(int(top))
    if expand:
        options["$expand"] = expand
    if count is not None:
        options["$count"] = "true" if count else "false"
    return options


def _order_item(item: str) -> str:
    match = _ORDER.match(item)
    if not match:
        raise ValueError(f"bad $orderby item {item!r}")
    direction = f" {match.group('dir').lower()}" if match.group("dir") else ""
    return f"{name(match.group('name'))}{direction}"
