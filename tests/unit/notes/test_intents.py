"""Intent rules, English and French: each intent, past-event traps, several intents in one note."""

from __future__ import annotations

import datetime as dt

import pytest

from connector.errors import ConfigurationError
from connector.insights.notes import analyze_text

REF = dt.datetime(2026, 4, 28, 9, 30)  # Tuesday, wall-clock time in Paris
UTC = dt.UTC


def _analyze(text: str, **kw):
    return analyze_text(text, reference_time=REF, timezone="Europe/Paris", **kw)


def _types(text: str) -> list[str]:
    return [s.intent for s in _analyze(text)]


def test_appointment_with_date_time_and_attendees() -> None:
    [s] = _analyze("Demo next Tuesday at 2pm with Mark Lee and Priya, for 90 minutes")
    assert s.intent == "appointment"
    assert s.start == dt.datetime(2026, 5, 5, 12, tzinfo=UTC)  # 14:00 Paris = 12:00 UTC
    assert s.end == dt.datetime(2026, 5, 5, 13, 30, tzinfo=UTC)
    assert s.payload["duration_minutes"] == 90
    assert s.payload["participants"] == ["Mark Lee", "Priya"]


def test_french_appointment_from_the_issue() -> None:
    [s] = _analyze("Rencontrer le client le 4 mai à 16 h 00")
    assert (s.intent, s.start, s.all_day) == ("appointment", dt.datetime(2026, 5, 4, 14, tzinfo=UTC), False)
    assert s.payload["subject"] == "Rencontrer le client le 4 mai à 16 h 00"
    assert s.span == (0, 39)


def test_phone_call_with_number_and_person() -> None:
    [s] = _analyze("Call Greg on Monday at 9am to confirm PO number. Cell: (206) 555-0199")
    assert s.intent == "phone_call"
    assert s.start == dt.datetime(2026, 5, 4, 7, tzinfo=UTC)
    assert s.payload["participants"] == ["Greg"]
    [s] = _analyze("Appeler Luc demain après-midi au 01 44 55 66 77")
    assert (s.intent, s.payload["phone"]) == ("phone_call", "01 44 55 66 77")
    assert s.start == dt.datetime(2026, 4, 29, 12, tzinfo=UTC)


def test_task_with_due_date() -> None:
    [s] = _analyze("I'll prepare the contract by Friday.")
    assert (s.intent, s.due, s.all_day) == ("task", dt.datetime(2026, 4, 30, 22, tzinfo=UTC), True)
    [s] = _analyze("Envoyer le contrat signé avant vendredi")
    assert (s.intent, s.due) == ("task", dt.datetime(2026, 4, 30, 22, tzinfo=UTC))
    assert _types("John to confirm the date with Contoso") == ["task"]


def test_new_contact_fields() -> None:
    [s] = _analyze("Let me introduce you to John Smith, CFO, john@contoso.com")
    assert s.intent == "new_contact"
    assert {k: s.payload[k] for k in ("name", "role", "email")} == {
        "name": "John Smith", "role": "CFO", "email": "john@contoso.com"}
    [s] = _analyze("Je vous présente Julie Bernard, directrice financière, 06 12 34 56 78")
    assert (s.payload["name"], s.payload["phone"]) == ("Julie Bernard", "06 12 34 56 78")
    assert s.payload["role"].startswith("directrice financière")


def test_introduction_without_a_person_is_not_a_contact() -> None:
    assert _types("Let me introduce you to our new pricing model") == []


def test_content_request() -> None:
    [s] = _analyze("Pls send me the brochure and the price list for the X200 range")
    assert (s.intent, s.payload["items"]) == ("content_request", ["brochure", "price list"])
    assert _types("Le client demande la documentation technique") == ["content_request"]
    assert _types("Sent the brochure last week as requested.") == []


@pytest.mark.parametrize("text", [
    "Customer complained that the last delivery arrived two weeks late.",
    "Risk: competitor is offering 20% off, deal could slip to Q3.",
    "Le client se plaint de retards de livraison répétés.",
    "Bug bloquant sur le module de facturation",
])
def test_issue_detected(text: str) -> None:
    assert _types(text) == ["issue"]


def test_negated_issue_is_not_an_issue() -> None:
    assert _types("Go-live went fine, no issues reported.") == []
    assert _types("Installation terminée, aucun problème.") == []


@pytest.mark.parametrize("text", [
    "We met last Friday with the procurement team, they liked the demo.",
    "We had a meeting with Contoso last Friday",
    "Nous avons rencontré le client hier, très bon accueil.",
    "Nous avons eu une réunion avec Contoso vendredi dernier",
    "Called Tom on Monday, he confirmed the order.",
    "Appel de courtoisie passé ce matin.",
    "great call today, they are happy with support",
])
def test_past_events_are_not_suggested(text: str) -> None:
    assert _types(text) == []


def test_several_intents_in_one_note_each_with_its_date() -> None:
    found = analyze_text("Préparer la démo pour le 2 décembre et appeler Léa demain à 11 h pour caler la salle",
                         reference_time=dt.datetime(2026, 11, 20, 17, 45), timezone="Europe/Paris")
    assert [(s.intent, s.due or s.start) for s in found] == [
        ("task", dt.datetime(2026, 12, 1, 23, tzinfo=UTC)),
        ("phone_call", dt.datetime(2026, 11, 21, 10, tzinfo=UTC)),
    ]
    assert found[0].span[1] <= found[1].span[0]


def test_todo_list_items() -> None:
    assert _types("todo: renew NDA, send pricing sheet, book demo room") == ["task", "content_request", "task"]


def test_language_choice_and_intent_filter() -> None:
    assert _types("RDV lundi 10h chez Wingtip") == ["appointment"]
    assert [s.payload["language"] for s in _analyze("RDV lundi 10h chez Wingtip")] == ["fr"]
    assert _analyze("Meeting tomorrow at 10am. Customer unhappy.", intents_wanted=["issue"])[0].intent == "issue"
    with pytest.raises(ConfigurationError):
        _analyze("x", intents_wanted=["lunch"])
    with pytest.raises(ConfigurationError):
        _analyze("x", lang="de")
    with pytest.raises(ConfigurationError):
        analyze_text("x", reference_time=REF, timezone="Mars/Olympus")


def test_aware_reference_is_converted_to_the_owner_zone() -> None:
    # 23:30 UTC on Monday is already Tuesday in Paris: "tomorrow" is Wednesday.
    [s] = analyze_text("Call Ana tomorrow at 10am", reference_time=dt.datetime(2026, 4, 27, 23, 30, tzinfo=UTC),
                       timezone="Europe/Paris")
    assert s.start == dt.datetime(2026, 4, 29, 8, tzinfo=UTC)


def test_customer_request_in_the_past_is_still_a_task() -> None:
    assert _types("Le client a demandé un devis pour 500 licences") == ["task"]
    assert _types("Customer requested a price quote for 500 licenses") == ["task"]


def test_french_infinitive_instruction_and_instruction_after_a_comma() -> None:
    assert _types("Faire valider les prix en interne d'ici lundi") == ["task"]
    found = _analyze("Dîner avec la direction le 3 juin à 19 h, réserver une table pour 6")
    assert [s.intent for s in found] == ["appointment", "task"]
    assert found[0].start == dt.datetime(2026, 6, 3, 17, tzinfo=UTC)


def test_meeting_word_that_is_an_object_or_a_room_is_not_a_meeting() -> None:
    assert _types("Prepare the demo env. before Wed") == ["task"]
    assert _types("Remember to invite Raj to the QBR") == ["task"]
    assert _types("Book the demo room for Friday") == ["task"]


def test_emoji_separates_sentences() -> None:
    found = _analyze("Contract signed 🎉 kickoff in 2 weeks")
    assert [(s.intent, s.start) for s in found] == [("appointment", dt.datetime(2026, 5, 11, 22, tzinfo=UTC))]


def test_french_typed_without_accents() -> None:
    found = _analyze("reunion avec le client mardi prochain apres-midi, telephoner a Paul le 3 decembre a 10h")
    assert [(s.intent, s.start) for s in found] == [
        ("appointment", dt.datetime(2026, 5, 5, 12, tzinfo=UTC)),
        ("phone_call", dt.datetime(2026, 12, 3, 9, tzinfo=UTC)),
    ]
    # A final "é" still tells a past participle from a noun.
    assert _types("Rencontre demain à 8 h 30 à leurs bureaux") == ["appointment"]
    assert _types("Rencontré le client hier") == []


def test_day_and_time_written_apart_are_combined() -> None:
    [s] = _analyze("Lunch on June 3 with Hugo and Claire at 12:30")
    assert s.start == dt.datetime(2026, 6, 3, 10, 30, tzinfo=UTC)


def test_intent_setting_accepts_admin_spellings() -> None:
    found = _analyze("Call Ana tomorrow. Let me introduce you to John Smith, john@contoso.com",
                     intents_wanted=["phonecall", "contact"])
    assert [s.intent for s in found] == ["phone_call", "new_contact"]
