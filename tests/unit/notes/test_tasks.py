"""Task rules: action-item and done lists, label prefixes, modal + verb, meeting logistics, ambiguous verbs."""

from __future__ import annotations

import datetime as dt

import pytest

from connector.insights.notes import analyze_text

REF = dt.datetime(2026, 4, 28, 9, 30)  # Tuesday, wall-clock time in Paris


def _types(text: str) -> list[str]:
    return sorted(s.intent for s in analyze_text(text, reference_time=REF, timezone="Europe/Paris"))


@pytest.mark.parametrize(("text", "expected"), [
    # Lines under an action heading are to-dos even in the present tense or without a verb of the lexicon.
    ("Good workshop yesterday. Action items:\n- we rework the migration plan by May 6\n- Tom to check the quotas",
     ["task", "task"]),
    ("Prochaines étapes :\n- on prépare la maquette pour le 12 mai\n- Julie doit valider le budget", ["task", "task"]),
    # ... but a status line in that list is not.
    ("Next steps:\n- pricing OK", []),
    # Lines under "Done:" and ticked items are finished: no task, no content request.
    ("Done:\n- update the CRM\n- send the brochure", []),
    ("[x] update the CRM opportunity stage", []),
    ("[ ] update the CRM opportunity stage", ["task"]),
])
def test_lists(text: str, expected: list[str]) -> None:
    assert _types(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Remember: renewal paperwork due May 20", ["task"]),
    ("À prévoir : mise à jour de l'avenant avant le 15", ["task"]),
    ("Faut relancer la compta pour le bon de commande cette semaine", ["task"]),
    ("Faut rappeler Paul demain", ["phone_call"]),
    ("Contrat à reprendre avec la nouvelle remise", ["task"]),
    ("Need budget sign-off from the CFO before ordering", ["task"]),
])
def test_reminder_shapes(text: str, expected: list[str]) -> None:
    assert _types(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("EOD: update the pipeline figures in CRM", ["task"]),
    ("Tomorrow: prepare the renewal quote", ["task"]),
    ("Re: renewal pricing discussion", []),
    ("Note: customer prefers phone", []),
])
def test_label_before_an_instruction(text: str, expected: list[str]) -> None:
    assert _types(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # The verb right after the modal decides, not a later noun ("the call notes", "the visit").
    ("Don't forget to log the call notes in CRM", ["task"]),
    ("Must remember to log the visit in the CRM", ["task"]),
    # A modal + a verb that only secures the meeting of the clause is that meeting.
    ("Steering committee end of May, need to lock a slot", ["appointment"]),
    ("Need to find a slot with their CIO next week for a demo", ["appointment"]),
    # "Il faut leur envoyer <document>": the content request, not a separate task.
    ("Il faut leur envoyer la brochure avant vendredi", ["content_request"]),
])
def test_modal_verb(text: str, expected: list[str]) -> None:
    assert _types(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # Inviting people to or booking a room for the meeting of the clause is part of that meeting.
    ("Workshop on May 12 at 10am, invite Paul and Dana", ["appointment"]),
    ("Training on May 12, reserve the large room", ["appointment"]),
    # Booking something else stays a to-do; so does booking a room for a meeting only referred to.
    ("Dinner with the CFO on Friday 7pm, book a table for 4", ["appointment", "task"]),
    ("Book the meeting room for the May 12 workshop", ["task"]),
    ("Book the boardroom and order lunch for the May 12 workshop", ["task"]),
])
def test_meeting_logistics(text: str, expected: list[str]) -> None:
    assert _types(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # Nouns that are verbs before an object.
    ("Issue a refund note for the duplicate charge by Friday", ["issue", "task"]),
    ("Order delayed again, customer furious", ["issue"]),
    ("File the expense report before the 30th", ["task"]),
    ("File sent to the buyer yesterday", []),
    # "Pitch <something> to <someone>" is a to-do.
    ("Pitch the new pricing to Greg on Friday", ["task"]),
    # "Email from X:" is where the news came from, not an instruction.
    ("Email from Tom: they want to meet Thursday 2pm", ["appointment"]),
])
def test_ambiguous_verbs(text: str, expected: list[str]) -> None:
    assert _types(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # A past word in the preface ("Mail reçu", "Voicemail received") does not make the news past.
    ("Message reçu hier : le client veut nous voir jeudi à 14h", ["appointment"]),
    ("Voicemail received: customer wants a callback tomorrow morning", ["phone_call"]),
    # ... but a past event before a colon still makes the rest past.
    ("Kickoff meeting held: next steps agreed", []),
    ("Visited the plant on Monday: next visit in spring", []),
    # A request whose object is a call is not a content request, even if a document is named later.
    ("Dana wants a call tonight to go over the revised terms", ["phone_call"]),
    # A quote asked for with a document: the content request covers it.
    ("Greg asked for a quote on 10 seats + a copy of the DPA", ["content_request"]),
    ("She'd like the latest price list before Friday", ["content_request"]),
    ("RDV téléphonique avec M. Roy vendredi 10h", ["phone_call"]),
])
def test_related_intents(text: str, expected: list[str]) -> None:
    assert _types(text) == expected
