"""One note in, its ``osi_notesuggestion`` rows out: the per-item analysis the frame function and a cache use.

:func:`analyze_note` is a pure function of the note's own fields (id, text, subject, what it is regarding,
creation and modification time) and of explicit parameters (the owner's time zone, languages, intents).
Relative dates ("tomorrow", "next Tuesday") resolve against the note's own creation time (its modification
time when it has none), never against the run's clock: analysing the same note at a later run gives the
same rows, so a pipeline may cache the result per note id and ``modifiedon``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

from connector import schema
from connector.errors import RecordError
from connector.insights.notes.dates.core import EARLIEST, LATEST
from connector.insights.notes.intents import INTENTS
from connector.insights.notes.suggestions import MAX_TEXT_CHARS, Suggestion, analyze_text

SUGGESTION_COLUMNS = (
    "osi_key", "osi_name", "osi_noteid", "osi_regardingid", "osi_regardingtype", "osi_suggestiontype",
    "osi_suggestionstatus", "osi_spanstart", "osi_spanend", "osi_confidence", "osi_start", "osi_due", "osi_payload",
)
"""Columns of the rows :func:`analyze_note` returns (the ``osi_notesuggestion`` table)."""

NAME_MAX = 200
_TYPE_LABEL = dict(zip(INTENTS, ("Appointment", "Phone call", "Task", "New contact", "Content request", "Issue"),
                       strict=True))


@dataclass(frozen=True)
class Note:
    """The fields of one note (``annotation``) that its suggestions depend on.

    Attributes:
        note_id: ``annotationid``.
        text: ``notetext`` (plain text or HTML); ``None`` when empty.
        created_on: ``createdon`` (aware, or naive UTC); relative dates resolve against it.
        modified_on: ``modifiedon``; used as the reference only when ``created_on`` is missing.
        subject: ``subject``, the suggestion's name when present.
        regarding_id: ``objectid`` (the record the note is attached to).
        regarding_type: that record's table.
    """

    note_id: str
    text: object
    created_on: dt.datetime | None
    modified_on: dt.datetime | None = None
    subject: str | None = None
    regarding_id: str | None = None
    regarding_type: str | None = None


@dataclass(frozen=True)
class NoteAnalysis:
    """What one note yields.

    Attributes:
        note_id: the note.
        rows: its suggestions as ``osi_notesuggestion`` rows (:data:`SUGGESTION_COLUMNS`), in text order.
        problems: record-level problems (the note is named, its text never quoted).
        truncated: the note was longer than :data:`MAX_TEXT_CHARS`; only that prefix was analysed.
    """

    note_id: str
    rows: tuple[dict[str, object], ...]
    problems: tuple[RecordError, ...] = ()
    truncated: bool = False


def analyze_note(note: Note, *, timezone: str, languages: Iterable[str] = ("en", "fr"),
                 intents: Iterable[str] | None = None) -> NoteAnalysis:
    """The suggestions of one note.

    A note whose text is not a string, or that has neither a creation nor a modification time (relative
    dates could not be resolved), yields no row and one problem naming the note and field. A date the note
    names outside what Dataverse and the frames hold (before 1753, or from 2262 on: "call back on
    9999-12-31") leaves its suggestion without a date and is reported the same way.

    Args:
        note: the note's fields.
        timezone: the owner's IANA time zone (the caller falls back to the organisation's).
        languages: languages to detect among.
        intents: intents to report (default all).

    Returns:
        The note's rows, problems and whether its text was cut.

    Raises:
        ConfigurationError: unknown time zone, language or intent (a setting, not this note, is wrong).
    """
    raw = note.text
    if raw is not None and not isinstance(raw, str):
        problem = RecordError("annotation", note.note_id, "notetext", f"expected text, got {type(raw).__name__}")
        return NoteAnalysis(note.note_id, (), (problem,))
    if not raw or not raw.strip():
        return NoteAnalysis(note.note_id, ())
    reference = note.created_on or note.modified_on
    if reference is None:
        problem = RecordError("annotation", note.note_id, "createdon",
                              "no creation or modification time: relative dates cannot be resolved")
        return NoteAnalysis(note.note_id, (), (problem,))
    reference = reference if reference.tzinfo else reference.replace(tzinfo=dt.UTC)
    if not EARLIEST <= reference < LATEST:
        problem = RecordError("annotation", note.note_id, "createdon", "outside the years 1753 to 2262")
        return NoteAnalysis(note.note_id, (), (problem,))
    found = analyze_text(raw, reference_time=reference, timezone=timezone, languages=languages,
                         intents_wanted=intents)
    problems: tuple[RecordError, ...] = ()
    if any(s.date_rejected for s in found):
        problems = (RecordError("annotation", note.note_id, "notetext",
                                "names a date before 1753 or after 2262; its suggestion has no date"),)
    rows = tuple(_row(note, s) for s in found)
    return NoteAnalysis(note.note_id, rows, problems, truncated=len(raw) > MAX_TEXT_CHARS)


def _row(note: Note, suggestion: Suggestion) -> dict[str, object]:
    payload = dict(suggestion.payload)
    payload["regarding"] = {"id": note.regarding_id, "type": note.regarding_type}
    return {
        "osi_key": suggestion.key(note.note_id),
        "osi_name": (note.subject or suggestion.evidence)[:NAME_MAX],
        "osi_noteid": note.note_id,
        "osi_regardingid": note.regarding_id,
        "osi_regardingtype": note.regarding_type,
        "osi_suggestiontype": schema.SUGGESTION_TYPE.value(_TYPE_LABEL[suggestion.intent]),
        "osi_suggestionstatus": schema.SUGGESTION_STATUS.value("New"),
        "osi_spanstart": suggestion.span[0],
        "osi_spanend": suggestion.span[1],
        "osi_confidence": suggestion.confidence,
        "osi_start": suggestion.start,
        "osi_due": suggestion.due,
        "osi_payload": json.dumps(payload, ensure_ascii=False, sort_keys=True),
    }
