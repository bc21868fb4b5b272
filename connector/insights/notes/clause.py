"""What the intent detectors know about one clause before any of them runs, and what they leave each other.

:func:`read_clause` decides the facts every detector shares: whether the clause tells of the past (or of a
finished item, or a hypothetical), whether it names a future date, where its instruction starts after a
filler or a short label, and whether it is actionable at all. Detectors then fill :class:`Found` in order
(content request, new contact, meeting or call, task, issue), since a later one defers to an earlier one:
a task that only arranges the clause's meeting is that meeting.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from connector.insights.notes import guards
from connector.insights.notes.dates.core import Mention, is_future
from connector.insights.notes.lexicon import Lexicon
from connector.insights.notes.listings import is_finished

_FILLER = re.compile(r"^(?:\[\s?\]\s*|(?:follow[- ]?up|suite|next\s+steps?)\s*:\s*|"
                     r"(?:pls|please|plz|merci\s+de|svp|stp|reminder|"
                     r"rappel|todo|to\s*do|nb|ps|urgent|"
                     r"asap|next\s+steps?|action|à\s+faire|a\s+faire|note\s+to\s+self|reminder\s+to\s+myself)"
                     r"\b\W*\s*)+", re.IGNORECASE)
"""Words before the instruction that only flag it ("pls", "ASAP", "NB", "À faire")."""
_PREFACE = re.compile(r"[^:]{0,40}?\b(?:e-?mails?|mails?|messages?|msg|voicemails?|vm|texts?|sms|courriels?|"
                      r"whatsapp|slack|linkedin|texto)\b[^:]{0,40}?(?<!\d)\s?:\s+(?=\S)", re.IGNORECASE)
"""How the news came, before a colon ("Email from the buyer: ..."): its past tense is not the clause's."""
_LABEL = re.compile(r"[^\W\d][\w/&-]{0,14}(?:\s+[\w/&-]{1,14}){0,2}\s*:\s*")
"""A short label before an instruction ("EOD:", "Tomorrow:")."""
_APPRAISAL = re.compile(r"(?:good|great|nice|productive|excellent|quick|bon|bonne|très|super|excellente?)\b",
                        re.IGNORECASE)
"""Appraisal words of the past-tense lexicon ("quick call") that yield to an explicit future date."""


@dataclass
class Found:
    """What earlier detectors found in the clause, for the later ones."""

    content: bool = False
    items: list[re.Match[str]] = field(default_factory=list)
    contact: re.Match[str] | None = None
    meetings: list[tuple[str, re.Match[str]]] = field(default_factory=list)
    meeting: tuple[str, re.Match[str]] | None = None


@dataclass(frozen=True)
class Clause:
    """One clause and the facts its detectors share.

    Attributes:
        text: the whole plain note; ``span``: the clause in it; ``body``: the clause's text.
        mentions: the date/time mentions that touch the clause; ``future``: those after the reference.
        lex: the language's lexicon; ``reference``: the note's local creation time.
        listed: ``"todo"`` / ``"done"`` when the clause is a line of such a list, else ``None``.
        past: it tells of the past (or is finished, or hypothetical) and names no future date.
        finished: a finished list item ("Done:", "[x]").
        offset: where its instruction starts in ``body``, after fillers and a short label.
        opening: the imperative verb at ``offset``, if any.
        actionable: it asks for something (an instruction, a modal, a request or a future date).
    """

    text: str
    span: tuple[int, int]
    body: str
    mentions: list[Mention]
    future: list[Mention]
    lex: Lexicon
    reference: dt.datetime
    listed: str | None
    past: bool
    finished: bool
    offset: int
    opening: re.Match[str] | None
    actionable: bool


def read_clause(text: str, span: tuple[int, int], mentions: list[Mention], lex: Lexicon, reference: dt.datetime,
                listed: str | None) -> Clause:
    """The shared facts of the clause ``span`` of ``text`` (see :class:`Clause`)."""
    body = text[span[0]:span[1]]
    future = [m for m in mentions if is_future(m, reference)]
    preface = _PREFACE.match(body)
    markers = list(lex.past.finditer(body, preface.end() if preface else 0))
    past = (bool(markers) and not (future and all(_APPRAISAL.match(m.group(0)) for m in markers))) or (
        any(m.past for m in mentions) and not future)
    finished = is_finished(body, listed)
    past = past or finished or guards.is_hypothetical(body)
    lead = _FILLER.match(body)
    offset = lead.end() if lead else 0
    label = _LABEL.match(body, offset)
    if label and (lex.imperative.match(body, label.end()) or lex.infinitive.match(body, label.end())):
        offset = label.end()
    opening = lex.imperative.match(body, offset)
    actionable = bool(opening or future or lex.actionable.search(body) or lex.scheduling.search(body))
    return Clause(text, span, body, mentions, future, lex, reference, listed, past, finished, offset, opening,
                  actionable)
