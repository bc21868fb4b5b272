"""Meetings and calls that are not ours to plan: hypotheticals, meetings only referred to, recordings,
unneeded or cancelled meetings, states, the customer's own meetings, someone else's call; and list headings."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from connector.insights.notes import analyze_text, guards, listings

REF = dt.datetime(2026, 4, 28, 9, 30)  # Tuesday, wall-clock time in Paris


def _types(text: str) -> list[str]:
    return sorted(s.intent for s in analyze_text(text, reference_time=REF, timezone="Europe/Paris"))


@pytest.mark.parametrize(("text", "expected"), [
    # A condition with a conditional verb plans nothing.
    ("If the pilot goes well we could organise a training day in September.", []),
    ("Assuming legal agrees, we'd hold a kickoff meeting, date TBD", []),
    ("S'ils valident le budget, on pourrait caler une démo en juin.", []),
    ("Au cas où ils signeraient, il faudrait organiser un atelier.", []),
    # ... but an instruction after a condition is one.
    ("If they sign, schedule the kickoff for Monday 10am.", ["appointment"]),
    ("Call Anna tomorrow at 9.", ["phone_call"]),
])
def test_hypotheticals(text: str, expected: list[str]) -> None:
    assert _types(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("Log the pricing questions after the meeting", ["task"]),
    ("Mettre à jour le compte rendu après la réunion", ["task"]),
    ("They want the demo recording for their team", []),
    ("Le client aimerait une démo enregistrée", []),
    ("No need for a meeting next week, all settled by e-mail.", []),
    ("Pas besoin de réunion la semaine prochaine.", []),
    ("We don't need to call them before June.", []),
    ("Sophie is on a call with IT all afternoon.", []),
    ("Sophie is in meetings all day tomorrow, call her Friday instead.", ["phone_call"]),
    ("Il est en réunion toute la journée, le rappeler demain.", ["phone_call"]),
    ("They have an internal meeting on Monday to decide.", []),
    ("Leur comité de direction se réunit mardi prochain.", []),
    ("They are meeting with a competitor next week.", []),
    ("Ils utilisent un concurrent pour la paie. Visite sur site prévue le 25/05.", ["appointment"]),
    ("Mark has a call with his CFO tomorrow about the budget.", []),
    ("The meeting on Friday was cancelled.", []),
    # Our meetings with the same words stay.
    ("Meeting with their CFO next Tuesday at 3pm", ["appointment"]),
    ("Réunion avec le comité de pilotage jeudi à 10 h", ["appointment"]),
])
def test_meetings_not_ours(text: str, expected: list[str]) -> None:
    assert _types(text) == expected


def test_referred_meeting_with_its_own_date_is_kept() -> None:
    body = "Prep the deck before the demo on Friday"
    match = re.search("demo", body)
    assert match is not None
    assert not guards.not_planned(body, match, has_future=True)
    assert guards.not_planned(body, match, has_future=False)


@pytest.mark.parametrize(("text", "expected"), [
    ("To do this week:\n- update the forecast\n- chase Tom for the PO", ["task", "task"]),
    ("À faire cette semaine :\n- mettre à jour les prévisions\n- relancer Mme Keller", ["task", "task"]),
    ("Oublie pas de mettre le CRM à jour avec les chiffres.", ["task"]),
    ("Sarah will review the proposal internally and get back to us next week.", []),
    ("Le client va étudier l'offre et revenir vers nous lundi.", []),
    ("Paul will review the contract and send comments by Friday.", ["task"]),
    ("Touch base with Greg tomorrow at 4 by phone", ["phone_call"]),
])
def test_tasks_and_headings(text: str, expected: list[str]) -> None:
    assert _types(text) == expected


def test_heading_kinds() -> None:
    text = "Next steps for Monday:\nDone:\nPricing is fine:"
    lines = [(0, 22), (23, 28), (29, len(text))]
    assert [listings.heading(text, line) for line in lines] == ["todo", "done", None]
