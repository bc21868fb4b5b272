"""Each assistant card rule, from frames as the sync builds them, at a clock that moves."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd
import pytest

from connector import canonical, schema
from connector.pipeline.contract import RunContext
from connector.pipeline.producers import assistant

NOW = datetime(2026, 12, 7, 15, 0, tzinfo=UTC)
SELLER, FR_SELLER = "00000000-0000-0000-0000-00000000000a", "00000000-0000-0000-0000-00000000000b"
OPP, CONTACT, ACCOUNT = "00000000-0000-0000-0000-0000000000e1", "00000000-0000-0000-0000-0000000000c1", \
    "00000000-0000-0000-0000-0000000000a1"


def _frames(**extra: list[dict[str, Any]]) -> dict[str, pd.DataFrame]:
    base: dict[str, list[dict[str, Any]]] = {
        "users": [{"user_id": SELLER, "fullname": "Sam", "timezone": "America/New_York"},
                  {"user_id": FR_SELLER, "fullname": "Lou", "timezone": "Europe/Paris"}],
        "accounts": [{"account_id": ACCOUNT, "name": "Contoso", "owner_id": SELLER, "primary_contact_id": CONTACT,
                      "created_on": NOW - timedelta(days=400)}],
        "contacts": [{"contact_id": CONTACT, "fullname": "Ann", "owner_id": SELLER, "parent_account_id": ACCOUNT,
                      "created_on": NOW - timedelta(days=400)}],
        "opportunities": [{"opportunity_id": OPP, "name": "Deal", "owner_id": SELLER, "account_id": ACCOUNT,
                           "state_code": 0, "created_on": NOW - timedelta(days=100),
                           "estimated_close_date": NOW + timedelta(days=60)}],
        "activities": [], "parties": [],
    }
    base.update(extra)
    frames = {name: canonical.conform(pd.DataFrame(rows), name) for name, rows in base.items()}
    frames["user_settings"] = pd.DataFrame({"systemuserid": [SELLER, FR_SELLER], "uilanguageid": [1033, 1036]})
    return frames


def _activity(aid: str, kind: str, when: datetime, **more: Any) -> dict[str, Any]:
    return {"activity_id": aid, "activity_type": kind, "state_code": 1, "owner_id": SELLER, "occurred_on": when,
            "regarding_id": OPP, "regarding_type": "opportunity", **more}


def _cards(frames: dict[str, pd.DataFrame], now: datetime = NOW, state: Any = None,
           **settings: Any) -> pd.DataFrame:
    ctx = RunContext(now=now, settings=assistant.AssistantSettings(**settings), state=state or {},
                     recompute_all=state is None)
    return assistant.live_cards(frames, ctx)[0]


def _kinds(cards: pd.DataFrame) -> set[tuple[str, str]]:
    return set(zip(cards["card"], cards["record_id"], strict=True))


def test_no_activity_on_an_open_opportunity_after_n_days_then_again_every_n_days() -> None:
    quiet = _frames(activities=[_activity("a1", "email", NOW - timedelta(days=15), direction="outgoing")])
    cards = _cards(quiet)
    assert ("no_activity", OPP) in _kinds(cards)
    card = cards[(cards["card"] == "no_activity") & (cards["record_id"] == OPP)].iloc[0]
    assert card["facts"]["days"] == 14 and card["expires_on"] == card["raised_on"] + pd.Timedelta(days=14)
    assert ("no_activity", OPP) not in _kinds(_cards(quiet, no_activity_opportunity_days=20))
    assert ("no_activity", OPP) not in _kinds(_cards(quiet, no_activity_opportunity=False))
    busy = _frames(activities=[_activity("a1", "email", NOW - timedelta(days=2), direction="outgoing")])
    assert ("no_activity", OPP) not in _kinds(_cards(busy))


def test_no_activity_with_a_key_contact_counts_the_activities_they_took_part_in() -> None:
    call = _activity("a2", "phonecall", NOW - timedelta(days=40), regarding_id=None, regarding_type=None,
                     direction="outgoing")
    party = {"activity_id": "a2", "party_id": CONTACT, "party_type": "contact", "participation": 2}
    assert ("no_activity", CONTACT) in _kinds(_cards(_frames(activities=[call], parties=[party])))
    call["occurred_on"] = NOW - timedelta(days=3)
    assert ("no_activity", CONTACT) not in _kinds(_cards(_frames(activities=[call], parties=[party])))


@pytest.mark.parametrize(("close_in", "expected"), [(60, set()), (5, {"close_soon"}), (-2, {"close_missed"}),
                                                    (-20, set())])
def test_close_date_soon_or_missed(close_in: int, expected: set[str]) -> None:
    frames = _frames(activities=[_activity("a1", "email", NOW, direction="outgoing")])
    frames["opportunities"]["estimated_close_date"] = pd.Timestamp(NOW + timedelta(days=close_in)).normalize()
    cards = _cards(frames)
    assert {c for c, r in _kinds(cards) if r == OPP} == expected


def test_a_customer_email_unanswered_for_n_hours_until_someone_replies() -> None:
    received = _activity("in1", "email", NOW - timedelta(hours=30), direction="incoming", message_id="<m1>",
                         subject="Pricing question")
    assert ("email_unanswered", OPP) in _kinds(_cards(_frames(activities=[received])))
    assert ("email_unanswered", OPP) not in _kinds(_cards(_frames(activities=[received]), email_unanswered_hours=48))
    reply = _activity("out1", "email", NOW - timedelta(hours=29), direction="outgoing", in_reply_to="<m1>")
    assert ("email_unanswered", OPP) not in _kinds(_cards(_frames(activities=[received, reply])))
    late = _activity("out2", "email", NOW + timedelta(hours=2), direction="outgoing", in_reply_to="<m1>")
    card = _cards(_frames(activities=[received, late]))
    assert card[card["card"] == "email_unanswered"]["expires_on"].iloc[0] == pd.Timestamp(NOW + timedelta(hours=2))


def test_a_meeting_today_in_the_owners_zone_until_it_ends() -> None:
    # 9 pm UTC on Dec 7 is 4 pm in New York: today for the owner.
    meeting = _activity("m1", "appointment", NOW, state_code=0, scheduled_start=datetime(2026, 12, 7, 21, tzinfo=UTC),
                        scheduled_end=datetime(2026, 12, 7, 22, tzinfo=UTC), subject="Demo")
    assert ("meeting_today", OPP) in _kinds(_cards(_frames(activities=[meeting])))
    tomorrow = dict(meeting, scheduled_start=datetime(2026, 12, 8, 14, tzinfo=UTC),
                    scheduled_end=datetime(2026, 12, 8, 15, tzinfo=UTC))
    assert ("meeting_today", OPP) not in _kinds(_cards(_frames(activities=[tomorrow])))
    canceled = dict(meeting, state_code=2)
    assert ("meeting_today", OPP) not in _kinds(_cards(_frames(activities=[canceled])))
    assert ("meeting_today", OPP) not in _kinds(_cards(_frames(activities=[meeting]), meeting_today=False))


def test_a_score_jump_between_two_daily_scores() -> None:
    frames = _frames(activities=[_activity("a1", "email", NOW, direction="outgoing")])
    frames["own_osi_scorehistory"] = pd.DataFrame({
        "osi_recordid": [OPP] * 3, "osi_entityname": ["opportunity"] * 3,
        "osi_day": ["2026-12-04", "2026-12-05", "2026-12-06"], "osi_score": [40, 44, 63]})
    cards = _cards(frames)
    jump = cards[cards["card"] == "score_change"]
    assert len(jump) == 1 and jump.iloc[0]["facts"]["before"] == 44 and jump.iloc[0]["facts"]["after"] == 63
    assert _cards(frames, score_change_points=20)["card"].eq("score_change").sum() == 0


def test_a_score_jump_scored_this_run_raises_its_card_in_this_run() -> None:
    """Scoring runs before the assistant: today's score it writes (``ctx.earlier``) replaces nothing held and is
    compared with yesterday's, so the card does not wait for the next run to read the history back."""
    frames = _frames(activities=[_activity("a1", "email", NOW, direction="outgoing")])
    frames["own_osi_scorehistory"] = pd.DataFrame({
        "osi_recordid": [OPP] * 2, "osi_entityname": ["opportunity"] * 2,
        "osi_day": pd.to_datetime(["2026-12-05", "2026-12-06"], utc=True), "osi_score": [40, 44]})
    today = pd.DataFrame({"osi_key": [f"{OPP}|2026-12-07"], "osi_recordid": [OPP], "osi_entityname": ["opportunity"],
                          "osi_day": ["2026-12-07"], "osi_score": [66]})
    ctx = RunContext(now=NOW, settings=assistant.AssistantSettings(), earlier={"osi_scorehistory": today})
    jump = assistant.live_cards(frames, ctx)[0].query("card == 'score_change'")
    assert len(jump) == 1 and (jump.iloc[0]["facts"]["before"], jump.iloc[0]["facts"]["after"]) == (44, 66)
    assert assistant.live_cards(frames, RunContext(now=NOW, settings=assistant.AssistantSettings()))[0].query(
        "card == 'score_change'").empty


def test_a_health_jump_against_the_baseline_then_carried_until_it_expires() -> None:
    frames = _frames(activities=[_activity("a1", "email", NOW, direction="outgoing")])
    frames["opportunities"]["osi_healthscore"] = 70
    first = assistant._compute(frames, RunContext(now=NOW, settings=assistant.AssistantSettings()))
    assert "health_change" not in first.state[assistant.WRITTEN]["card"].tolist()
    frames["opportunities"]["osi_healthscore"] = 50
    later = NOW + timedelta(days=1)
    second = assistant._compute(frames, RunContext(now=later, settings=assistant.AssistantSettings(),
                                                   state=first.state, recompute_all=False))
    rows = second.frames["osi_insight"]
    health = rows[rows["osi_insighttype"] == schema.INSIGHT_TYPE.value("Health change")]
    assert health["subject"].tolist() == ["Relationship health 70 → 50"]
    third = assistant._compute(frames, RunContext(now=later + timedelta(hours=4),
                                                  settings=assistant.AssistantSettings(), state=second.state,
                                                  recompute_all=False))
    assert "osi_insight" not in third.frames  # nothing moved: nothing written
    assert "health_change" in third.state[assistant.WRITTEN]["card"].tolist()


def test_health_moved_by_an_admin_change_raises_no_card() -> None:
    frames = _frames(activities=[_activity("a1", "email", NOW, direction="outgoing")])
    frames["opportunities"]["osi_healthscore"] = 70
    first = assistant._compute(frames, RunContext(now=NOW, settings=assistant.AssistantSettings()))
    # The run the admin changed the relationship settings in: Dataverse still holds the old health.
    changed = assistant._compute(frames, RunContext(
        now=NOW + timedelta(hours=4), settings=assistant.AssistantSettings(), state=first.state, recompute_all=False,
        admin_changed=frozenset({"relationship"})))
    assert assistant.REBASE in changed.state
    frames["opportunities"]["osi_healthscore"] = 40  # what that run wrote
    after = assistant._compute(frames, RunContext(now=NOW + timedelta(hours=8), settings=assistant.AssistantSettings(),
                                                  state=changed.state, recompute_all=False))
    assert "osi_insight" not in after.frames and assistant.REBASE not in after.state
    frames["opportunities"]["osi_healthscore"] = 20  # a real move afterwards still raises its card
    real = assistant._compute(frames, RunContext(now=NOW + timedelta(hours=12), settings=assistant.AssistantSettings(),
                                                 state=after.state, recompute_all=False))
    assert real.frames["osi_insight"]["subject"].tolist() == ["Relationship health 40 → 20"]


def test_a_jump_in_the_health_computed_this_run_is_raised_in_this_run() -> None:
    frames = _frames(activities=[_activity("a1", "email", NOW, direction="outgoing")])
    ids = frames["opportunities"]["opportunity_id"]

    def computed(score: int) -> dict[str, pd.DataFrame]:
        return {"opportunity": pd.DataFrame({"opportunityid": ids, "osi_healthscore": score})}

    first = assistant._compute(frames, RunContext(now=NOW, settings=assistant.AssistantSettings(),
                                                  earlier=computed(70)))
    later = NOW + timedelta(hours=4)
    moved = assistant._compute(frames, RunContext(now=later, settings=assistant.AssistantSettings(),
                                                  state=first.state, recompute_all=False, earlier=computed(50)))
    assert moved.frames["osi_insight"]["subject"].tolist() == ["Relationship health 70 → 50"]
    admin = assistant._compute(frames, RunContext(
        now=later + timedelta(hours=4), settings=assistant.AssistantSettings(), state=moved.state,
        recompute_all=False, earlier=computed(20), admin_changed=frozenset({"relationship"})))
    assert "osi_insight" not in admin.frames and assistant.REBASE not in admin.state


def _registry(weights: dict[str, int], good: int = 60) -> pd.DataFrame:
    return pd.DataFrame({"osi_key": ["opportunity"], "osi_weights": [json.dumps(weights, sort_keys=True)],
                         "osi_goodmin": [good], "osi_fairmin": [40]})


@pytest.mark.parametrize(("computed_registry", "card"), [
    (_registry({"recency": 30}), False),           # refitted this run: the move is the model's, not news
    (_registry({"recency": 20}, good=70), False),  # cut-offs moved too count as a refit
    (_registry({"recency": 20}), True),            # same model as Dataverse holds: a real jump
    (None, True),                                  # no registry computed (relationship off): a real jump
])
def test_health_moved_by_a_refit_of_the_models_raises_no_card(computed_registry: pd.DataFrame | None,
                                                              card: bool) -> None:
    frames = _frames(activities=[_activity("a1", "email", NOW, direction="outgoing")])
    frames["own_osi_healthmodel"] = _registry({"recency": 20})
    ids = frames["opportunities"]["opportunity_id"]

    def computed(score: int) -> dict[str, pd.DataFrame]:
        out = {"opportunity": pd.DataFrame({"opportunityid": ids, "osi_healthscore": score})}
        return out if computed_registry is None else {**out, "osi_healthmodel": computed_registry}

    first = assistant._compute(frames, RunContext(now=NOW, settings=assistant.AssistantSettings(),
                                                  earlier={"opportunity": computed(70)["opportunity"]}))
    moved = assistant._compute(frames, RunContext(now=NOW + timedelta(days=1), settings=assistant.AssistantSettings(),
                                                  state=first.state, recompute_all=False, earlier=computed(40)))
    assert ("osi_insight" in moved.frames) is card


def test_cards_are_written_once_and_ended_early_when_their_condition_ends() -> None:
    received = _activity("in1", "email", NOW - timedelta(hours=30), direction="incoming", message_id="<m1>")
    frames = _frames(activities=[received])
    first = assistant._compute(frames, RunContext(now=NOW, settings=assistant.AssistantSettings()))
    keys = set(first.frames["osi_insight"]["osi_key"])
    assert f"card|email_unanswered|{OPP}|in1" in keys
    again = assistant._compute(frames, RunContext(now=NOW + timedelta(minutes=5),
                                                  settings=assistant.AssistantSettings(), state=first.state,
                                                  recompute_all=False))
    assert "osi_insight" not in again.frames
    reply = _activity("out1", "email", NOW + timedelta(minutes=30), direction="outgoing", in_reply_to="<m1>")
    answered = assistant._compute(_frames(activities=[received, reply]), RunContext(
        now=NOW + timedelta(hours=1), settings=assistant.AssistantSettings(), state=again.state, recompute_all=False))
    row = answered.frames["osi_insight"].set_index("osi_key").loc[f"card|email_unanswered|{OPP}|in1"]
    assert pd.Timestamp(row["osi_expireson"]) == pd.Timestamp(NOW + timedelta(minutes=30))


def test_subjects_are_absolute_facts_in_the_owners_language_and_zone() -> None:
    frames = _frames(activities=[_activity("a1", "email", datetime(2026, 11, 20, 23, 30, tzinfo=UTC),
                                           direction="outgoing")])
    frames["opportunities"]["owner_id"] = FR_SELLER
    rows = assistant._compute(frames, RunContext(now=NOW, settings=assistant.AssistantSettings())).frames["osi_insight"]
    subject = rows[rows["osi_key"] == f"card|no_activity|{OPP}|20261204T233000"]["subject"].iloc[0]
    assert subject == "Aucune activité depuis le 21 nov. 2026"  # 0:30 on Nov 21 in Paris
    details = json.loads(rows[rows["osi_key"].str.contains(OPP)]["osi_details"].iloc[0])
    assert details["facts"]["since"] == "2026-11-20T23:30:00Z"


def test_two_producers_rows_of_one_table_are_kept_whole() -> None:
    from connector.pipeline.compute import _merge

    health = pd.DataFrame({"osi_key": ["health|x"], "subject": ["Relationship health: Good → Fair"]})
    cards = pd.DataFrame({"osi_key": ["card|no_activity|x|1"], "subject": ["No activity since Dec 1, 2026"],
                          "osi_expireson": [NOW]})
    both = _merge(health, cards, "osi_key", rows=True)
    assert both.set_index("osi_key")["subject"].to_dict() == {
        "health|x": "Relationship health: Good → Fair", "card|no_activity|x|1": "No activity since Dec 1, 2026"}
