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

import bisect
import datetime as dt
import re
from dataclasses import dataclass, replace

from connector.insights.notes import extract, guards, listings
from connector.insights.notes import text as notetext
from connector.insights.notes.dates.core import Mention, combine, is_future
from connector.insights.notes.language import LanguagePack
from connector.insights.notes.lexicon import Lexicon
from connector.insights.notes.listings import is_finished

INTENTS = ("appointment", "phone_call", "task", "new_contact", "content_request", "issue")
"""Intent names, in the order of :data:`connector.schema.SUGGESTION_TYPE`."""

_FILLER = re.compile(r"^(?:\[\s?\]\s*|(?:follow[- ]?up|suite|next\s+steps?)\s*:\s*|"
                     r"(?:pls|please|plz|merci\s+de|svp|stp|reminder|"
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
        learned: found by the learned model (:mod:`connector.insights.notes.learned`), not by a rule.
    """

    intent: str
    clause: tuple[int, int]
    trigger: tuple[int, int]
    mention: Mention | None = None
    items: tuple[str, ...] = ()
    learned: bool = False


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
    starts, ends = [m.start for m in mentions], [m.end for m in mentions]
    hits: list[Hit] = []
    for clause, listing in listed_clauses(text, pack.lexicon):
        # Mentions are in text order and do not overlap: those touching the clause form one slice.
        inside = mentions[bisect.bisect_right(ends, clause[0]):bisect.bisect_left(starts, clause[1])]
        hits.extend(_clause_hits(text, clause, inside, pack.lexicon, reference, listed=listing))
    first_issue = next((h for h in hits if h.intent == "issue"), None)
    hits = [h for h in hits if h.intent != "issue" or h is first_issue]
    return _without_repeated_contacts(text, hits, pack.lexicon)


_STARTER = re.compile(r"(?:We|They|Customer|Nous|Ils|Elles)\b(?!')")
_GLUE = re.compile(r"(?:with|on|via|in|at|to|for|and|or|the|a|an|when|if|as|because|while|since|until|once|that|"
                   r"avec|sur|en|par|pour|à|au|aux|le|la|les|de|du|des|et|ou|un|une|quand|si|lorsque|que|qu'|car|"
                   r"dès|pendant)$", re.IGNORECASE)


def _run_on(text: str, span: tuple[int, int], lex: Lexicon) -> list[tuple[int, int]]:
    """A sentence cut where a new one starts without punctuation: a capitalised verb, meeting word or
    pronoun right after a word that is not capitalised ("...on March 22 Get legal sign-off by Monday")."""
    cuts = [span[0]]
    for word in re.finditer(r"(?<=\s)[A-ZÀ-Ý]\w*", text[span[0]:span[1]]):
        at = span[0] + word.start()
        before = re.search(r"(\S+)\s+$", text[max(span[0], at - 40):at])
        last = before.group(1) if before else ""
        if not last or last[:1].isupper() or _GLUE.match(last) or last[-1] in ",:(":
            continue
        if _STARTER.match(text, at) or lex.imperative.match(text, at) or lex.appointment.match(text, at) \
                or lex.call.match(text, at):
            cuts.append(at)
    bounds = [*cuts, span[1]]
    return [(a, _rstripped(text, a, b) if b < span[1] else b) for a, b in zip(bounds, bounds[1:], strict=False)
            if b > a]


def _rstripped(text: str, start: int, end: int) -> int:
    """``end`` moved back over white space, not below ``start`` (without copying the text before it)."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def clause_spans(text: str, lex: Lexicon) -> list[tuple[int, int]]:
    """The clauses the rules look at: sentences, run-on sentences cut apart, to-do list items."""
    return [clause for whole in notetext.sentences(text) for run in _run_on(text, whole, lex)
            for clause in notetext.clauses(text, run)]


def listed_clauses(text: str, lex: Lexicon) -> list[tuple[tuple[int, int], str | None]]:
    """Each clause with the kind of list it is a line of: ``"todo"`` under an "Action items:" / "Prochaines
    étapes :" heading (to-dos, whatever their wording), ``"done"`` under "Done:" (finished), else ``None``."""
    result: list[tuple[tuple[int, int], str | None]] = []
    listing: str | None = None
    previous_end = 0
    for clause in clause_spans(text, lex):
        listing = listing if "\n" in text[previous_end:clause[0]] else None
        result.append((clause, listing))
        listing = listings.heading(text, clause) or listing
        previous_end = clause[1]
    return result


def is_past(text: str, clause: tuple[int, int], mentions: list[Mention], lex: Lexicon, reference: dt.datetime) -> bool:
    """Whether a clause tells of the past ("we met", "hier", a date that went by) and names no future date."""
    inside = [m for m in mentions if m.start < clause[1] and m.end > clause[0]]
    future = [m for m in inside if is_future(m, reference)]
    return bool(lex.past.search(text, clause[0], clause[1])) or (any(m.past for m in inside) and not future)


def _without_repeated_contacts(text: str, hits: list[Hit], lex: Lexicon) -> list[Hit]:
    """``hits`` without a new contact that has no name of its own right after another ("...new CIO; reach
    them at ..."). Only the nearest earlier contact can be "right before" one, so one pass suffices."""
    kept: list[Hit] = []
    previous_end: int | None = None  # end of the latest contact clause seen so far
    for hit in sorted(hits, key=lambda h: h.clause[0]):
        if hit.intent == "new_contact":
            unnamed = not extract.person_names(text[hit.clause[0]:hit.clause[1]], lex)
            repeated = unnamed and previous_end is not None and previous_end <= hit.clause[0] \
                and not text[previous_end:hit.clause[0]].strip(" ;,.")
            previous_end = max(previous_end or 0, hit.clause[1])
            if repeated:
                continue
        kept.append(hit)
    order = {id(h): i for i, h in enumerate(hits)}
    return sorted(kept, key=lambda h: order[id(h)])


def _clause_hits(text: str, clause: tuple[int, int], mentions: list[Mention], lex: Lexicon,
                 reference: dt.datetime, listed: str | None = None) -> list[Hit]:
    start, end = clause
    body = text[start:end]
    future = [m for m in mentions if is_future(m, reference)]
    # "Mail reçu ce week-end : le client souhaite nous rencontrer mardi": the preface tells how the news came.
    preface = _PREFACE.match(body)
    markers = list(lex.past.finditer(body, preface.end() if preface else 0))
    # "Quick call with Omar tmrw 9am": an appraisal word ("quick", "bon") yields to an explicit future date.
    past = (bool(markers) and not (future and all(_APPRAISAL.match(m.group(0)) for m in markers))) or (
        any(m.past for m in mentions) and not future)
    finished = is_finished(body, listed)  # "Done:", "[x] send NDA"
    past = past or finished or guards.is_hypothetical(body)  # "If they sign we might set up a workshop"
    lead = _FILLER.match(body)
    offset = lead.end() if lead else 0
    label = _LABEL.match(body, offset)  # "EOD: update the forecast", "Tomorrow: send the deck"
    if label and (lex.imperative.match(body, label.end()) or lex.infinitive.match(body, label.end())):
        offset = label.end()
    opening = lex.imperative.match(body, offset)
    actionable = bool(opening or future or lex.actionable.search(body) or lex.scheduling.search(body))
    hits: list[Hit] = []

    items = [m for m in lex.content_item.finditer(body)]
    asks = [r for r in lex.content_request.finditer(body) if not _asks_for_meeting(body, r, lex)]
    content = bool(items) and bool(asks) and not lex.content_done.search(body) and not finished
    if content:
        hits.append(Hit("content_request", clause, _abs(items[0].span(), start),
                        items=tuple(dict.fromkeys(i.group(0) for i in items))))

    contact = lex.contact.search(body)
    # The name may come first: "Spoke with Tyler Harris, their new Office Manager".
    if contact and not (extract.person_names(body, lex) or extract.emails(body) or extract.phones(body)):
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
                and not _is_object_of_task(body, m, lex) and not guards.not_planned(body, m, bool(future))]
    meetings.sort(key=lambda km: km[1].start())
    if len(meetings) > 1 and meetings[0][0] != meetings[1][0] and meetings[1][1].start() - meetings[0][1].end() <= 1:
        meetings.pop(0)  # "kickoff call", "demo call": the second word names the activity
    meeting = meetings[0] if meetings and actionable and not past else None
    second = None
    if meeting is not None:  # "réunion mardi, téléphoner à Paul le 3": a second activity after a break
        second = next((km for km in meetings[1:] if km[0] != meeting[0]
                       and _BREAK.search(body, meeting[1].end(), km[1].start())), None)

    task_at = _task_trigger(body, offset, lex)
    if task_at is None and listed == "todo" and not past and (
            future or _SUBJECT.match(body, offset) or lex.imperative.search(body) or lex.infinitive.search(body)):
        task_at = offset  # "- I update the rollout plan by 1/8", "- Renewal paperwork by Dec 15"
    requested = lex.request_task.search(body)
    task_past = past
    only_requested = False
    if requested is not None:  # "the customer requested a quote": a to-do for us, even told in the past
        only_requested = task_at is None
        task_at = requested.start() if task_at is None else min(task_at, requested.start())
        task_past = False
    if task_at is not None and not task_past and not listings.heading(text, clause) and not (
            opening is None and listed is None and guards.is_their_step(body)):  # "To do this week:"; theirs
        verb = (lex.imperative.match(body, task_at) or _infinitive_verb(body, task_at, lex)
                or _verb_after_modal(body, task_at, lex) or lex.imperative.search(body, task_at))
        if verb is not None and _REMINDER.fullmatch(verb.group(0)):  # "remind me to ring Grace": the call
            verb = lex.imperative.search(body, verb.end()) or _infinitive_after(body, verb.end(), lex) or verb
        absorbed = verb is not None and (
            (meeting is not None and (lex.scheduling.fullmatch(verb.group(0)) or _LIGHT.fullmatch(verb.group(0)))
             and any(_arranges(body, verb, m) for _, m in meetings))
            or lex.call.fullmatch(verb.group(0)) or lex.appointment.fullmatch(verb.group(0))
            or any(m.start() == verb.start() for _, m in meetings)  # "Pitch at Halvorsen mon 9am": the meeting
            or (meeting is not None and meeting[1].end() <= verb.start() and _LOGISTICS.match(body, verb.start()))
            or (content and lex.content_request.fullmatch(verb.group(0)))
        ) or (content and (_ASKED.match(body, task_at) is not None or only_requested))
        # "could you forward the deck", "asked for a quote + a copy of the MSA": the content request covers it
        if not absorbed and not (content and verb is None):
            hits.append(Hit("task", clause, _abs((task_at, task_at + 1), start)))

    for chosen in (meeting, second):
        if chosen is not None:
            hits.append(Hit(chosen[0], clause, _abs(chosen[1].span(), start)))

    if lex.issue.search(body) and not lex.issue_negation.search(body):
        hits.append(Hit("issue", clause, _abs(lex.issue.search(body).span(), start)))  # type: ignore[union-attr]

    return _with_mentions(text, hits, mentions, clause)


_PREFACE = re.compile(r"[^:]{0,40}?\b(?:e-?mails?|mails?|messages?|msg|voicemails?|vm|texts?|sms|courriels?|"
                      r"whatsapp|slack|linkedin|texto)\b[^:]{0,40}?(?<!\d)\s?:\s+(?=\S)", re.IGNORECASE)
_LABEL = re.compile(r"[^\W\d][\w/&-]{0,14}(?:\s+[\w/&-]{1,14}){0,2}\s*:\s*")
_SUBJECT = re.compile(r"(?:I|we|you|they|he|she|je|j'|nous|on|vous|il|elle|ils|elles)\b", re.IGNORECASE)
# Arranging the meeting of the clause, not a separate to-do: "Demo on 1/7 at 1pm, book the big room / invite Sam".
_LOGISTICS = re.compile(r"(?:invite|inviter|convier|loop\s+in|(?:book|reserve|réserver|reserver)\s+(?:the|a|la|une)\s+"
                        r"(?:[\w-]+\s+){0,2}(?:room|salle|boardroom|venue))\b", re.IGNORECASE)
_MODAL_GAP = re.compile(r"\s+(?:(?:also|still|really|definitely|probably|quickly|please|to|bien|aussi|vite|leur|lui|"
                        r"les|nous|vous|me|te|y|en)\s+|[lmts]'|[lmts]’)*", re.IGNORECASE)
_ASKED = re.compile(r"(?:can|could|would)\s+you|(?:peux|pourrais|pouvez|pourriez)-(?:tu|vous)", re.IGNORECASE)
_APPRAISAL = re.compile(r"(?:good|great|nice|productive|excellent|quick|bon|bonne|très|super|excellente?)\b",
                        re.IGNORECASE)
_REMINDER = re.compile(r"remind|remember|make\s+sure|penser\s+à|penser\s+a|ne\s+pas\s+oublier", re.IGNORECASE)
# Verbs that only carry the meeting or call they take as object ("passer un coup de fil", "have a call").
_LIGHT = re.compile(r"have|take|grab|hop\s+on|jump\s+on|get\s+on|set|hold|do|make|passer|faire|prendre|avoir|"
                    r"tenir|donner|caler|fixer|programmer|bloquer|block|get|find|lock(?:\s+in)?|secure|nail\s+down|"
                    r"pin\s+down|obtenir|trouver|décrocher|decrocher|touch\s+base|reach\s+out|get\s+in\s+touch|joindre",
                    re.IGNORECASE)
_INFINITIVE_MARK = re.compile(r"(?:\bto|\bde|\bd'|\bà|\ba)\s*$", re.IGNORECASE)


def _infinitive_after(body: str, at: int, lex: Lexicon) -> re.Match[str] | None:
    """The verb after "to" / "de" / "à" following ``at`` ("remind me to ring ...")."""
    mark = re.compile(r"\W+(?:\w+\W+){0,2}?(?:to|de|d'|à|a)\s*", re.IGNORECASE).match(body, at)
    if mark is None:
        return None
    return (lex.imperative.match(body, mark.end()) or lex.call.match(body, mark.end())
            or lex.appointment.match(body, mark.end()))


def _asks_for_meeting(body: str, request: re.Match[str], lex: Lexicon) -> bool:
    """Whether a request verb takes a meeting or call as object ("wants a call tonight to go over the terms")."""
    gap = _ARTICLE.match(body, request.end())
    at = gap.end() if gap else request.end()
    return not lex.content_item.match(body, at) and bool(lex.call.match(body, at) or lex.appointment.match(body, at))


_ARTICLE = re.compile(r"\s+(?:(?:a|an|the|to|another|quick|short|un|une|le|la|autre|petit|petite)\s+)*", re.IGNORECASE)


def _verb_after_modal(body: str, at: int, lex: Lexicon) -> re.Match[str] | None:
    """The verb right after a modal phrase starting at ``at`` ("don't forget to log ..." → "log"), known or not,
    so that a later noun ("the call notes") is not taken for the verb."""
    modal = lex.task.match(body, at)
    if modal is None or not re.search(r"(?:to|must|will|'ll|faut|dois|doit|devons|vais|gonna|gotta)$", modal.group(0),
                                      re.IGNORECASE):
        return None
    gap = _MODAL_GAP.match(body, modal.end())
    where = gap.end() if gap else modal.end()
    return (lex.imperative.match(body, where) or lex.call.match(body, where) or lex.appointment.match(body, where)
            or re.compile(r"\w+").match(body, where))


def _infinitive_verb(body: str, at: int, lex: Lexicon) -> re.Match[str] | None:
    """The verb of an infinitive instruction starting at ``at`` ("apporter le kit" → "apporter")."""
    if not lex.infinitive.match(body, at):
        return None
    return re.compile(r"\w+").match(body, at)


def _arranges(body: str, verb: re.Match[str], meeting: re.Match[str]) -> bool:
    """Whether a scheduling verb acts on the meeting or call ("schedule a call"), not on something else."""
    if meeting.start() <= verb.start() < meeting.end():
        return True  # the verb belongs to the meeting phrase: "faire un point", "passer voir"
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
_BREAK = re.compile(r",|;|:(?!\d)|\band\b|\bet\b|\bthen\b|\bpuis\b", re.IGNORECASE)


def _is_object_of_task(body: str, match: re.Match[str], lex: Lexicon) -> bool:
    """"Prepare the demo", "l'environnement de démo", "demo room": a meeting word that is not a meeting."""
    if _ROOM.match(body, match.end()) or body[max(0, match.start() - 9):match.start()].lower() == "salle de ":
        return True
    if _REFERENCE.search(body, 0, match.start()) and (lex.task.search(body, 0, match.start())
                                                      or lex.imperative.match(body)):
        return True  # "book the room for the April 2 demo": the meeting is only referred to
    if _INFINITIVE_MARK.search(body, 0, match.start()) and lex.imperative.fullmatch(match.group(0)):
        return False  # "remind me to ring Grace", "penser à appeler": the word is the verb
    base = max(0, match.start() - 40)
    # Searched in the whole body so that a verb's look-ahead sees its object ("order lunch").
    reach = min(len(body), match.end() + 20)
    verbs = [v for v in (*lex.imperative.finditer(body, base, reach), *lex.task.finditer(body, base, reach))
             if v.end() <= match.start() and not _BREAK.search(body, v.end(), match.start())]
    verbs.sort(key=lambda v: v.start())
    if not verbs:
        return False
    if lex.imperative.fullmatch(match.group(0)) and not lex.imperative.fullmatch(verbs[-1].group(0)):
        return False  # "I'll call", "il faudrait rappeler": a modal before the call or meeting verb
    word = verbs[-1].group(0)
    modal_verb = _verb_after_modal(body, verbs[-1].start(), lex) if lex.task.fullmatch(word) else None
    if modal_verb is not None and modal_verb.end() <= match.start():
        word = modal_verb.group(0)  # "need to lock a slot": the verb after the modal decides
    return not (lex.scheduling.fullmatch(word) or lex.call.fullmatch(word) or lex.appointment.fullmatch(word)
                or _LIGHT.fullmatch(word)
                or re.fullmatch(r"set\s+up|schedule|arrange|book|plan|organi[sz]e", word, re.IGNORECASE))


def _with_mentions(text: str, hits: list[Hit], mentions: list[Mention], clause: tuple[int, int]) -> list[Hit]:
    """Give each meeting, call and task the first usable mention of its part of the clause."""
    timed = sorted((h for h in hits if h.intent in ("appointment", "phone_call", "task")), key=lambda h: h.trigger)
    usable = [m for m in mentions if not m.past]
    dated_usable = [m for m in usable if m.has_date]
    # "They want the documentation by May 13": a content request keeps the deadline of its clause.
    result = [replace(h, mention=dated_usable[0]) if h.intent == "content_request" and dated_usable else h
              for h in hits if h not in timed]
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
