"""The intent detectors: one function per intent, run in the order of :data:`DETECTORS` on every clause.

- content request: a document word with a request or send verb, unless it was already sent;
- new contact: an introduction phrase with a person's name, e-mail address or phone number;
- appointment / phone call: a meeting or call word, in a clause that is not about the past and is
  actionable; the earlier of the two wins, and a second activity after a break ("and", ",") is kept too;
- task: an instruction, modal or delegation, unless its verb only arranges the clause's meeting or call
  (that is the meeting's suggestion) or asks for the clause's document (that is the content request);
- issue: a complaint, defect, delay or risk word that is not denied.

Each takes the clause's shared facts (:class:`Clause`) and what earlier detectors found (:class:`Found`),
and returns its hits; a detector is a plain function, so a new intent is one more entry in the list.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from connector.insights.notes import extract, guards, listings, verbs
from connector.insights.notes.clause import Clause, Found
from connector.insights.notes.hit import Hit
from connector.insights.notes.lexicon import Lexicon

Detector = Callable[[Clause, Found], list[Hit]]
_SUBJECT = re.compile(r"(?:I|we|you|they|he|she|je|j'|nous|on|vous|il|elle|ils|elles)\b", re.IGNORECASE)


def content_request(c: Clause, found: Found) -> list[Hit]:
    """A document asked for or promised ("send them the brochure", "veut la grille tarifaire")."""
    lex = c.lex
    found.items = list(lex.content_item.finditer(c.body))
    asks = [r for r in lex.content_request.finditer(c.body) if not verbs.asks_for_meeting(c.body, r, lex)]
    found.content = bool(found.items) and bool(asks) and not lex.content_done.search(c.body) and not c.finished
    if not found.content:
        return []
    items = tuple(dict.fromkeys(i.group(0) for i in found.items))
    return [Hit("content_request", c.span, _abs(found.items[0].span(), c.span[0]), items=items)]


def new_contact(c: Clause, found: Found) -> list[Hit]:
    """An introduction phrase with a person to reach, or a named person given with contact details."""
    lex, body = c.lex, c.body
    detailed = bool(extract.emails(body) or extract.phones(body))
    named = bool(extract.person_names(body, lex))
    contact = lex.contact.search(body)
    if contact and not (named or detailed):
        contact = None  # the name may come first ("Spoke with <Name>, their new buyer") but must be there
    if contact is None and detailed and named:
        contact = lex.contact_hint.search(body) or lex.role.search(body)
    found.contact = contact
    return [Hit("new_contact", c.span, _abs(contact.span(), c.span[0]))] if contact else []


def meeting_or_call(c: Clause, found: Found) -> list[Hit]:
    """The clause's meeting or call to plan, and a second activity of the other kind after a break."""
    lex, body = c.lex, c.body
    meetings = [("appointment", m) for m in lex.appointment.finditer(body)]
    meetings += [("phone_call", m) for m in lex.call.finditer(body)]
    meetings = [(k, m) for k, m in meetings if not _overlaps_any(m, found.items if found.content else [])
                and not (found.contact and not c.future and _overlaps(m.span(), found.contact.span()))
                and not verbs.is_object_of_task(body, m, lex) and not guards.not_planned(body, m, bool(c.future))]
    meetings.sort(key=lambda km: km[1].start())
    if len(meetings) > 1 and meetings[0][0] != meetings[1][0] and meetings[1][1].start() - meetings[0][1].end() <= 1:
        meetings.pop(0)  # "kickoff call", "demo call": the second word names the activity
    found.meetings = meetings
    found.meeting = meetings[0] if meetings and c.actionable and not c.past else None
    if found.meeting is None:
        return []
    first = found.meeting
    second = next((km for km in meetings[1:] if km[0] != first[0]
                   and verbs.BREAK.search(body, first[1].end(), km[1].start())), None)
    return [Hit(kind, c.span, _abs(m.span(), c.span[0])) for kind, m in (first, second or first)][:2 if second else 1]


def task(c: Clause, found: Found) -> list[Hit]:
    """A to-do of ours, unless another suggestion of the clause already covers it."""
    lex, body = c.lex, c.body
    task_at = verbs.task_trigger(body, c.offset, lex)
    if task_at is None and c.listed == "todo" and not c.past and (
            c.future or _SUBJECT.match(body, c.offset) or lex.imperative.search(body) or lex.infinitive.search(body)):
        task_at = c.offset  # a line under an "Action items:" heading is a to-do whatever its wording
    requested = lex.request_task.search(body)
    only_requested = False
    task_past = c.past
    if requested is not None:  # a customer's request is a to-do for us even when told in the past tense
        only_requested = task_at is None
        task_at = requested.start() if task_at is None else min(task_at, requested.start())
        task_past = False
    if task_at is None or task_past or listings.heading(c.text, c.span) or (
            c.opening is None and c.listed is None and guards.is_their_step(body)):
        return []
    verb = _task_verb(body, task_at, lex)
    if _absorbed(c, found, verb) or (found.content and (verbs.ASKED.match(body, task_at) is not None
                                                         or only_requested)):
        return []
    if found.content and verb is None:
        return []
    return [Hit("task", c.span, _abs((task_at, task_at + 1), c.span[0]))]


def _task_verb(body: str, at: int, lex: Lexicon) -> re.Match[str] | None:
    verb = (lex.imperative.match(body, at) or verbs.infinitive_verb(body, at, lex)
            or verbs.verb_after_modal(body, at, lex) or lex.imperative.search(body, at))
    if verb is not None and verbs.REMINDER.fullmatch(verb.group(0)):  # "remind me to call": the call decides
        verb = lex.imperative.search(body, verb.end()) or verbs.infinitive_after(body, verb.end(), lex) or verb
    return verb


def _absorbed(c: Clause, found: Found, verb: re.Match[str] | None) -> bool:
    """Whether the to-do's verb is the clause's meeting, call or content request rather than a task of its own."""
    if verb is None:
        return False
    lex, word, meeting = c.lex, verb.group(0), found.meeting
    arranges_meeting = meeting is not None and bool(lex.scheduling.fullmatch(word) or verbs.LIGHT.fullmatch(word)) \
        and any(verbs.arranges(c.body, verb, m) for _, m in found.meetings)
    return (arranges_meeting or bool(lex.call.fullmatch(word)) or bool(lex.appointment.fullmatch(word))
            or any(m.start() == verb.start() for _, m in found.meetings)  # the verb is the meeting word itself
            or (meeting is not None and meeting[1].end() <= verb.start()
                and verbs.LOGISTICS.match(c.body, verb.start()) is not None)
            or (found.content and lex.content_request.fullmatch(word) is not None))


def issue(c: Clause, found: Found) -> list[Hit]:
    """A complaint, defect, delay or risk that the clause does not deny."""
    match = c.lex.issue.search(c.body)
    if match is None or c.lex.issue_negation.search(c.body):
        return []
    return [Hit("issue", c.span, _abs(match.span(), c.span[0]))]


DETECTORS: tuple[Detector, ...] = (content_request, new_contact, meeting_or_call, task, issue)
"""In order: a later detector reads what the earlier ones found (:class:`Found`)."""


def _abs(span: tuple[int, int], offset: int) -> tuple[int, int]:
    return span[0] + offset, span[1] + offset


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _overlaps_any(match: re.Match[str], items: list[re.Match[str]]) -> bool:
    return any(_overlaps(match.span(), item.span()) for item in items)
