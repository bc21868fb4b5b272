"""Paging cookies (``$skiptoken``) and change-tracking tokens (``$deltatoken``) in Dataverse's forms.

``$skiptoken`` is ``<cookie pagenumber="2" pagingcookie="<double-URL-encoded inner cookie>" istracking="False" />``;
the inner cookie carries what the emulator needs to resume (last primary key, offset, snapshot version).
``$deltatoken`` is ``<version>!<MM/dd/yyyy HH:mm:ss>``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, unquote

from emulator.errors import ApiError, bad_request

_OUTER = re.compile(r'^<cookie pagenumber="(\d+)" pagingcookie="([^"]*)" istracking="(True|False)" />$')
_ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass
class Cursor:
    """Where the next page starts."""

    page: int = 1
    last_id: str | None = None
    offset: int = 0
    snapshot: int | None = None
    phase: str = "rows"
    after: int = 0
    tracking: bool = False


def lower_escapes(text: str) -> str:
    """Percent-escapes in lowercase hex, as Dataverse writes them."""
    return re.sub(r"%[0-9A-F]{2}", lambda m: m.group().lower(), text)


def encode_skiptoken(cursor: Cursor, pk: str) -> str:
    """The ``$skiptoken`` value (not yet URL-encoded) for the page after ``cursor.page``."""
    attrs = [f'page="{cursor.page}"']
    for name, value in (("offset", cursor.offset), ("snapshot", cursor.snapshot), ("after", cursor.after)):
        if value:
            attrs.append(f'{name}="{value}"')
    if cursor.phase != "rows":
        attrs.append(f'phase="{cursor.phase}"')
    inner = f"<cookie {' '.join(attrs)}>"
    if cursor.last_id:
        inner += f'<{pk} last="{{{cursor.last_id.upper()}}}" />'
    inner += "</cookie>"
    encoded = quote(lower_escapes(quote(inner, safe="")), safe="")
    return (f'<cookie pagenumber="{cursor.page + 1}" pagingcookie="{encoded}" '
            f'istracking="{"True" if cursor.tracking else "False"}" />')


def decode_skiptoken(token: str) -> Cursor:
    """Parse a ``$skiptoken`` made by :func:`encode_skiptoken`.

    Raises:
        ApiError: 400 when the token is not one of ours.
    """
    m = _OUTER.match(token.strip())
    if m is None:
        raise bad_request("The $skiptoken is not a valid paging cookie.", code="0x80040203")
    inner = unquote(unquote(m.group(2)))
    attrs = dict(_ATTR.findall(inner))
    try:
        cursor = Cursor(page=int(m.group(1)), offset=int(attrs.get("offset", 0)),
                        snapshot=int(attrs["snapshot"]) if "snapshot" in attrs else None,
                        phase=attrs.get("phase", "rows"), after=int(attrs.get("after", 0)),
                        tracking=m.group(3) == "True")
    except ValueError as exc:
        raise bad_request("The $skiptoken is not a valid paging cookie.", code="0x80040203") from exc
    if "last" in attrs:
        cursor.last_id = attrs["last"].strip("{}").lower()
    return cursor


def encode_deltatoken(version: int, now: datetime) -> str:
    """``<version>!<MM/dd/yyyy HH:mm:ss>`` (UTC)."""
    return f"{version}!{now.astimezone(UTC):%m/%d/%Y %H:%M:%S}"


def decode_deltatoken(token: str, *, now: datetime, expiry_days: float, current_version: int) -> int:
    """The version a delta token stands for.

    Raises:
        ApiError: 400 when the token is malformed; 500 with code 0x80044352 when it is older than
            ``expiry_days`` (the client must resync fully).
    """
    m = re.match(r"^(\d+)!(\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2})$", token.strip())
    if m is None or int(m.group(1)) > current_version:
        raise bad_request("The delta token is not valid.", code="0x80044353")
    issued = datetime.strptime(m.group(2), "%m/%d/%Y %H:%M:%S").replace(tzinfo=UTC)
    if (now - issued).total_seconds() > expiry_days * 86400:
        # Dataverse documents the code (ExpiredVersionStamp), not the status; answering 500 makes a client
        # recognise the code, and not retry it as it retries a transient 500.
        raise ApiError(500, "0x80044352",
                       "Version stamp associated with the client has expired. Please perform a full sync.")
    return int(m.group(1))
