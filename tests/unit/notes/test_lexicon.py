"""The notes lexicon data files: every pattern entry matches the example written beside it."""

from __future__ import annotations

import pytest

from connector.insights.notes import lexicon
from connector.insights.notes.language import LANGUAGES


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_every_entry_matches_its_example(lang: str) -> None:
    lists = lexicon.entries(lang)
    assert {"appointment", "call", "task", "imperative", "issue", "contact"} <= set(lists)
    wrong = [(name, e.pattern[:60], e.example) for name, entries in lists.items() if name != "stop_names"
             for e in entries if lexicon.words(e.pattern).search(e.example) is None]
    assert not wrong, wrong[:10]


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_raw_patterns_match_their_examples(lang: str) -> None:
    data = lexicon._read(lang)
    words, markers = lexicon.load(lang)
    assert markers
    for name, table in data.get("raw", {}).items():
        assert getattr(words, name).search(table["example"]), name


def test_a_phrase_may_not_hide_a_pattern() -> None:
    with pytest.raises(ValueError, match="plain lexicon phrase"):
        lexicon._entry("meet(ing)?")
    with pytest.raises(ValueError, match="no notes lexicon"):
        lexicon.load("xx")
