"""From incoming e-mails to ``osi_talkingpoint`` rows: the latest mention per contact and topic."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Collection, Iterable
from datetime import datetime

import pandas as pd

from connector import schema
from connector.errors import InsightError
from connector.insights.talking_points.detect import LANGUAGES, TOPIC_LABELS, TOPICS
from connector.insights.talking_points.email import Email, Mention, analyze_email
from connector.insights.talking_points.text import MAX_BODY_CHARS

log = logging.getLogger(__name__)

REQUIRED_COLUMNS = ("activity_id", "contact_id", "description", "occurred_on")

OUTPUT_COLUMNS = ("osi_key", "osi_name", "osi_contactid", "osi_topic", "osi_snippet", "osi_sourceemailid",
                  "osi_mentionedon", "osi_confidence")
"""Logical names of the ``osi_talkingpoint`` columns this insight fills."""


def topic_value(topic: str) -> int:
    """The :data:`connector.schema.TOPIC` option value of a topic key.

    Raises:
        KeyError: the topic is unknown.
    """
    return schema.TOPIC.value(TOPIC_LABELS[topic])


def talking_point_key(contact_id: str, topic: str) -> str:
    """The natural key of a row: one row per contact and topic, so a re-run updates instead of adding."""
    return f"{contact_id}|{topic}"


def _empty() -> pd.DataFrame:
    return pd.DataFrame({
        "osi_key": pd.Series(dtype="string"), "osi_name": pd.Series(dtype="string"),
        "osi_contactid": pd.Series(dtype="string"), "osi_topic": pd.Series(dtype="Int64"),
        "osi_snippet": pd.Series(dtype="string"), "osi_sourceemailid": pd.Series(dtype="string"),
        "osi_mentionedon": pd.Series(dtype="datetime64[ns, UTC]"), "osi_confidence": pd.Series(dtype="Float64"),
    })


def find_talking_points(
    emails: pd.DataFrame,
    *,
    now: datetime,
    topics: Iterable[str] = TOPICS,
    languages: Collection[str] = LANGUAGES,
    opted_out_contacts: Collection[str] = (),
    budget_seconds: float | None = None,
    deferred: list[str] | None = None,
    clock: Callable[[], float] = time.monotonic,
) -> pd.DataFrame:
    """The latest mention of each personal topic per contact, as ``osi_talkingpoint`` rows.

    Each e-mail is analysed by :func:`analyze_email` (a pure function of that e-mail), most recent first
    (ties by activity id). Past ``budget_seconds`` the remaining e-mails are not analysed: their ids go to
    ``deferred`` (and a warning to the log) for the caller to analyse next run.

    Args:
        emails: canonical ``activities`` rows plus a ``contact_id`` column (the sending contact). Only rows
            with ``activity_type == "email"`` and ``direction == "incoming"`` are read when those columns
            exist; ``description`` is the body (HTML allowed), ``occurred_on`` when it was sent (UTC).
        now: the computation time; e-mails dated after it are ignored.
        topics: the topics the administrator enabled (keys of :data:`TOPICS`).
        languages: languages to analyse; e-mails detected in another language are skipped.
        opted_out_contacts: contact ids that asked not to be profiled: no row is produced for them.
        budget_seconds: time this call may spend on analysis (``None``: no limit).
        deferred: a list that receives the ids of the e-mails left for the next run.
        clock: monotonic seconds (a parameter so that tests can move it).

    Returns:
        One row per (contact, topic) with the columns :data:`OUTPUT_COLUMNS`: the most recent e-mail that
        mentions the topic wins (ties: higher confidence, then smaller activity id, then snippet), rows sorted
        by contact and topic. Rows without a contact, a body or a date are skipped (counted in the debug log).

    Raises:
        InsightError: a required column is missing, or a topic or language is unknown.
    """
    wanted = _checked(emails, topics, languages)
    if not wanted or emails.empty:
        return _empty()
    usable = _usable(emails, now, opted_out_contacts)
    started = clock()
    found: list[Mention] = []
    left: list[str] = []
    truncated = 0
    for email in usable:
        if budget_seconds is not None and clock() - started > budget_seconds:
            left.append(email.activity_id)
            continue
        result = analyze_email(email, topics=wanted, languages=languages)
        found.extend(result.mentions)
        truncated += result.truncated
    if truncated:
        log.info("talking points: %d e-mail(s) longer than %d characters, only that prefix analysed", truncated,
                 MAX_BODY_CHARS)
    if left:
        log.warning("talking points: time budget spent; %d e-mail(s) left for the next run", len(left))
        if deferred is not None:
            deferred.extend(left)
    return _latest(found)


def _checked(emails: pd.DataFrame, topics: Iterable[str], languages: Collection[str]) -> list[str]:
    missing = [c for c in REQUIRED_COLUMNS if c not in emails.columns]
    if missing:
        raise InsightError(f"talking points: input frame lacks column(s) {missing}")
    wanted = list(dict.fromkeys(topics))
    unknown = [t for t in wanted if t not in TOPIC_LABELS] + [lang for lang in languages if lang not in LANGUAGES]
    if unknown:
        raise InsightError(f"talking points: unknown topic or language {unknown}")
    return wanted


def _usable(emails: pd.DataFrame, now: datetime, opted_out_contacts: Collection[str]) -> list[Email]:
    """The incoming e-mails to analyse, most recent first, ties by activity id."""
    frame = emails
    if "activity_type" in frame.columns:
        frame = frame[frame["activity_type"].astype("string").str.lower().eq("email").fillna(False)]
    if "direction" in frame.columns:
        frame = frame[frame["direction"].astype("string").str.lower().eq("incoming").fillna(False)]
    occurred = pd.to_datetime(frame["occurred_on"], utc=True, errors="coerce")
    now_ts = pd.Timestamp(now)
    now_ts = now_ts.tz_localize("UTC") if now_ts.tzinfo is None else now_ts.tz_convert("UTC")
    usable = (frame["contact_id"].notna() & frame["activity_id"].notna() & occurred.notna() & (occurred <= now_ts)
              & ~frame["contact_id"].isin(set(opted_out_contacts)))
    skipped = int((~usable).sum())
    if skipped:
        log.debug("talking points: %d e-mails skipped (no contact, id or date, future, or opted out)", skipped)
    emails_out = [Email(str(a), str(c), b, w.to_pydatetime()) for a, c, b, w in zip(
        frame["activity_id"][usable], frame["contact_id"][usable], frame["description"][usable], occurred[usable],
        strict=True)]
    emails_out.sort(key=lambda e: e.activity_id)
    emails_out.sort(key=lambda e: e.sent_on, reverse=True)
    return emails_out


def _latest(found: list[Mention]) -> pd.DataFrame:
    if not found:
        return _empty()
    mentions = pd.DataFrame([vars(m) for m in found]).rename(columns={"contact_id": "contact"})
    latest = (
        mentions.sort_values(["when", "confidence", "source", "snippet"], ascending=[False, False, True, True],
                             kind="stable")
        .drop_duplicates(["contact", "topic"], keep="first")
        .sort_values(["contact", "topic"], kind="stable")
    )
    out = pd.DataFrame({
        "osi_key": [talking_point_key(c, t) for c, t in zip(latest["contact"], latest["topic"], strict=True)],
        # The name is what lists show: topic and date only, so personal text is held in one column alone.
        "osi_name": [f"{TOPIC_LABELS[t]} ({w:%Y-%m-%d})" for t, w in zip(latest["topic"], latest["when"], strict=True)],
        "osi_contactid": latest["contact"].to_numpy(),
        "osi_topic": [topic_value(t) for t in latest["topic"]],
        "osi_snippet": latest["snippet"].to_numpy(),
        "osi_sourceemailid": latest["source"].to_numpy(),
        "osi_mentionedon": pd.to_datetime(latest["when"], utc=True).to_numpy(),
        "osi_confidence": latest["confidence"].to_numpy(),
    })
    return out.astype({
        "osi_key": "string", "osi_name": "string", "osi_contactid": "string", "osi_topic": "Int64",
        "osi_snippet": "string", "osi_sourceemailid": "string", "osi_mentionedon": "datetime64[ns, UTC]",
        "osi_confidence": "Float64",
    }).reset_index(drop=True)
