"""One e-mail in, its talking-point mentions out: the per-item analysis the frame function and a cache use.

:func:`analyze_email` is a pure function of the e-mail's own fields (id, sending contact, body, sent time) and
of explicit parameters (topics, languages): analysing the same e-mail at a later run gives the same mentions,
so a pipeline may cache them per activity id and ``modifiedon``. Bodies longer than :data:`MAX_BODY_CHARS` are
analysed on that prefix (a personal remark sits in the first screens of a message) and flagged ``truncated``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from connector.insights.talking_points.detect import LANGUAGES, TOPICS, analyze_clean, detect_language
from connector.insights.talking_points.text import MAX_BODY_CHARS, clean_body


@dataclass(frozen=True)
class Email:
    """The fields of one incoming e-mail that its talking points depend on.

    Attributes:
        activity_id: the e-mail's ``activityid``.
        contact_id: the contact who sent it.
        body: ``description`` (plain text or HTML).
        sent_on: when it was sent (aware UTC).
    """

    activity_id: str
    contact_id: str
    body: object
    sent_on: dt.datetime


@dataclass(frozen=True)
class Mention:
    """One topic mentioned in one e-mail: the candidate for the contact's talking point on that topic."""

    contact_id: str
    topic: str
    snippet: str
    source: str
    when: dt.datetime
    confidence: float


@dataclass(frozen=True)
class EmailAnalysis:
    """What one e-mail yields: its mentions (in text order), its language, and whether its body was cut."""

    activity_id: str
    mentions: tuple[Mention, ...]
    lang: str | None = None
    truncated: bool = False


def analyze_email(email: Email, *, topics: Iterable[str] = TOPICS,
                  languages: Collection[str] = LANGUAGES) -> EmailAnalysis:
    """The talking-point mentions of one e-mail, at most one per topic.

    Args:
        email: the e-mail's fields.
        topics: topics to look for (keys of :data:`TOPICS`).
        languages: languages to analyse; an e-mail detected in another language yields nothing.

    Returns:
        Its mentions; none for a body that is empty, not text, or in a language not asked for.

    Raises:
        ValueError: a topic is unknown.
    """
    body = email.body
    if not isinstance(body, str):
        return EmailAnalysis(email.activity_id, ())
    truncated = len(body) > MAX_BODY_CHARS
    clean = clean_body(body)
    if not clean:
        return EmailAnalysis(email.activity_id, (), None, truncated)
    lang = detect_language(clean)
    if lang not in languages:
        return EmailAnalysis(email.activity_id, (), lang, truncated)
    mentions = tuple(Mention(email.contact_id, p.topic, p.snippet, email.activity_id, email.sent_on, p.confidence)
                     for p in analyze_clean(clean, lang, topics))
    return EmailAnalysis(email.activity_id, mentions, lang, truncated)
