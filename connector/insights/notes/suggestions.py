"""From note text to suggestions: the analysis of one text, with resolved dates and quick-create payloads."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from connector.errors import ConfigurationError
from connector.insights.notes import extract, intents, language, learned
from connector.insights.notes import text as notetext
from connector.insights.notes.dates.core import LATEST, resolve_local, to_utc_checked
from connector.insights.notes.intents import INTENTS, Hit

SUBJECT_MAX = 200
MAX_TEXT_CHARS = 100_000
"""Only this many characters of a note are analysed: Dataverse holds at most 100,000 in ``notetext``, and the
bound keeps one pasted document from costing the run more than any other note."""
_DURATION = re.compile(
    r"(?:for|pendant|durée|duration|during|\()\s*:?\s*(?P<n>\d+(?:[.,]\d+)?|an?|one|two|une?|deux|half\s+an?|"
    r"une\s+demi-?)\s*(?P<u>hours?|hrs?|h|heures?|minutes?|mins?|min)(?![\w])",
    re.IGNORECASE,
)
_LEARNED_PENALTY = 0.15
"""An intent only the learned model saw is less certain than one a rule found."""
_BASE_CONFIDENCE = {"appointment": 0.7, "phone_call": 0.7, "task": 0.65, "new_contact": 0.75,
                    "content_request": 0.8, "issue": 0.7}


@dataclass(frozen=True)
class Suggestion:
    """One suggestion found in a note.

    Attributes:
        intent: one of :data:`connector.insights.notes.intents.INTENTS`.
        span: ``(start, end)`` of the evidence in the plain note text.
        evidence: the evidence text.
        confidence: 0 to 1.
        start: start of the suggested appointment or call (UTC), when the note gives one.
        end: its end (UTC), when a range or duration is given.
        due: due date of a task or a content request (UTC).
        all_day: the note named a day without a time (``start``/``due`` is then local midnight).
        payload: the quick-create payload (JSON-ready).
        date_rejected: the note named a date outside ``dates.core.EARLIEST``..``LATEST`` (or beyond what a
            datetime holds): the suggestion is kept without a date, and the caller reports the note.
    """

    intent: str
    span: tuple[int, int]
    evidence: str
    confidence: float
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    due: dt.datetime | None = None
    all_day: bool = False
    payload: dict[str, object] = field(default_factory=dict)
    date_rejected: bool = False

    def key(self, note_id: str) -> str:
        """Stable natural key: note id, intent and a hash of the normalised evidence.

        The same note analysed again gives the same keys, so writes are upserts and never duplicate.
        """
        norm = " ".join(re.sub(r"[^\w@.+:/-]+", " ", self.evidence.casefold()).split())
        digest = hashlib.sha256(norm.encode("utf-8")).hexdigest()[:24]
        return f"{note_id}|{self.intent}|{digest}"


def zone(name: str) -> ZoneInfo:
    """The IANA time zone ``name``.

    Raises:
        ConfigurationError: the name is not a known time zone.
    """
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ConfigurationError([f"unknown time zone {name!r} (use an IANA name such as Europe/Paris)"]) from exc


def analyze_text(text: str | None, *, reference_time: dt.datetime, timezone: str, lang: str = "auto",
                 languages: Iterable[str] = ("en", "fr"), intents_wanted: Iterable[str] | None = None,
                 ) -> list[Suggestion]:
    """Analyse one note text.

    Args:
        text: the note body (plain text or HTML); ``None`` or empty gives no suggestion. Only its first
            :data:`MAX_TEXT_CHARS` characters are read.
        reference_time: when the note was written. An aware datetime is converted to ``timezone``; a naive
            one is taken as wall-clock time in ``timezone``.
        timezone: IANA time zone of the note's owner; dates are resolved there and returned in UTC.
        lang: ``auto`` to detect among ``languages``, or a language code.
        languages: languages ``auto`` chooses from.
        intents_wanted: intents to report (default: all of :data:`INTENTS`).

    Returns:
        The suggestions in text order.

    Raises:
        ConfigurationError: unknown time zone, language or intent.
    """
    tz = zone(timezone)
    wanted = _intent_set(intents_wanted)
    allowed = tuple(languages)
    if lang != "auto":
        allowed = (lang,)
    plain = notetext.clean(text[:MAX_TEXT_CHARS] if isinstance(text, str) else text)
    code = language.detect(plain, allowed)
    if not plain:
        return []
    pack = language.LANGUAGES[code]
    local = reference_time.astimezone(tz) if reference_time.tzinfo else reference_time.replace(tzinfo=tz)
    naive = local.replace(tzinfo=None)
    hits = learned.add_hits(plain, intents.find_hits(plain, pack, naive), pack, naive)
    listed = extract.listed_attendees(plain, pack.lexicon) if any(h.intent == "appointment" for h in hits) else []
    return [_suggestion(plain, hit, pack, naive, tz, code, listed) for hit in hits if hit.intent in wanted]


_ALIASES = {"phonecall": "phone_call", "call": "phone_call", "contact": "new_contact", "meeting": "appointment",
            "content": "content_request", "newcontact": "new_contact", "contentrequest": "content_request"}
"""Other spellings an admin may use in the ``notes.intents`` setting."""


def _intent_set(wanted: Iterable[str] | None) -> frozenset[str]:
    if wanted is None:
        return frozenset(INTENTS)
    chosen = frozenset(_ALIASES.get(str(w).strip().lower(), str(w).strip().lower()) for w in wanted)
    unknown = sorted(chosen - set(INTENTS))
    if unknown:
        raise ConfigurationError([f"unknown note intents {unknown}; choose among {list(INTENTS)}"])
    return chosen


def _suggestion(plain: str, hit: Hit, pack: language.LanguagePack, reference: dt.datetime, tz: ZoneInfo,
                code: str, listed_attendees: list[str]) -> Suggestion:
    evidence = plain[hit.clause[0]:hit.clause[1]]
    start = end = due = None
    all_day = rejected = False
    duration = None
    if hit.mention is not None:
        day, time = resolve_local(hit.mention, reference)
        moment = to_utc_checked(day, time, tz)
        rejected = moment is None
        all_day = time is None and not rejected
        if hit.intent in ("task", "content_request"):
            due = moment
        elif moment is not None:
            start = moment
            if hit.mention.end_time is not None and time is not None:
                end = to_utc_checked(day, hit.mention.end_time, tz)
            elif time is not None and (duration := _duration(evidence)) is not None:
                end = moment + duration if moment + duration < LATEST else None
    confidence = _BASE_CONFIDENCE[hit.intent] - (_LEARNED_PENALTY if hit.learned else 0.0)
    if hit.mention is not None and not rejected:
        confidence += 0.1 if all_day else 0.2
    payload: dict[str, object] = {
        "type": hit.intent,
        "subject": evidence[:SUBJECT_MAX],
        "language": code,
        "start": _iso(start),
        "end": _iso(end),
        "due": _iso(due),
        "all_day": all_day,
        "time_zone": tz.key,
    }
    if duration is not None:
        payload["duration_minutes"] = int(duration.total_seconds() // 60)
    listed = listed_attendees if hit.intent == "appointment" else []
    people = list(dict.fromkeys(extract.named_after(plain, hit.trigger[1], pack.lexicon)
                                + extract.attendees(evidence, pack.lexicon) + listed))
    mails, numbers = extract.emails(evidence), extract.phones(evidence)
    if hit.intent in ("appointment", "phone_call"):
        payload["participants"] = people
        payload["phone"] = numbers[0] if numbers else None
    if hit.intent == "new_contact":
        after = plain[hit.trigger[0]:hit.clause[1]]
        names = extract.person_names(after, pack.lexicon) or extract.person_names(evidence, pack.lexicon)
        payload.update(name=names[0] if names else None, email=mails[0] if mails else None,
                       phone=numbers[0] if numbers else None, role=extract.role(after, pack.lexicon))
        confidence += 0.1 if (mails or numbers) else 0.0
        if not (names or mails):
            confidence -= 0.3
    if hit.intent == "content_request":
        payload["items"] = list(hit.items)
    return Suggestion(hit.intent, hit.clause, evidence, round(min(confidence, 0.95), 4), start, end, due,
                      all_day, payload, rejected)


def _duration(evidence: str) -> dt.timedelta | None:
    match = _DURATION.search(evidence)
    if match is None:
        return None
    word = match["n"].lower().replace(",", ".")
    amount = {"a": 1.0, "an": 1.0, "one": 1.0, "un": 1.0, "une": 1.0, "two": 2.0, "deux": 2.0}.get(word)
    if amount is None:
        amount = 0.5 if word.startswith(("half", "une demi")) else float(word)
    unit = match["u"].lower()
    minutes = amount * (60 if unit.startswith("h") else 1)
    return dt.timedelta(minutes=minutes) if 0 < minutes <= 24 * 60 else None


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None
