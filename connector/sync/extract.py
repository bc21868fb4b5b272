"""Change-tracked extract: bring the snapshot's frames up to date with Dataverse (and Graph mail).

For each stream the stored delta link is followed; a first run, or a token Dataverse no longer
accepts, reads the stream in full instead. Activity parties are not change-tracked, so they are
re-read for exactly the activities a delta touched; the small untracked reference tables (users'
time zones) are read in full every run. The new checkpoints are returned, not saved:
the pipeline saves them only after the load succeeded.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

import pandas as pd

from connector import canonical, odata
from connector.errors import ChangeTokenExpiredError, HttpResponseError, RecordError
from connector.sync import transform
from connector.sync.snapshot import Snapshot
from connector.sync.streams import OWN_STREAMS, PARTY_SELECT, REFERENCE_STREAMS, STAGE_STREAMS, STREAMS, StreamSpec

log = logging.getLogger(__name__)

PARTY_FILTER_CHUNK = 40
"""Activity ids per ``activityparties`` query: keeps the URL far below Dataverse's 32 KB limit."""

MAIL_HISTORY_DAYS = 365
MAIL_SELECT = ("id", "from", "toRecipients", "ccRecipients", "sentDateTime", "receivedDateTime", "conversationId",
               "internetMessageId", "subject")

Progress = Callable[[str, int], None]

DATE_COLUMNS = frozenset({
    "createdon", "modifiedon", "senton", "scheduledstart", "scheduledend", "actualstart", "actualend",
    "estimatedclosedate", "actualclosedate",
})
"""Standard date-time columns the extract reads and checks (our own are written by us, in ISO form)."""


class ChangeReader(Protocol):
    """What extract needs from the Dataverse client."""

    def read_changes(self, entity_set: str, *, select: Sequence[str], delta_link: str | None = None,
                     page_size: int | None = None, annotations: str | None = None) -> Any: ...

    def list_records(self, entity_set: str, *, select: Sequence[str], filter: str | None = None,
                     page_size: int | None = None) -> Iterable[dict[str, Any]]: ...


@dataclass
class ExtractResult:
    """What one extract did.

    Attributes:
        checkpoints: the checkpoints to commit once the load succeeded.
        rows_read: stream → rows (and tombstones) read.
        full_reads: streams read in full (first run or expired token).
        full_frames: canonical frames read in full (any of their rows may have changed).
        changed: canonical frame → ids of rows created or updated since the last run.
        deleted: canonical frame → ids deleted in Dataverse since the last run.
        errors: malformed records skipped (named by table, id and field).
    """

    checkpoints: dict[str, Any] = field(default_factory=dict)
    rows_read: dict[str, int] = field(default_factory=dict)
    full_reads: list[str] = field(default_factory=list)
    full_frames: set[str] = field(default_factory=set)
    changed: dict[str, set[str]] = field(default_factory=dict)
    deleted: dict[str, set[str]] = field(default_factory=dict)
    errors: list[RecordError] = field(default_factory=list)


def _frame_key(spec: StreamSpec) -> str:
    return canonical.KEYS.get(spec.frame, spec.key)


def _stream_mask(frame: pd.DataFrame, spec: StreamSpec) -> pd.Series:
    """Rows of ``frame`` that came from this stream (several activity streams share one frame)."""
    if spec.frame == "activities":
        return frame["activity_type"] == transform.ACTIVITY_TYPES[spec.name]
    return pd.Series(True, index=frame.index)


FORMATTED = "OData.Community.Display.V1.FormattedValue"


def _read(client: ChangeReader, spec: StreamSpec, delta_link: str | None, page_size: int | None) -> tuple[Any, bool]:
    annotations = FORMATTED if spec.choice_columns else None
    if delta_link:
        try:
            return client.read_changes(spec.entity_set, select=spec.all_columns, delta_link=delta_link,
                                       page_size=page_size, annotations=annotations), False
        except ChangeTokenExpiredError:
            log.warning("change token for %s expired: reading it in full", spec.name)
    return client.read_changes(spec.entity_set, select=spec.all_columns, page_size=page_size,
                               annotations=annotations), True


def _read_untracked(client: ChangeReader, spec: StreamSpec, page_size: int | None,
                    result: ExtractResult) -> list[dict[str, Any]] | None:
    """Every row of a table read without change tracking; ``None`` (error recorded) when it cannot be read.

    These are optional reference tables: a missing privilege must cost only what they add (users' own
    time zones), not the run, so the previous snapshot frame is kept and the error is reported.
    """
    try:
        return list(client.list_records(spec.entity_set, select=spec.all_columns, page_size=page_size))
    except HttpResponseError as exc:
        result.errors.append(RecordError(spec.table, None, None, f"not read: HTTP {exc.status_code}"))
        log.warning("%s not read (HTTP %s): previous values kept", spec.entity_set, exc.status_code)
        return None


def _check_dates(spec: StreamSpec, rows: Sequence[dict[str, Any]], errors: list[RecordError]) -> None:
    """Name every unparseable or out-of-range date (the record is kept; see :func:`canonical.check_dates`)."""
    errors.extend(canonical.check_dates(spec.table, spec.key, rows, [c for c in spec.all_columns if c in DATE_COLUMNS]))


def _merge(old: pd.DataFrame | None, new: pd.DataFrame, spec: StreamSpec, deleted: set[str],
           full: bool) -> pd.DataFrame:
    key = _frame_key(spec)
    if old is None or old.empty:
        return new.reset_index(drop=True)
    drop = _stream_mask(old, spec) if full else old[key].isin(set(new[key]) | deleted)
    kept = old[~drop]
    if new.empty:
        return kept.reset_index(drop=True)
    if kept.empty:
        return new.reset_index(drop=True)
    return pd.concat([kept, new.astype(kept.dtypes.to_dict(), errors="ignore")], ignore_index=True)


def _keep_close_time(old: pd.DataFrame | None, new: pd.DataFrame) -> pd.DataFrame:
    """Carry the close time already known for a lead into its changed row (see :func:`_resolve`)."""
    if old is None or old.empty or new.empty:
        return new
    known = old.dropna(subset=["closed_on"]).drop_duplicates("lead_id").set_index("lead_id")["closed_on"]
    new = new.copy()
    new["closed_on"] = new["closed_on"].fillna(new["lead_id"].map(known))
    return new


def _read_parties(client: ChangeReader, activity_ids: Sequence[str] | None, page_size: int | None) -> pd.DataFrame:
    if activity_ids is None:
        return transform.parties_frame(list(client.list_records("activityparties", select=PARTY_SELECT,
                                                                page_size=page_size)))
    rows: list[dict[str, Any]] = []
    ids = list(activity_ids)
    for i in range(0, len(ids), PARTY_FILTER_CHUNK):
        chunk = ids[i:i + PARTY_FILTER_CHUNK]
        flt = " or ".join(f"_activityid_value eq {odata.literal(uuid.UUID(a))}" for a in chunk)
        rows.extend(client.list_records("activityparties", select=PARTY_SELECT, filter=flt, page_size=page_size))
    return transform.parties_frame(rows)


def extract(client: ChangeReader, snap: Snapshot, *, page_size: int | None = None,
            streams: Sequence[StreamSpec] = STREAMS + REFERENCE_STREAMS + STAGE_STREAMS + OWN_STREAMS,
            progress: Progress | None = None) -> ExtractResult:
    """Update ``snap.frames`` in place from Dataverse; return the new checkpoints and what was read.

    Raises:
        HttpResponseError, TransportError: a read failed after the transport's retries; the
            snapshot may be partly updated but its checkpoints are untouched, so the caller must not
            save it.
    """
    result = ExtractResult()
    touched_activities: set[str] = set()
    parties_full = "parties" not in snap.frames
    for spec in streams:
        if not spec.tracked:
            untracked = _read_untracked(client, spec, page_size, result)
            if untracked is not None:
                snap.frames[spec.frame] = transform.to_frame(spec, untracked)
                result.rows_read[spec.name] = len(untracked)
                result.full_frames.add(spec.frame)
                if progress:
                    progress(spec.name, len(untracked))
            continue
        batch, full = _read(client, spec, snap.checkpoints.get(spec.name), page_size)
        rows = list(batch.rows)
        deleted = set(batch.deleted_ids)
        _check_dates(spec, rows, result.errors)
        new = transform.to_frame(spec, rows)
        if spec.frame == "leads":
            new = _keep_close_time(snap.frames.get("leads"), new)
        snap.frames[spec.frame] = _merge(snap.frames.get(spec.frame), new, spec, deleted, full)
        result.checkpoints[spec.name] = batch.delta_link
        result.rows_read[spec.name] = len(rows) + len(deleted)
        result.deleted.setdefault(spec.frame, set()).update(deleted)
        result.changed.setdefault(spec.frame, set()).update(new[_frame_key(spec)].dropna().astype(str))
        if full:
            result.full_reads.append(spec.name)
            result.full_frames.add(spec.frame)
        if spec.frame == "activities":
            parties_full = parties_full or full
            touched_activities |= set(new["activity_id"].dropna()) | deleted
        if progress:
            progress(spec.name, result.rows_read[spec.name])
    _refresh_parties(client, snap, result, touched_activities, parties_full, page_size)
    _resolve(snap)
    return result


def _refresh_parties(client: ChangeReader, snap: Snapshot, result: ExtractResult, touched: set[str],
                     full: bool, page_size: int | None) -> None:
    if full:
        snap.frames["parties"] = _read_parties(client, None, page_size)
        result.full_frames.add("parties")
    elif touched:
        old = snap.frames["parties"]
        fresh = _read_parties(client, sorted(touched), page_size)
        snap.frames["parties"] = pd.concat([old[~old["activity_id"].isin(touched)], fresh], ignore_index=True)
        result.changed["parties"] = set(touched)
    else:
        return
    result.rows_read["activityparties"] = len(snap.frames["parties"]) if full else len(touched)


def _resolve(snap: Snapshot) -> None:
    """Derived columns that depend on several frames: lookup types, account of a contact, lead close time."""
    f = snap.frames
    known = {name: pd.Index(f[frame][canonical.KEYS[frame]].dropna())
             for name, frame in (("systemuser", "users"), ("contact", "contacts"), ("lead", "leads"),
                                 ("account", "accounts"), ("opportunity", "opportunities")) if frame in f}
    if "activities" in f:
        f["activities"]["regarding_type"] = transform.resolve_types(f["activities"]["regarding_id"], known)
    if "parties" in f:
        f["parties"]["party_type"] = transform.resolve_types(f["parties"]["party_id"], known)
    if "notes" in f:
        f["notes"]["object_type"] = transform.resolve_types(f["notes"]["object_id"], known)
    if "users" in f and "user_settings" in f:
        f["users"]["timezone"] = transform.user_timezones(f["users"]["user_id"], f["user_settings"],
                                                          f.get("timezone_definitions"))
    if "contacts" in f and "account" in known:
        contacts = f["contacts"]
        contacts["parent_account_id"] = contacts["parent_account_id"].where(
            contacts["parent_account_id"].isin(known["account"]))
    if "opportunities" in f:
        opp = f["opportunities"]
        cust = opp["customer_id"] if "customer_id" in opp else pd.Series(pd.NA, index=opp.index)
        if "account" in known:
            opp["account_id"] = opp["account_id"].fillna(cust.where(cust.isin(known["account"])))
        if "contact" in known:
            opp["contact_id"] = opp["contact_id"].fillna(cust.where(cust.isin(known["contact"])))
    if "leads" in f:
        f["leads"]["closed_on"] = _lead_close_times(f["leads"])


def _lead_close_times(leads: pd.DataFrame) -> pd.Series:
    """When each closed lead closed: our stamp held in Dataverse, else the time first seen, else ``modifiedon``.

    Dataverse keeps no close date on leads: the first time we see a lead closed, its last modification is
    the best estimate. The stamp we write back (``osi_closedon``, in the same update as our other
    columns) is read first, so neither our own later writes (which move ``modifiedon``) nor a full
    re-read after lost state can move it.
    """
    closed = leads["state_code"].fillna(0) != 0
    held = (pd.to_datetime(leads["osi_closedon"], utc=True, errors="coerce", format="ISO8601")
            if "osi_closedon" in leads.columns else pd.Series(pd.NaT, index=leads.index, dtype=canonical.UTC_DT))
    known = held.astype(canonical.UTC_DT).fillna(leads["closed_on"]).fillna(leads["modified_on"])
    return known.where(closed).astype(canonical.UTC_DT)


def extract_mail(graph: Any, snap: Snapshot, result: ExtractResult, *, now: datetime,
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
    result.changed.setdefault("mail", set()).update(new["message_id"].dropna().astype(str))
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
