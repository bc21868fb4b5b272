"""The canonical ``notes`` frame in, ``osi_notesuggestion`` rows out."""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Iterable, Mapping

import pandas as pd

from connector import schema
from connector.errors import OsiError, RecordError
from connector.insights.notes.intents import INTENTS
from connector.insights.notes.suggestions import analyze_text, zone

log = logging.getLogger(__name__)

SUGGESTION_COLUMNS = (
    "osi_key", "osi_name", "osi_noteid", "osi_regardingid", "osi_regardingtype", "osi_suggestiontype",
    "osi_suggestionstatus", "osi_spanstart", "osi_spanend", "osi_confidence", "osi_start", "osi_due", "osi_payload",
)
_TYPE_LABEL = dict(zip(INTENTS, ("Appointment", "Phone call", "Task", "New contact", "Content request", "Issue"),
                       strict=True))
NAME_MAX = 200


def analyze_notes(notes: pd.DataFrame, *, now: dt.datetime, org_timezone: str = "UTC",
                  user_timezones: Mapping[str, str] | None = None, languages: Iterable[str] = ("en", "fr"),
                  intents: Iterable[str] | None = None, errors: list[RecordError] | None = None) -> pd.DataFrame:
    """Suggestions for every note of the canonical ``notes`` frame.

    Each note is analysed relative to its ``created_on`` (``modified_on``, then ``now``, when missing) in
    its owner's time zone (``user_timezones[owner_id]``, else ``org_timezone``). A note that cannot be
    analysed is skipped, logged and appended to ``errors`` as a :class:`RecordError` naming the note and
    field (never its text); the others go on. An unknown owner time zone falls back to the organisation's
    and is reported the same way.

    Args:
        notes: canonical ``notes`` frame (``note_id``, ``object_id``, ``object_type``, ``subject``, ``text``,
            ``owner_id``, ``created_on``, ``modified_on``).
        now: the run's clock, used only when a note has no timestamps.
        org_timezone: the organisation's default IANA time zone.
        user_timezones: owner id to IANA time zone (users frame ``timezone``); NA or unknown falls back.
        languages: languages to detect among.
        intents: intents to report (default all).
        errors: a list that receives the problems found in individual records.

    Returns:
        One row per suggestion, columns :data:`SUGGESTION_COLUMNS`; status is ``New``, start and due in UTC.

    Raises:
        ConfigurationError: unknown organisation time zone, language or intent.
    """
    zone(org_timezone)
    languages = tuple(languages)
    wanted = tuple(intents) if intents is not None else None
    zones = {str(k): str(v) for k, v in (user_timezones or {}).items() if isinstance(v, str) and v}
    rows: list[dict[str, object]] = []
    errors = errors if errors is not None else []
    new_status = schema.SUGGESTION_STATUS.value("New")
    for record in notes.to_dict("records"):
        note_id = _text(record.get("note_id"))
        try:
            rows.extend(_note_rows(record, note_id, now, org_timezone, zones, languages, wanted, new_status,
                                   errors))
        except RecordError as exc:
            errors.append(exc)
            log.warning("note skipped: %s", exc)
    frame = pd.DataFrame(rows, columns=list(SUGGESTION_COLUMNS))
    frame = frame.drop_duplicates("osi_key").reset_index(drop=True)
    frame = frame.astype({"osi_spanstart": "Int64", "osi_spanend": "Int64", "osi_confidence": "float64",
                          "osi_suggestiontype": "Int64", "osi_suggestionstatus": "Int64"})
    for column in ("osi_start", "osi_due"):
        frame[column] = pd.to_datetime(frame[column], utc=True).astype("datetime64[ns, UTC]")
    return frame


def _note_rows(record: dict[str, object], note_id: str | None, now: dt.datetime, org_timezone: str,
               zones: dict[str, str], languages: tuple[str, ...], wanted: tuple[str, ...] | None,
               new_status: int, errors: list[RecordError]) -> list[dict[str, object]]:
    if not note_id:
        raise RecordError("annotation", None, "annotationid", "note without an id")
    raw = record.get("text")
    if raw is not None and not isinstance(raw, str) and not pd.isna(raw):  # type: ignore[call-overload]
        raise RecordError("annotation", note_id, "notetext", f"expected text, got {type(raw).__name__}")
    text = raw if isinstance(raw, str) else ""
    if not text.strip():
        return []
    owner = _text(record.get("owner_id"))
    tz_name = zones.get(owner or "", org_timezone)
    try:
        zone(tz_name)
    except OsiError:
        problem = RecordError("systemuser", owner, "timezone", "unknown time zone; organisation default used")
        errors.append(problem)
        log.warning("%s", problem)
        tz_name = org_timezone
    reference = _timestamp(record.get("created_on")) or _timestamp(record.get("modified_on")) or now
    found = analyze_text(text, reference_time=reference, timezone=tz_name, languages=languages,
                         intents_wanted=wanted)
    regarding_id, regarding_type = _text(record.get("object_id")), _text(record.get("object_type"))
    subject = _text(record.get("subject"))
    rows = []
    for suggestion in found:
        payload = dict(suggestion.payload)
        payload["regarding"] = {"id": regarding_id, "type": regarding_type}
        rows.append({
            "osi_key": suggestion.key(note_id),
            "osi_name": (subject or suggestion.evidence)[:NAME_MAX],
            "osi_noteid": note_id,
            "osi_regardingid": regarding_id,
            "osi_regardingtype": regarding_type,
            "osi_suggestiontype": schema.SUGGESTION_TYPE.value(_TYPE_LABEL[suggestion.intent]),
            "osi_suggestionstatus": new_status,
            "osi_spanstart": suggestion.span[0],
            "osi_spanend": suggestion.span[1],
            "osi_confidence": suggestion.confidence,
            "osi_start": suggestion.start,
            "osi_due": suggestion.due,
            "osi_payload": json.dumps(payload, ensure_ascii=False, sort_keys=True),
        })
    return rows


def _text(value: object) -> str | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return None
    return str(value)


def _timestamp(value: object) -> dt.datetime | None:
    if value is None or value is pd.NaT or (not isinstance(value, dt.datetime) and pd.isna(value)):  # type: ignore[call-overload]
        return None
    stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    return (stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp).to_pydatetime()
