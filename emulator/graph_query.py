"""Query options of the emulator's Graph endpoints: ``$select``, ``$top``, ``$filter``, ``$orderby``, skip tokens.

Each parser raises :class:`GraphError` with the status, code and message Graph would answer.
"""

from __future__ import annotations

import base64
import json
import re
from datetime import UTC, datetime

from emulator.values import format_dt

ORDERABLE = {"receivedDateTime": "received", "sentDateTime": "sent", "subject": "subject"}
FILTERABLE = {"receivedDateTime": "received", "sentDateTime": "sent"}
OPS = {"eq": "=", "ge": ">=", "gt": ">", "le": "<=", "lt": "<"}
_CLAUSE = re.compile(r"^\s*(\w+)\s+(eq|ge|gt|le|lt)\s+'?([0-9T:\.\-+Z]+)'?\s*$", re.IGNORECASE)


class GraphError(Exception):
    """A Graph error response: status, code and message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def utc_literal(text: str) -> str:
    """A filter literal as the stored form ``YYYY-MM-DDTHH:MM:SSZ``.

    Raises:
        GraphError: not a date-time.
    """
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise GraphError(400, "BadRequest", f"Invalid filter clause: '{text}' is not a DateTimeOffset.") from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return format_dt(value)


def parse_select(raw: str | None, allowed: tuple[str, ...], default: tuple[str, ...], kind: str) -> tuple[str, ...]:
    if raw is None:
        return default
    props = tuple(p.strip() for p in raw.split(",") if p.strip())
    for p in props:
        if p not in allowed:
            raise GraphError(400, "BadRequest",
                             f"Could not find a property named '{p}' on type 'microsoft.graph.{kind}'.")
    return ("id", *[p for p in props if p != "id"])


def parse_top(raw: str | None, default: int, limit: int) -> int:
    if raw is None:
        return default
    if not raw.isdigit() or not 1 <= int(raw) <= limit:
        raise GraphError(400, "BadRequest",
                         f"Invalid page size specified: '{raw}'. Must be between 1 and {limit} inclusive.")
    return int(raw)


def parse_filter(raw: str) -> list[tuple[str, str, str]]:
    clauses = []
    for part in re.split(r"\s+and\s+", raw.strip(), flags=re.IGNORECASE):
        m = _CLAUSE.match(part)
        if not m or m.group(1) not in FILTERABLE:
            raise GraphError(400, "BadRequest", f"Invalid filter clause: '{part.strip()}'.")
        clauses.append((m.group(1), m.group(2).lower(), utc_literal(m.group(3))))
    return clauses


def parse_orderby(raw: str) -> list[tuple[str, str]]:
    out = []
    for part in raw.split(","):
        bits = part.split()
        if not bits or bits[0] not in ORDERABLE or len(bits) > 2 or (len(bits) == 2 and bits[1].lower()
                                                                      not in ("asc", "desc")):
            raise GraphError(400, "BadRequest", f"Invalid $orderby clause: '{part.strip()}'.")
        out.append((bits[0], bits[1].lower() if len(bits) == 2 else "asc"))
    return out


def check_efficient(filters: list[tuple[str, str, str]], order: list[tuple[str, str]]) -> None:
    """Graph's rule: ordered properties must come first in the filter, in the same order."""
    seen: list[str] = []
    for prop, _, _ in filters:
        if prop not in seen:
            seen.append(prop)
    if seen[: len(order)] != [p for p, _ in order]:
        raise GraphError(400, "InefficientFilter", "The restriction or sort order is too complex for this operation.")


def skip_token(offset: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"o": offset}).encode()).decode().rstrip("=")


def token_offset(token: str | None) -> int:
    if token is None:
        return 0
    try:
        value = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))["o"]
        if isinstance(value, int) and value >= 0:
            return value
    except (ValueError, KeyError, TypeError):
        pass
    raise GraphError(400, "BadRequest", "The $skiptoken is invalid or has expired.")
