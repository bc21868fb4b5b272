"""Graph mail metadata: new messages of every internal user's mailbox, for who-knows-whom."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, Protocol

import pandas as pd

from connector import canonical
from connector.errors import HttpResponseError, RecordError
from connector.sync.echoes import unchanged
from connector.sync.snapshot import Snapshot

MAIL_HISTORY_DAYS = 365
MAIL_SELECT = ("id", "from", "toRecipients", "ccRecipients", "sentDateTime", "receivedDateTime", "conversationId",
               "internetMessageId", "subject")


class MailResult(Protocol):
    """Where :func:`extract_mail` records what it read (an :class:`~connector.sync.extract.ExtractResult`)."""

    checkpoints: dict[str, Any]
    rows_read: dict[str, int]
    changed: dict[str, set[str]]
    errors: list[RecordError]


def extract_mail(graph: Any, snap: Snapshot, result: MailResult, *, now: datetime,
                 excluded_users: Iterable[str] = ()) -> None:
    """Read new message metadata from every internal user's mailbox into ``snap.frames["mail"]``.

    The checkpoint per mailbox is the latest ``receivedDateTime`` seen; the first run reads
    :data:`MAIL_HISTORY_DAYS` back. Excluded users' mailboxes are never read, and their stored mail
    is dropped.

    Raises:
        HttpResponseError, TransportError: a mailbox read failed after retries.
    """
    users = snap.frames.get("users", canonical.empty_frame("users"))
    excluded = {u.lower() for u in excluded_users}
    mailboxes = [u for u in users["aad_object_id"].dropna() if u not in excluded]
    rows: list[dict[str, Any]] = []
    for user in mailboxes:
        ck = f"mail:{user}"
        since = pd.Timestamp(result.checkpoints.get(ck) or snap.checkpoints.get(ck)
                             or (now - timedelta(days=MAIL_HISTORY_DAYS)))
        latest = since
        mailbox: list[dict[str, Any]] = []
        try:
            for msg in graph.list_messages(user, select=MAIL_SELECT, since=since.to_pydatetime(), page_size=1000):
                mailbox.append(_mail_row(user, msg))
                received = pd.Timestamp(msg.get("receivedDateTime") or msg.get("sentDateTime"))
                latest = max(latest, received)
        except HttpResponseError as exc:
            # One mailbox we may not read (no licence, access policy) must not cost the others; its
            # checkpoint stays, so the next run retries it.
            result.errors.append(RecordError("mailbox", user, None, f"not read: HTTP {exc.status_code}"))
            continue
        rows.extend(mailbox)
        result.checkpoints[ck] = latest.isoformat()
        result.rows_read[ck] = len(mailbox)
    old = snap.frames.get("mail", canonical.empty_frame("mail"))
    new = canonical.conform(pd.DataFrame(rows, columns=canonical.column_names("mail")), "mail")
    # The read starts at the latest message already seen (inclusive), so that one comes back every run.
    read = set(new["message_id"].dropna().astype(str))
    result.changed.setdefault("mail", set()).update(read - unchanged(old, new, "message_id", read))
    merged = pd.concat([old[~old["message_id"].isin(set(new["message_id"]))], new], ignore_index=True)
    snap.frames["mail"] = merged[~merged["mailbox_user_id"].isin(excluded)].reset_index(drop=True)


def _addr(recipient: dict[str, Any] | None) -> str | None:
    address = ((recipient or {}).get("emailAddress") or {}).get("address")
    return address.strip().lower() if isinstance(address, str) else None


def _mail_row(user: str, msg: dict[str, Any]) -> dict[str, Any]:
    return {
        "message_id": msg.get("id"), "mailbox_user_id": user, "internet_message_id": msg.get("internetMessageId"),
        "conversation_id": msg.get("conversationId"), "sender": _addr(msg.get("from")),
        "to": [a for a in map(_addr, msg.get("toRecipients") or []) if a],
        "cc": [a for a in map(_addr, msg.get("ccRecipients") or []) if a],
        "sent_on": msg.get("sentDateTime"), "subject": msg.get("subject"),
    }
