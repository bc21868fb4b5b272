"""From a note's plain text to its intents: clauses, the detectors run on each, dates given to each hit.

A note is cut into clauses (sentences, run-on sentences cut apart, to-do list items); every detector of
:data:`connector.insights.notes.detectors.DETECTORS` reads each clause, and meetings, calls and tasks then take
the date/time mention of their own part of the clause. At most one issue per note is kept (the first).
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import replace

from connector.insights.notes import extract, listings
from connector.insights.notes import text as notetext
from connector.insights.notes.clause import Found, read_clause
from connector.insights.notes.dates.core import Mention, combine, is_future
from connector.insights.notes.detectors import DETECTORS
from connector.insights.notes.hit import INTENTS, Hit
from connector.insights.notes.language import LanguagePack
from connector.insights.notes.lexicon import Lexicon
from connector.insights.notes.listings import is_finished

__all__ = ["INTENTS", "Hit", "clause_spans", "find_hits", "is_finished", "is_past", "listed_clauses"]


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
    facts = read_clause(text, clause, mentions, lex, reference, listed)
    found = Found()
    hits = [hit for detector in DETECTORS for hit in detector(facts, found)]
    return _with_mentions(text, hits, mentions, clause)


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
            # "Lunch on <date> with <someone> at <time>": the day and the time written apart.
            dated[0] = replace(dated[0], time=clock[0].time, end_time=clock[0].end_time)
        # Several activities in one clause: each keeps its own part as evidence (and so its own key).
        evidence = hit.clause if len(timed) == 1 else (low, _trim_connector(text, low, high))
        result.append(Hit(hit.intent, evidence, hit.trigger, dated[0] if dated else None, hit.items))
    return sorted(result, key=lambda h: (h.trigger, INTENTS.index(h.intent)))


def _trim_connector(text: str, low: int, high: int) -> int:
    """End of a part of a clause without the "and" / "et" / comma that joins it to the next part."""
    match = re.search(r"(?:[\s,;]+(?:and|et|then|puis|also|aussi)?)+\s*$", text[low:high], re.IGNORECASE)
    return low + match.start() if match and match.start() > 0 else high
