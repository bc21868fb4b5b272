"""Change-tracked extract: bring the snapshot's frames up to date with Dataverse (and Graph mail).

For each stream the stored delta link is followed; a first run, or a token Dataverse no longer
accepts, reads the stream in full instead. Activity parties are not change-tracked, so they are
re-read for exactly the activities a delta touched; the small untracked reference tables (users'
time zones) are read in full every run.

Pages are read several streams at once, a page ahead (:mod:`connector.sync.reader`), each turned into
its canonical frame once, and staged in the state store with the link the read goes on from
(:mod:`connector.sync.staging`): a run cut off by its host resumes at the page where it stopped. Once
every stream is read, the staged pages are merged into the snapshot's frames and the new checkpoints are
returned, not saved: the pipeline saves them with the snapshot.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from connector import canonical
from connector.errors import HttpResponseError, RecordError
from connector.memory import release_free_memory
from connector.sync import transform
from connector.sync.echoes import RECORD_FRAMES, echoes
from connector.sync.lake import is_lake_link
from connector.sync.mail import MAIL_HISTORY_DAYS, MAIL_SELECT, extract_mail
from connector.sync.page_walks import PARTIES, ChangeReader, Walk, party_walk, stream_walk
from connector.sync.reader import read_streams
from connector.sync.snapshot import Snapshot
from connector.sync.staging import MemoryStore, Staging
from connector.sync.streams import OWN_STREAMS, REFERENCE_STREAMS, STAGE_STREAMS, STREAMS, StreamSpec

log = logging.getLogger(__name__)

__all__ = ["MAIL_HISTORY_DAYS", "MAIL_SELECT", "ExtractResult", "extract", "extract_mail"]

RELEASE_PAGES = 8
"""Pages read between two hand-backs of free memory (see :mod:`connector.memory`)."""
PARTY_ORDER = ["activity_id", "participation", "party_id", "address"]
"""The order parties are kept in (they have no id of their own in the canonical frame)."""
READ_STREAMS = 2
"""Streams read at once by default (see :class:`connector.sync.reader.AdaptiveLimit`)."""

Progress = Callable[[str, int], None]


@dataclass
class ExtractResult:
    """What one extract did.

    Attributes:
        checkpoints: the checkpoints to commit with the snapshot.
        rows_read: stream → rows (and tombstones) read.
        full_reads: streams read in full (first run or expired token).
        full_frames: canonical frames read in full (any of their rows may have changed).
        changed: canonical frame → ids of rows created or updated since the last run (streams read in full
            add none: their frame is in ``full_frames``).
        echoes: canonical frame → the ``changed`` ids whose only change was our own write (see
            :mod:`.echoes`): saved with the frame, but no change for the producers.
        deleted: canonical frame → ids deleted in Dataverse since the last run.
        errors: malformed records skipped (named by table, id and field).
        resumed: the extract went on from pages a previous, interrupted run had staged.
    """

    checkpoints: dict[str, Any] = field(default_factory=dict)
    rows_read: dict[str, int] = field(default_factory=dict)
    full_reads: list[str] = field(default_factory=list)
    full_frames: set[str] = field(default_factory=set)
    changed: dict[str, set[str]] = field(default_factory=dict)
    echoes: dict[str, set[str]] = field(default_factory=dict)
    deleted: dict[str, set[str]] = field(default_factory=dict)
    errors: list[RecordError] = field(default_factory=list)
    resumed: bool = False


def _frame_key(spec: StreamSpec) -> str:
    return canonical.KEYS.get(spec.frame, spec.key)


def _stream_mask(frame: pd.DataFrame, spec: StreamSpec) -> pd.Series:
    """Rows of ``frame`` that came from this stream (several activity streams share one frame)."""
    if spec.frame == "activities":
        return frame["activity_type"] == transform.ACTIVITY_TYPES[spec.name]
    return pd.Series(True, index=frame.index)


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


def _by_key(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Rows in the order of their ids: the same rows give the same frame whatever order pages and deltas came in."""
    present = [k for k in keys if k in frame.columns]
    return frame.sort_values(present, kind="stable").reset_index(drop=True) if present else frame


def _merge(old: pd.DataFrame | None, new: pd.DataFrame, spec: StreamSpec, deleted: set[str],
           full: bool) -> pd.DataFrame:
    key = _frame_key(spec)
    if old is None or old.empty:
        return _by_key(new, [key])
    drop = _stream_mask(old, spec) if full else old[key].isin(set(new[key]) | deleted)
    kept = old[~drop]
    if new.empty:
        return _by_key(kept, [key])
    if kept.empty:
        return _by_key(new, [key])
    return _by_key(pd.concat([kept, new.astype(kept.dtypes.to_dict(), errors="ignore")], ignore_index=True), [key])


def _keep_close_time(old: pd.DataFrame | None, new: pd.DataFrame) -> pd.DataFrame:
    """Carry the close time already known for a lead into its changed row (see :func:`_resolve`)."""
    if old is None or old.empty or new.empty:
        return new
    known = old.dropna(subset=["closed_on"]).drop_duplicates("lead_id").set_index("lead_id")["closed_on"]
    new = new.copy()
    new["closed_on"] = new["closed_on"].fillna(new["lead_id"].map(known))
    return new


def _read_pages(walks: Sequence[Walk], staging: Staging, workers: int, progress: Progress | None) -> None:
    """Read the given walks to their end, staging every page as its canonical frame."""
    specs = {name: (spec, full) for spec, name, _, _, full in walks}
    for n, (name, page) in enumerate(read_streams([(n, w, link) for _, n, w, link, _ in walks],
                                   next_link=lambda p: p.next_link, workers=workers)):
        if n % RELEASE_PAGES == RELEASE_PAGES - 1:
            # Decoded pages leave freed memory in each reading thread's heap: handed back as the read goes,
            # not held until its end (at size M it came to about a gigabyte).
            release_free_memory()
        spec, full = specs[name]
        if page is None:
            continue
        if page.restart:
            staging.restart(name, full=True)
            specs[name] = (spec, True)
            continue
        errors: list[RecordError] = []
        frame = (transform.to_frame(spec, page.rows, errors) if spec is not None
                 else transform.parties_frame(page.rows))
        staging.stage(name, frame, deleted=page.deleted_ids, next_link=page.next_link, delta_link=page.delta_link,
                      errors=errors, full=full)
        if progress:
            progress(name, staging.stream(name).rows)


def _stage_streams(client: ChangeReader, snap: Snapshot, tracked: Sequence[StreamSpec], staging: Staging,
                   page_size: int | None, workers: int, progress: Progress | None) -> None:
    walks: list[Walk] = []
    for spec in tracked:
        state = staging.stream(spec.name)
        if state.done:
            continue
        checkpoint = _usable(client, spec, snap.checkpoints.get(spec.name))
        link, full = (state.link, state.full) if state.started else (checkpoint, not checkpoint)
        walks.append((spec, spec.name, stream_walk(client, spec, page_size), link, full))
    _read_pages(walks, staging, workers, progress)


def _usable(client: ChangeReader, spec: StreamSpec, checkpoint: str | None) -> str | None:
    """The checkpoint, unless another source wrote it (the lake's after a switch back to the Web API, or the
    reverse): then the stream is read in full from the source now in use."""
    if not checkpoint:
        return None
    accepts = getattr(client, "accepts", None)
    ok = accepts(spec.entity_set, checkpoint) if accepts is not None else not is_lake_link(checkpoint)
    return checkpoint if ok else None


def extract(client: ChangeReader, snap: Snapshot, *, page_size: int | None = None,
            streams: Sequence[StreamSpec] = STREAMS + REFERENCE_STREAMS + STAGE_STREAMS + OWN_STREAMS,
            progress: Progress | None = None, staging: Staging | None = None,
            workers: int = READ_STREAMS) -> ExtractResult:
    """Update ``snap.frames`` in place from Dataverse; return the new checkpoints and what was read.

    Args:
        client: the Dataverse client.
        snap: the snapshot to bring up to date.
        page_size: rows per page.
        streams: the streams to read.
        progress: called with (stream, rows so far).
        staging: where pages are staged as they are read (in memory when omitted: nothing to resume from).
        workers: streams read at once.

    Raises:
        HttpResponseError, TransportError: a read failed after the transport's retries; the
            snapshot's frames are untouched (what was read stays staged for the next run).
    """
    staging = staging or Staging(MemoryStore(), snap.generation)
    result = ExtractResult(resumed=staging.resumed)
    tracked = [s for s in streams if s.tracked]
    _stage_streams(client, snap, tracked, staging, page_size, workers, progress)
    untracked = {s.name: _read_untracked(client, s, page_size, result) for s in streams if not s.tracked}
    touched: set[str] = set()
    parties_full = "parties" not in snap.frames
    before = {f: snap.frames[f] for f in RECORD_FRAMES if f in snap.frames}
    release_free_memory()
    for spec in tracked:
        new, full = _apply(snap, spec, staging, result)
        release_free_memory()
        if spec.frame == "activities":
            parties_full = parties_full or full
            if not parties_full:  # the parties of these activities are read again (all of them when full)
                touched |= set(new["activity_id"].dropna()) | set(staging.stream(spec.name).deleted)
    for spec in streams:
        rows = untracked.get(spec.name)
        if rows is not None:
            snap.frames[spec.frame] = transform.to_frame(spec, rows)
            result.rows_read[spec.name] = len(rows)
            result.full_frames.add(spec.frame)
    if tracked:
        _refresh_parties(client, snap, result, staging, None if parties_full else sorted(touched), page_size)
    _resolve(snap)
    for frame, old in before.items():
        if frame not in result.full_frames and result.changed.get(frame):
            result.echoes[frame] = echoes(old, snap.frames[frame], canonical.KEYS[frame], result.changed[frame])
    return result


def _apply(snap: Snapshot, spec: StreamSpec, staging: Staging, result: ExtractResult) -> tuple[pd.DataFrame, bool]:
    """Merge one stream's staged pages into the snapshot's frame; return its new rows and whether it was full."""
    state = staging.stream(spec.name)
    new = staging.frame(spec.name)
    if new is None:
        new = transform.to_frame(spec, [])
    deleted = set(state.deleted)
    if spec.frame == "leads":
        new = _keep_close_time(snap.frames.get("leads"), new)
    snap.frames[spec.frame] = _merge(snap.frames.get(spec.frame), new, spec, deleted, state.full)
    result.checkpoints[spec.name] = state.delta_link
    result.rows_read[spec.name] = len(new) + len(deleted)
    result.errors.extend(staging.errors(spec.name))
    result.deleted.setdefault(spec.frame, set()).update(deleted)
    changed = result.changed.setdefault(spec.frame, set())
    if not state.full:
        # A frame read in full counts whole (``full_frames``): its ids would be a set of every row for nothing.
        changed.update(new[_frame_key(spec)].dropna().astype(str))
    if state.full:
        result.full_reads.append(spec.name)
        result.full_frames.add(spec.frame)
    return new, state.full


def _refresh_parties(client: ChangeReader, snap: Snapshot, result: ExtractResult, staging: Staging,
                     touched: list[str] | None, page_size: int | None) -> None:
    """Re-read every party (``touched`` is None) or the parties of the touched activities."""
    if touched is not None and not touched:
        return
    state = staging.stream(PARTIES)
    if not state.done:
        walk = party_walk(client, touched, page_size)
        _read_pages([(None, PARTIES, walk, state.link, touched is None)], staging, 1, None)
    fresh = staging.frame(PARTIES)
    fresh = transform.parties_frame([]) if fresh is None else fresh
    if touched is None:
        snap.frames["parties"] = _by_key(fresh, PARTY_ORDER)
        result.full_frames.add("parties")
        result.rows_read[PARTIES] = len(fresh)
        return
    old = snap.frames["parties"]
    snap.frames["parties"] = _by_key(pd.concat([old[~old["activity_id"].isin(touched)], fresh], ignore_index=True),
                                     PARTY_ORDER)
    result.changed["parties"] = set(touched)
    result.rows_read[PARTIES] = len(touched)


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


