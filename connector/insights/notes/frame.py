"""The canonical ``notes`` frame in, ``osi_notesuggestion`` rows out, one note at a time (:func:`analyze_note`)."""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable, Iterable, Mapping

import pandas as pd

from connector.errors import OsiError, RecordError
from connector.insights.notes.note import SUGGESTION_COLUMNS, Note, analyze_note
from connector.insights.notes.suggestions import MAX_TEXT_CHARS, zone

log = logging.getLogger(__name__)


def analyze_notes(notes: pd.DataFrame, *, org_timezone: str = "UTC", user_timezones: Mapping[str, str] | None = None,
                  languages: Iterable[str] = ("en", "fr"), intents: Iterable[str] | None = None,
                  errors: list[RecordError] | None = None, budget_seconds: float | None = None,
                  deferred: list[str] | None = None, clock: Callable[[], float] = time.monotonic,
                  now: dt.datetime | None = None) -> pd.DataFrame:
    """Suggestions for every note of the canonical ``notes`` frame, each from :func:`analyze_note`.

    The result depends only on each note's fields and the parameters; rows are sorted by note id, span and key.
    A note that cannot be analysed is skipped and appended to ``errors`` as a :class:`RecordError` naming the
    note and field (never its text); the others go on. An unknown owner time zone falls back to the
    organisation's and is reported the same way. Notes go most recently modified first (ties by id); past
    ``budget_seconds`` the rest are not analysed: their ids go to ``deferred`` (and a warning to the log) so
    the caller keeps their previous suggestions and analyses them next run. A note longer than
    :data:`MAX_TEXT_CHARS` is analysed on that prefix (logged).

    Args:
        notes: canonical ``notes`` frame (``note_id``, ``text``, ``owner_id``, ``created_on``, ``modified_on``...).
        org_timezone: the organisation's default IANA time zone.
        user_timezones: owner id to IANA time zone (users frame ``timezone``); NA or unknown falls back.
        languages: languages to detect among.
        intents: intents to report (default all).
        errors: a list that receives the problems found in individual records.
        budget_seconds: time this call may spend on analysis (``None``: no limit).
        deferred: a list that receives the ids of the notes left for the next run.
        clock: monotonic seconds (a parameter so that tests can move it).
        now: ignored (results depend on each note's own times); kept for callers of the earlier signature.

    Returns:
        One row per suggestion, columns :data:`SUGGESTION_COLUMNS`; status is ``New``, start and due in UTC.

    Raises:
        ConfigurationError: unknown organisation time zone, language or intent.
    """
    del now
    zone(org_timezone)
    languages = tuple(languages)
    wanted = tuple(intents) if intents is not None else None
    zones = {str(k): str(v) for k, v in (user_timezones or {}).items() if isinstance(v, str) and v}
    errors = errors if errors is not None else []
    checked: dict[str, str] = {}
    started = clock()
    rows: list[dict[str, object]] = []
    truncated: list[str] = []
    left: list[str] = []
    for record in _in_order(notes):
        note_id = _text(record.get("note_id"))
        if not note_id:
            errors.append(RecordError("annotation", None, "annotationid", "note without an id"))
            continue
        if budget_seconds is not None and clock() - started > budget_seconds:
            left.append(note_id)
            continue
        timezone = _owner_zone(_text(record.get("owner_id")), zones, org_timezone, checked, errors)
        result = analyze_note(_note(record, note_id), timezone=timezone, languages=languages, intents=wanted)
        errors.extend(result.problems)
        rows.extend(result.rows)
        if result.truncated:
            truncated.append(note_id)
    _report(truncated, left, deferred)
    return _frame(rows)


def _in_order(notes: pd.DataFrame) -> list[dict[str, object]]:
    """Records most recently modified first, ties (and missing times) by note id: a deterministic order."""
    records: list[dict[str, object]] = notes.to_dict("records")
    records.sort(key=lambda r: _text(r.get("note_id")) or "")
    records.sort(key=lambda r: _timestamp(r.get("modified_on")) or _timestamp(r.get("created_on")) or _OLDEST,
                 reverse=True)
    return records


_OLDEST = dt.datetime.min.replace(tzinfo=dt.UTC)


def _owner_zone(owner: str | None, zones: dict[str, str], org_timezone: str, checked: dict[str, str],
                errors: list[RecordError]) -> str:
    name = zones.get(owner or "", org_timezone)
    if name not in checked:
        try:
            zone(name)
            checked[name] = name
        except OsiError:
            problem = RecordError("systemuser", owner, "timezone", "unknown time zone; organisation default used")
            errors.append(problem)
            log.warning("%s", problem)
            checked[name] = org_timezone  # reported once per owner zone, not once per note
    return checked[name]


def _note(record: Mapping[str, object], note_id: str) -> Note:
    raw = record.get("text")
    text = None if raw is None or (not isinstance(raw, str) and _is_na(raw)) else raw
    return Note(note_id, text, _timestamp(record.get("created_on")), _timestamp(record.get("modified_on")),
                _text(record.get("subject")), _text(record.get("object_id")), _text(record.get("object_type")))


def _report(truncated: list[str], left: list[str], deferred: list[str] | None) -> None:
    if truncated:
        log.info("notes: %d note(s) longer than %d characters, only that prefix analysed: %s", len(truncated),
                 MAX_TEXT_CHARS, ", ".join(truncated[:5]))
    if left:
        log.warning("notes: time budget spent; %d note(s) left for the next run", len(left))
        if deferred is not None:
            deferred.extend(left)


def _frame(rows: list[dict[str, object]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=list(SUGGESTION_COLUMNS))
    # Duplicate note ids (messy data) give duplicate keys: the same one is kept whatever the row order.
    frame = frame.sort_values(["osi_key", "osi_payload", "osi_name"], kind="stable")
    frame = frame.drop_duplicates("osi_key").sort_values(["osi_noteid", "osi_spanstart", "osi_key"], kind="stable")
    frame = frame.reset_index(drop=True).astype({"osi_spanstart": "Int64", "osi_spanend": "Int64",
                                                 "osi_confidence": "float64", "osi_suggestiontype": "Int64",
                                                 "osi_suggestionstatus": "Int64"})
    for column in ("osi_start", "osi_due"):
        frame[column] = pd.to_datetime(frame[column], utc=True).astype("datetime64[ns, UTC]")
    return frame


def _is_na(value: object) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _text(value: object) -> str | None:
    if value is None or (not isinstance(value, str) and _is_na(value)):
        return None
    return str(value)


def _timestamp(value: object) -> dt.datetime | None:
    if value is None or value is pd.NaT or (not isinstance(value, dt.datetime) and _is_na(value)):
        return None
    try:
        stamp = pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError):
        return None
    moment: dt.datetime = (stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp).to_pydatetime()
    return moment
