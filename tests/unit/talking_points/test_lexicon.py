"""The lexicon data files: every entry compiles, and matches the example written beside it."""

from __future__ import annotations

import re

import pytest

from connector.insights.talking_points import lexicon
from connector.insights.talking_points.detect import TOPICS, _alternation, fold


def _entries(lang: str) -> list[tuple[str, str, lexicon.Entry]]:
    lex = lexicon.load(lang)
    out = []
    for topic in TOPICS:
        cues = lex.topics[topic]
        out += [(topic, kind, e) for kind, entries in (("strong", cues.strong), ("weak", cues.weak),
                                                       ("traps", cues.traps)) for e in entries]
        out += [(topic, f"yields to {other}", e) for other, e in cues.yields]
    return out


@pytest.mark.parametrize("lang", lexicon.LANGUAGES)
def test_every_entry_matches_its_example(lang: str) -> None:
    entries = _entries(lang)
    assert len(entries) > 500
    wrong = []
    for topic, kind, entry in entries:
        rx = _alternation((entry.pattern,), closed=not kind.startswith("yields"), accents=False)
        assert rx is not None
        if rx.search(fold(entry.example, False)) is None:
            wrong.append((topic, kind, entry.pattern[:60], entry.example))
    assert not wrong, wrong[:10]


@pytest.mark.parametrize("lang", lexicon.LANGUAGES)
def test_every_topic_has_strong_and_weak_cues_and_person_words(lang: str) -> None:
    lex = lexicon.load(lang)
    assert set(lex.topics) == set(TOPICS)
    assert all(lex.topics[t].strong for t in TOPICS)
    for pattern in (lex.first_person, lex.plural_person, lex.business):
        re.compile(pattern)


def test_unknown_language_and_unknown_family_are_refused() -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        lexicon.load("de")
    with pytest.raises(ValueError, match="unknown word family"):
        lexicon._expand("${NOPE}", {})
