"""The learned second opinion: same numbers as scikit-learn, deterministic, and only adds what the rules miss."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest

from connector.insights.notes import learned
from connector.insights.notes.intents import Hit, find_hits
from connector.insights.notes.language import LANGUAGES

TRAINING = Path(learned.__file__).with_name(learned.TRAINING_FILE)
REF = dt.datetime(2026, 4, 28, 9, 30)


def _rows(limit: int | None = None) -> tuple[list[str], list[frozenset[str]]]:
    rows = [json.loads(line) for line in TRAINING.read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = rows[:limit] if limit else rows
    return [r["text"] for r in rows], [frozenset(r["intents"]) for r in rows]


def test_training_file_is_well_formed() -> None:
    texts, labels = _rows()
    assert len(texts) >= 600
    assert all(isinstance(t, str) and t for t in texts)
    assert set().union(*labels) <= {"appointment", "phone_call", "task", "new_contact", "content_request", "issue"}


def test_probabilities_equal_scikit_learn() -> None:
    texts, labels = _rows(300)
    model = learned.fit(texts, labels)
    samples = [*texts[:40], "  Lost  the deal, they're   upset!", "Le client n'arrive plus à se connecter", "x"]
    for intent in learned.MODEL_INTENTS:
        features, clf = learned.fit_pipeline(texts, labels, intent)
        expected = clf.predict_proba(features.transform([s.lower() for s in samples]))[:, 1]
        np.testing.assert_allclose(model.probabilities(samples)[intent], expected, atol=1e-9)


def test_fit_is_deterministic_and_checks_its_input() -> None:
    texts, labels = _rows(200)
    a, b = learned.fit(texts, labels), learned.fit(texts, labels)
    np.testing.assert_array_equal(a.coef, b.coef)
    with pytest.raises(ValueError, match="texts but"):
        learned.fit(texts, labels[:-1])
    with pytest.raises(ValueError, match="positive and negative"):
        learned.fit(["call him back", "the quote is ready"] * 2, [frozenset()] * 4)


def _hits(text: str, lang: str = "en") -> list[Hit]:
    pack = LANGUAGES[lang]
    return learned.add_hits(text, find_hits(text, pack, REF), pack, REF)


def test_adds_an_issue_the_lexicon_lacks_and_keeps_rule_hits() -> None:
    text = "Customer is livid about the invoice amounts"  # "livid" is in no lexicon
    assert not [h for h in find_hits(text, LANGUAGES["en"], REF) if h.intent == "issue"]
    added = [h for h in _hits(text) if h.intent == "issue"]
    assert added and added[0].learned
    ruled = _hits("Customer complained about the invoice")
    assert [h.intent for h in ruled] == ["issue"] and not ruled[0].learned  # the rule's hit, nothing added


def test_guards_still_apply() -> None:
    # The model may like these words, but the rules' guards keep them out.
    assert not [h for h in _hits("No issues at all, no complaints, no problems reported") if h.intent == "issue"]
    assert not [h for h in _hits("We had a quick call yesterday with Omar") if h.intent == "phone_call"]
    # Which vendor the account uses is a fact, not an issue; a finished list item asks for nothing.
    assert not [h for h in _hits("Customer is happy with the pilot so far. they use a competitor for payroll.")
                if h.intent == "issue"]
    assert not [h for h in _hits("Done:\n- send them the brochure") if h.intent == "content_request"]


def test_other_languages_get_the_rules_only() -> None:
    fake = LANGUAGES["en"].__class__("de", LANGUAGES["en"].find_pieces, LANGUAGES["en"].lexicon, frozenset())
    text = "Customer is livid about the invoice amounts"
    assert learned.add_hits(text, [], fake, REF) == []
