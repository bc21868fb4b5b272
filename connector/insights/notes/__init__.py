"""Notes analysis: suggested appointments, calls, tasks, contacts, content requests and issues.

:func:`analyze_text` analyses one text; :func:`analyze_notes` turns the canonical ``notes`` frame into
``osi_notesuggestion`` rows. Languages are pluggable (:data:`language.LANGUAGES`). See README.md.
"""

from __future__ import annotations

from connector.insights.notes.frame import SUGGESTION_COLUMNS, analyze_notes
from connector.insights.notes.intents import INTENTS
from connector.insights.notes.suggestions import Suggestion, analyze_text

__all__ = ["INTENTS", "SUGGESTION_COLUMNS", "Suggestion", "analyze_notes", "analyze_text"]
