"""Notes analysis: suggested appointments, calls, tasks, contacts, content requests and issues.

:func:`analyze_text` analyses one text; :func:`analyze_note` one note (a pure function of its fields, the
unit a pipeline caches); :func:`analyze_notes` turns the canonical ``notes`` frame into ``osi_notesuggestion``
rows. Languages are pluggable (:data:`language.LANGUAGES`). See README.md.
"""

from __future__ import annotations

from connector.insights.notes.frame import analyze_notes
from connector.insights.notes.intents import INTENTS
from connector.insights.notes.note import SUGGESTION_COLUMNS, Note, NoteAnalysis, analyze_note
from connector.insights.notes.suggestions import MAX_TEXT_CHARS, Suggestion, analyze_text

__all__ = ["INTENTS", "MAX_TEXT_CHARS", "SUGGESTION_COLUMNS", "Note", "NoteAnalysis", "Suggestion", "analyze_note",
           "analyze_notes", "analyze_text"]
