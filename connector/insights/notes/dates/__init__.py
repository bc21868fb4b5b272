"""Date and time expressions in note text: recognition per language, resolution in the owner's time zone."""

from __future__ import annotations

from connector.insights.notes.dates.core import Mention, Piece, combine, resolve_local, to_utc

__all__ = ["Mention", "Piece", "combine", "resolve_local", "to_utc"]
