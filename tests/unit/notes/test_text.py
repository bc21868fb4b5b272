"""Hostile input: HTML, emoji, huge text, nothing at all."""

from __future__ import annotations

import datetime as dt

import pytest

from connector.insights.notes import analyze_text
from connector.insights.notes.text import clean, sentences

REF = dt.datetime(2026, 4, 28, 9, 30)


def _analyze(text):
    return analyze_text(text, reference_time=REF, timezone="Europe/Paris")


def test_html_is_rendered_to_text() -> None:
    raw = "<div>Virtual demo <b>tomorrow</b> 3-4pm<br>attendees: Kim, Raj &amp; Lee</div><script>x()</script>"
    assert clean(raw) == "Virtual demo tomorrow 3-4pm\nattendees: Kim, Raj & Lee"
    [s] = _analyze(raw)
    assert s.intent == "appointment"
    assert s.start == dt.datetime(2026, 4, 29, 13, tzinfo=dt.UTC)
    assert s.payload["participants"] == ["Kim", "Raj", "Lee"]


@pytest.mark.parametrize("raw", [None, "", "   ", "<p></p>", "🎉🎉🎉", "\x00\x01", float("nan"), 42])
def test_empty_or_non_text_gives_nothing(raw) -> None:
    assert _analyze(raw) == []


def test_emoji_and_zero_width_characters() -> None:
    [s] = _analyze("📞 Call Maria tmrw 10am\u200b re renewal 🙂")
    assert s.intent == "phone_call"
    assert s.start == dt.datetime(2026, 4, 29, 8, tzinfo=dt.UTC)


def test_hundred_kilobytes_of_text() -> None:
    filler = "Discussed the roadmap and the budget with the team " * 1900  # ~97 KB, no punctuation
    found = _analyze(filler + ". Meet the customer on May 4 at 4 PM.")
    assert 95_000 < len(filler) < 100_000
    assert [s.intent for s in found] == ["appointment"]
    # Past the 100,000-character cap nothing is read (Dataverse holds no longer note).
    assert _analyze(filler + filler[:5_000] + ". Meet the customer on May 4 at 4 PM.") == []


def test_unclosed_tags_and_angle_brackets_survive() -> None:
    assert _analyze("<<<<<<" * 5000 + "<b") == []
    assert clean("a < b and c > d") == "a < b and c > d"


def test_sentences_respect_abbreviations() -> None:
    text = "RDV avec M. Martin demain. Call Mr. Smith at 4pm! Done"
    spans = [text[a:b] for a, b in sentences(text)]
    assert spans == ["RDV avec M. Martin demain", "Call Mr. Smith at 4pm", "Done"]
