"""Rules that carry over to unseen wording: list bullets, run-on sentences, company suffixes, recent dates
without a year, names before the role, reminders and light verbs, broader intent vocabulary."""

from __future__ import annotations

import datetime as dt

import pytest

from connector.insights.notes import analyze_text
from connector.insights.notes import text as notetext

REF = dt.datetime(2026, 4, 28, 9, 30)  # Tuesday, wall-clock time in Paris
UTC = dt.UTC


def _analyze(text: str):
    return analyze_text(text, reference_time=REF, timezone="Europe/Paris")


def _types(text: str) -> list[str]:
    return sorted(s.intent for s in _analyze(text))


def _sentences(text: str) -> list[str]:
    return [text[a:b] for a, b in notetext.sentences(text)]


def test_bullets_are_not_part_of_the_sentence() -> None:
    assert _sentences("• Budget approved.\n- Get legal sign-off by May 4.") == ["Budget approved",
                                                                                "Get legal sign-off by May 4."]
    assert _types("• Budget approved for next year.\n• Get legal sign-off by May 4.") == ["task"]


def test_company_suffix_ends_a_sentence_only_before_a_capital() -> None:
    assert _sentences("Lunch with Adatum Corp. on May 6.") == ["Lunch with Adatum Corp. on May 6."]
    assert _sentences("We met Contoso Inc. They want a demo.") == ["We met Contoso Inc", "They want a demo."]
    [s] = _analyze("Lunch with Adatum Corp. on May 6 at noon.")
    assert (s.intent, s.start) == ("appointment", dt.datetime(2026, 5, 6, 10, tzinfo=UTC))


def test_a_number_before_a_period_ends_the_sentence() -> None:
    assert _types("Visited the plant on April 9. meeting with Olivia on May 6 to review the proposal.") == [
        "appointment"]


def test_run_on_sentences_are_cut_before_a_capitalised_verb() -> None:
    assert _types("We met last Friday to go over the budget Get legal sign-off by Thursday") == ["task"]
    assert _types("Onsite visit planned tomorrow at 8am We met last Friday.") == ["appointment"]
    # A capitalised word after "with" / "on" is a name or a product, not a new sentence.
    assert _types("Set up a meeting with Grace on Teams tomorrow") == ["appointment"]


def test_yearless_date_in_the_recent_past_is_a_past_event() -> None:
    assert _types("Visite de l'usine le 11 avril.") == []
    assert _types("Site visit on April 20.") == []
    [s] = _analyze("Visite de l'usine le 11 mai.")
    assert s.start == dt.datetime(2026, 5, 10, 22, tzinfo=UTC)


def test_name_before_the_new_role_is_a_contact_once() -> None:
    assert _types("Spoke with Tyler Harris, their new Office Manager; reach them at tyler@lucerne.example.") == [
        "new_contact"]
    assert _types("Échange avec Damien Fournier, nouveau Directeur financier ; joignable au +33 6 70 59 71 94.") == [
        "new_contact"]
    assert _types("Chris put me in touch with Maria Lopez, their CFO") == ["new_contact"]
    assert "new_contact" not in _types("Ask about their new office next week")  # no role, no name


@pytest.mark.parametrize("text", ["Remind me to ring Grace next Tuesday.", "Passer un coup de fil à Julie lundi",
                                  "Il faudrait rappeler Maria demain", "We should call Maria back tomorrow"])
def test_reminders_modals_and_light_verbs_carry_the_call(text: str) -> None:
    assert _types(text) == ["phone_call"]


def test_content_request_keeps_its_deadline() -> None:
    [s] = _analyze("Customer wants the technical documentation by Friday.")
    assert (s.intent, s.due, s.all_day) == ("content_request", dt.datetime(2026, 4, 30, 22, tzinfo=UTC), True)


@pytest.mark.parametrize(("text", "expected"), [
    ("Could you forward the product roadmap to Ken?", ["content_request"]),
    ("Ils souhaitent obtenir la fiche technique du modèle X200", ["content_request"]),
    ("Need a signed NDA before we share the roadmap", ["task"]),
    ("The rollout has been postponed again, the sponsor is getting impatient", ["issue"]),
    ("La facture 4471 n'est toujours pas réglée", ["issue"]),
    ("Their security team flagged a vulnerability in our SDK", ["issue"]),
    ("Call Sue at 8 tomorrow morning", ["phone_call"]),
    ("Quote approved by their CFO!", []),
])
def test_broader_vocabulary(text: str, expected: list[str]) -> None:
    assert _types(text) == expected


def test_month_end_and_this_weekday_still_ahead() -> None:
    [s] = _analyze("Update the forecast in CRM before month end")
    assert (s.intent, s.due) == ("task", dt.datetime(2026, 4, 29, 22, tzinfo=UTC))  # April 30, Paris midnight
    [s] = _analyze("Call Jacob back this Monday at 2pm")  # written on a Tuesday: next Monday, not yesterday
    assert (s.intent, s.start) == ("phone_call", dt.datetime(2026, 5, 4, 12, tzinfo=UTC))
    assert _types("Faire un point budget avec Paul lundi") == ["appointment"]
