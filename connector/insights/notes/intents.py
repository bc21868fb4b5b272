"""Intent rules: which suggestions a note's clauses call for.

Each clause (a sentence, or one item of a to-do list) is checked with the language's lexicon:

- appointment / phone call: a meeting or call word, in a clause that is not about the past and is
  actionable (an instruction, a modal, a request, or a future date); the earlier of the two wins;
- task: an instruction, modal or delegation ("John to confirm ..."), unless its verb only arranges a
  meeting or call of the same clause (that is the meeting's or call's suggestion) or sends a document;
- content request: a document word with a request or send verb, unless it was already sent;
- new contact: an introduction phrase followed by a person's name or e-mail address;
- issue: a complaint, defect, delay or risk word that is not negated.

Meetings, calls and tasks take the date/time mention of their own part of the clause.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from connector.insights.notes import extract
from connector.insights.notes import text as notetext
from connector.insights.notes.dates.core import Mention, combine, is_future
from connector.insights.notes.language import LanguagePack
from connector.insights.notes.lexicon import Lexicon

INTENTS = ("appointment", "phone_call", "task", "new_contact", "content_request", "issue")
"""Intent names, in the order of :data:`connector.schema.SUGGESTION_TYPE`."""

_FILLER = re.compile(r"^(?:(?:follow[- ]?up|suite|next\s+steps?)\s*:\s*|(?:pls|please|plz|merci\s+de|svp|stp|reminder|"
                     r"rappel|todo|to\s*do|nb|ps|urgent|"
                     r"asap|next\s+steps?|action|à\s+faire|a\s+faire|note\s+to\s+self|reminder\s+to\s+myself)"
                     r"\b\W*\s*)+", re.IGNORECASE)


@dataclass(frozen=True)
class Hit:
    """One intent found in a clause.

    Attributes:
        intent: one of :data:`INTENTS`.
        clause: ``(start, end)`` of the clause in the plain text (the evidence).
        trigger: ``(start, end)`` of the word that set it off.
        mention: the date/time mention that goes with it, if any.
        items: documents asked for (content requests).
    """

    intent: str
    clause: tuple[int, int]
    trigger: tuple[int, int]
    mention: Mention | None = None
    items: tuple[str, ...] = ()


def find_hits(text: str, pack: LanguagePack, reference: dt.datetime) -> list[Hit]:
    """Every intent in a plain note text.

    Args:
        text: plain text from :func:`connector.insights.notes.text.clean`.
        pack: the note's language.
        reference: the note's creation time, local to the owner (naive wall-clock time).

    Returns:
        The hits in text order; at most one ``issue`` per note (the first), the others per clause.
    """
    mentions = combine(pack.find_pieces(text, reference), text)
    hits: list[Hit] = []
    for sentence in notetext.sentences(text):
        for clause in notetext.clauses(text, sentence):
            inside = [m for m in mentions if m.start < clause[1] and m.end > clause[0]]
            hits.extend(_clause_hits(text, clause, inside, pack.lexicon, reference))
    first_issue = next((h for h in hits if h.intent == "issue"), None)
    return [h for h in hits if h.intent != "issue" or h is first_issue]


def _clause_hits(text: str, clause: tuple[int, int], mentions: list[Mention], lex: Lexicon,
                 reference: dt.datetime) -> list[Hit]:
    start, end = clause
    body = text[start:end]
    future = [m for m in mentions if is_future(m, reference)]
    past = bool(lex.past.search(body)) or (any(m.past for m in mentions) and not future)
    lead = _FILLER.match(body)
    offset = lead.end() if lead else 0
    opening = lex.imperative.match(body, offset)
    actionable = bool(opening or future or lex.actionable.search(body) or lex.scheduling.search(body))
    hits: list[Hit] = []

    items = [m for m in lex.content_item.finditer(body)]
    content = bool(items) and bool(lex.content_request.search(body)) and not lex.content_done.search(body)
    if content:
        hits.append(Hit("content_request", clause, _abs(items[0].span(), start),
                        items=tuple(dict.fromkeys(i.group(0) for i in items))))

    contact = lex.contact.search(body)
    if contact and not (extract.person_names(body[contact.start():], lex) or extract.emails(body)):
        contact = None
    if contact is None and (extract.emails(body) or extract.phones(body)) and extract.person_names(body, lex):
        # "Their IT guy (Mike Rossi, mike@...) will be the technical contact": a named person with details.
        contact = lex.contact_hint.search(body) or lex.role.search(body)
    if contact:
        hits.append(Hit("new_contact", clause, _abs(contact.span(), start)))

    meetings = [("appointment", m) for m in lex.appointment.finditer(body)]
    meetings += [("phone_call", m) for m in lex.call.finditer(body)]
    meetings = [(k, m) for k, m in meetings if not _covered(m, items if content else [])
                and not (contact and not future and _overlaps(m.span(), contact.span()))
                and not _is_object_of_task(body, m, lex)]
    meetings.sort(key=lambda km: km[1].start())
    if len(meetings) > 1 and meetings[0][0] != meetings[1][0] and meetings[1][1].start() - meetings[0][1].end() <= 1:
        meetings.pop(0)  # "kickoff call", "demo call": the second word names the activity
    meeting = meetings[0] if meetings and actionable and not past else None
    second = None
    if meeting is not None:  # "réunion mardi, téléphoner à Paul le 3": a second activity after a break
        second = next((km for km in meetings[1:] if km[0] != meeting[0]
                       and _BREAK.search(body, meeting[1].end(), km[1].start())), None)

    task_at = _task_trigger(body, offset, lex)
    requested = lex.request_task.search(body)
    task_past = past
    if requested is not None:  # "the customer requested a quote": a to-do for us, even told in the past
        task_at = requested.start() if task_at is None else min(task_at, requested.start())
        task_past = False
    if task_at is not None and not task_past:
        verb = (lex.imperative.match(body, task_at) or _infinitive_verb(body, task_at, lex)
                or lex.imperative.search(body, task_at))
        absorbed = verb is not None and (
            (meeting is not None and lex.scheduling.fullmatch(verb.group(0)) and _arranges(body, verb, meeting[1]))
            or lex.call.fullmatch(verb.group(0)) or lex.appointment.fullmatch(verb.group(0))
            or (content and lex.content_request.fullmatch(verb.group(0)))
        )
        if not absorbed and not (content and verb is None):
            hits.append(Hit("task", clause, _abs((task_at, task_at + 1), start)))

    for chosen in (meeting, second):
        if chosen is not None:
            hits.append(Hit(chosen[0], clause, _abs(chosen[1].span(), start)))

    if lex.issue.search(body) and not lex.issue_negation.search(body):
        hits.append(Hit("issue", clause, _abs(lex.issue.search(body).span(), start)))  # type: ignore[union-attr]

    return _with_mentions(text, hits, mentions, clause)


def _infinitive_verb(body: str, at: int, lex: Lexicon) -> re.Match[str] | None:
    """The verb of an infinitive instruction starting at ``at`` ("apporter le kit" → "apporter")."""
    if not lex.infinitive.match(body, at):
        return None
    return re.compile(r"\w+").match(body, at)


def _arranges(body: str, verb: re.Match[str], meeting: re.Match[str]) -> bool:
    """Whether a scheduling verb acts on the meeting or call ("schedule a call"), not on something else."""
    between = body[verb.end():meeting.start()] if meeting.start() >= verb.end() else None
    return between is not None and len(between) <= 30 and not _BREAK.search(between)


def _task_trigger(body: str, offset: int, lex: Lexicon) -> int | None:
    """Where the to-do starts in the clause: an opening imperative, a modal phrase or a delegation."""
    if lex.imperative.match(body, offset) or lex.infinitive.match(body, offset):
        return offset
    candidates = [m.start() for m in (lex.task.search(body),
                                      lex.delegation.search(body) if lex.delegation else None) if m]
    # An instruction after a comma or "and" ("Dinner on June 3, book a table for 6").
    for joint in _JOINT.finditer(body):
        if lex.imperative.match(body, joint.end()) or lex.infinitive.match(body, joint.end()):
            candidates.append(joint.end())
            break
    return min(candidates) if candidates else None


_REFERENCE = re.compile(
    r"\b(?:for|to|pour|à)\s+(?:the|our|la|le|l'|notre)\s+(?:(?!(?:and|et|then|puis)\b)[\w-]+\s+){0,3}$", re.IGNORECASE)
_ROOM = re.compile(r"\s*(?:rooms?|salles?)\b|(?<=salle de )", re.IGNORECASE)
_JOINT = re.compile(r"[,;]\s*|\s(?:and|et|then|puis|also|aussi)\s+", re.IGNORECASE)
_BREAK = re.compile(r",|;|\band\b|\bet\b|\bthen\b|\bpuis\b", re.IGNORECASE)


def _is_object_of_task(body: str, match: re.Match[str], lex: Lexicon) -> bool:
    """"Prepare the demo", "l'environnement de démo", "demo room": a meeting word that is not a meeting."""
    if _ROOM.match(body, match.end()) or body[max(0, match.start() - 9):match.start()].lower() == "salle de ":
        return True
    if _REFERENCE.search(body, 0, match.start()) and (lex.task.search(body, 0, match.start())
                                                      or lex.imperative.match(body)):
        return True  # "book the room for the April 2 demo": the meeting is only referred to
    before = body[max(0, match.start() - 40):match.start()]
    verbs = [v for v in (*lex.imperative.finditer(before), *lex.task.finditer(before))
             if not _BREAK.search(before[v.end():])]
    verbs.sort(key=lambda v: v.start())
    if not verbs:
        return False
    word = verbs[-1].group(0)
    return not (lex.scheduling.fullmatch(word) or lex.call.fullmatch(word) or lex.appointment.fullmatch(word)
                or re.fullmatch(r"set\s+up|schedule|arrange|book|plan|organi[sz]e", word, re.IGNORECASE))


def _with_mentions(text: str, hits: list[Hit], mentions: list[Mention], clause: tuple[int, int]) -> list[Hit]:
    """Give each meeting, call and task the first usable mention of its part of the clause."""
    timed = sorted((h for h in hits if h.intent in ("appointment", "phone_call", "task")), key=lambda h: h.trigger)
    usable = [m for m in mentions if not m.past]
    result = [h for h in hits if h not in timed]
    for index, hit in enumerate(timed):
        low = clause[0] if index == 0 else hit.trigger[0]
        high = timed[index + 1].trigger[0] if index + 1 < len(timed) else clause[1]
        own = [m for m in usable if low <= m.start < high]
        dated = [m for m in own if m.has_date] or own
        clock = [m for m in own if not m.has_date]
        if dated and dated[0].has_date and dated[0].time is None and len(clock) == 1:
            # "Lunch on June 3 with Hugo at 12:30": the day and the time written apart.
            dated[0] = replace(dated[0], time=clock[0].time, end_time=clock[0].end_time)
        # Several activities in one clause: each keeps its own part as evidence (and so its own key).
        evidence = hit.clause if len(timed) == 1 else (low, _trim_connector(text, low, high))
        result.append(Hit(hit.intent, evidence, hit.trigger, dated[0] if dated else None, hit.items))
    return sorted(result, key=lambda h: (h.trigger, INTENTS.index(h.intent)))


def _trim_connector(text: str, low: int, high: int) -> int:
    """End of a part of a clause without the "and" / "et" / comma that joins it to the next part."""
    match = re.search(r"(?:[\s,;]+(?:and|et|then|puis|also|aussi)?)+\s*$", text[low:high], re.IGNORECASE)
    return low + match.start() if match and match.start() > 0 else high


def _abs(span: tuple[int, int], offset: int) -> tuple[int, int]:
    return span[0] + offset, span[1] + offset


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _covered(match: re.Match[str], items: list[re.Match[str]]) -> bool:
    return any(_overlaps(match.span(), item.span()) for item in items)
