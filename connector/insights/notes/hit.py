"""The intents notes analysis finds, and :class:`Hit`, one intent found in one clause."""

from __future__ import annotations

from dataclasses import dataclass

from connector.insights.notes.dates.core import Mention

INTENTS = ("appointment", "phone_call", "task", "new_contact", "content_request", "issue")
"""Intent names, in the order of :data:`connector.schema.SUGGESTION_TYPE`."""


@dataclass(frozen=True)
class Hit:
    """One intent found in a clause.

    Attributes:
        intent: one of :data:`INTENTS`.
        clause: ``(start, end)`` of the clause in the plain text (the evidence).
        trigger: ``(start, end)`` of the word that set it off.
        mention: the date/time mention that goes with it, if any.
        items: documents asked for (content requests).
        learned: found by the learned model (:mod:`connector.insights.notes.learned`), not by a rule.
    """

    intent: str
    clause: tuple[int, int]
    trigger: tuple[int, int]
    mention: Mention | None = None
    items: tuple[str, ...] = ()
    learned: bool = False
