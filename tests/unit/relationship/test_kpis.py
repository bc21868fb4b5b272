"""Every KPI of a small hand-built organisation, against values worked out by hand."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from connector import schema
from connector.insights.relationship import RelationshipSettings, compute_relationships

from .builders import NOW, Org, at


def _org() -> Org:
    org = Org().user("u1").user("u2").user("u3").account("a1", primary="c1").contact("c1", "a1").contact("c2", "a1")
    org.opportunity("o1", owner="u1", account="a1")
    # Thread 1 (In-Reply-To): we write, the customer answers 4 h later; their answer stays unanswered.
    org.email("e1", "2026-11-02 09:00", "u1", ["c1"], ["u2"], subject="Proposal", message_id="<e1>", regarding="c1")
    org.email("e2", "2026-11-02 13:00", "c1", ["u1"], subject="Re: Proposal", in_reply_to="<e1>")
    # Thread 2 (parent activity): the customer writes twice, we answer 6 h after their first message.
    org.email("e3", "2026-11-03 10:00", "c1", ["u1"], subject="Question")
    org.email("e4", "2026-11-03 11:00", "c1", ["u1"], subject="Question, more", parent="e3")
    org.email("e5", "2026-11-03 16:00", "u1", ["c1"], subject="Re: Question", parent="e4")
    # Thread 3: never answered.
    org.email("e6", "2026-11-10 09:00", "u1", ["c1"], subject="Follow-up")
    # Thread 4 (conversation id) with the other contact: we answer after 2.5 h.
    org.email("e7", "2026-11-12 08:00", "c2", ["u2"], subject="Hello", conversation="conv-1")
    org.email("e8", "2026-11-12 10:30", "u2", ["c2"], subject="Hi", conversation="conv-1")
    # Thread 5 (subject fallback, no headers): "RE: pricing" answers "Pricing" 24 h later.
    org.email("e9", "2026-11-14 09:00", "u1", ["c1"], subject="Pricing")
    org.email("e10", "2026-11-15 09:00", "c1", ["u1"], subject="RE: pricing")
    # Meetings: three of us and two of them for 60 min; one the customer organised with no duration.
    org.meeting("m1", "2026-11-05 14:00", "u1", ["u2", "u3", "c1"], ["c2"], duration=60)
    org.meeting("m2", "2026-11-06 14:00", "c1", ["u1"])
    org.meeting("m3", "2026-12-01 09:00", "u1", ["c1"], duration=30, state=3)  # scheduled: the next activity
    org.call("p1", "2026-11-07 10:00", "u1", "c1", outgoing=True, duration=12)
    org.call("p2", "2026-11-08 10:00", "c1", "u1", outgoing=False)  # no duration: default 5 min
    org.task("t1", "2026-11-01 10:00", duration=20, regarding="c1")
    org.email("e0", "2025-10-01 09:00", "u1", ["c1"], subject="Last year")  # previous year only
    return org


@pytest.fixture(scope="module")
def out() -> dict[str, pd.DataFrame]:
    return compute_relationships(_org().frames(), now=NOW)


def test_contact_counts(out: dict[str, pd.DataFrame]) -> None:
    c1 = out["contact"].loc["c1"]
    assert (c1["osi_emailssent"], c1["osi_emailsreceived"]) == (4, 4)  # e1 e5 e6 e9 / e2 e3 e4 e10
    assert (c1["osi_meetingssent"], c1["osi_meetingsreceived"]) == (1, 1)  # m1 / m2 (m3 is not done)
    assert (c1["osi_callsmade"], c1["osi_callsreceived"]) == (1, 1)
    # Threads started: ours e1 e6 e9 + m1 + p1; theirs e3 + m2 + p2.
    assert (c1["osi_initiatedbyteam"], c1["osi_initiatedbycustomer"]) == (5, 3)


def test_contact_response_times_and_rates(out: dict[str, pd.DataFrame]) -> None:
    c1 = out["contact"].loc["c1"]
    # Customer turns: e3+e4 open a thread and are answered by e5 6 h after e3; e2 and e10 are replies
    # nobody answered: they close their threads and are not misses.
    assert c1["osi_responsehoursteam"] == pytest.approx(6.0)
    assert c1["osi_responserateteam"] == pytest.approx(1.0)
    # Our turns: e1 (4 h), e9 (24 h), e6 opened a thread and was never answered (a miss, not 0 h);
    # e5 is an unanswered reply.
    assert c1["osi_responsehourscustomer"] == pytest.approx(14.0)
    assert c1["osi_responseratecustomer"] == pytest.approx(2 / 3)
    assert out["contact"].loc["c2", "osi_responsehoursteam"] == pytest.approx(2.5)  # conversation id


def test_time_spent(out: dict[str, pd.DataFrame]) -> None:
    c1 = out["contact"].loc["c1"]
    # Team: e-mails 4×5 + 4×2.5 = 30; m1 60×3 internal attendees = 180; m2 default 30×1; calls 12 + 5; task 20.
    assert c1["osi_timespentteam"] == 30 + 180 + 30 + 12 + 5 + 20
    # Customer: e-mails 4×2.5 + 4×5 = 30; m1 60 once, not per customer attendee; m2 30; calls 12 + 5.
    assert c1["osi_timespentcustomer"] == 30 + 60 + 30 + 12 + 5


def test_last_and_next_activity(out: dict[str, pd.DataFrame]) -> None:
    c1 = out["contact"].loc["c1"]
    assert c1["osi_lastactivityid"] == "e10"
    assert c1["osi_lastactivityon"] == at("2026-11-15 09:00")
    assert c1["osi_lastactivitytype"] == schema.ACTIVITY_TYPE.value("Email")
    assert c1["osi_lastactivitydirection"] == schema.DIRECTION.value("Incoming")
    assert c1["osi_nextactivityid"] == "m3"
    assert c1["osi_nextactivityon"] == at("2026-12-01 09:00")
    assert c1["osi_nextactivitytype"] == schema.ACTIVITY_TYPE.value("Meeting")
    assert c1["osi_nextactivitydirection"] == schema.DIRECTION.value("Outgoing")


def test_account_rolls_up_its_contacts(out: dict[str, pd.DataFrame]) -> None:
    a1 = out["account"].loc["a1"]
    assert (a1["osi_emailssent"], a1["osi_emailsreceived"]) == (5, 5)  # c1's plus e7/e8 with c2
    assert a1["osi_meetingssent"] == 1  # m1 has both contacts: counted once


def test_opportunity_links_owner_activities_with_the_accounts_primary_contact(out: dict[str, pd.DataFrame]) -> None:
    o1 = out["opportunity"].loc["o1"]
    # u1 (owner) with c1 (primary contact of a1): e1 e5 e6 e9 sent; e2 e3 e4 e10 received. e7/e8 are c2 with u2.
    assert (o1["osi_emailssent"], o1["osi_emailsreceived"]) == (4, 4)
    assert (o1["osi_meetingssent"], o1["osi_meetingsreceived"]) == (1, 1)
    assert o1["osi_timespentteam"] == 30 + 180 + 30 + 12 + 5  # the task is regarding the contact only


def test_previous_year_in_analytics(out: dict[str, pd.DataFrame]) -> None:
    analytics = json.loads(out["contact"].loc["c1", "osi_analytics"])
    assert analytics["kpis"]["previous"]["emailssent"] == 1
    assert analytics["kpis"]["current"]["emailssent"] == 4
    assert analytics["kpis"]["current"]["estimated_durations"] == 2  # m2 and p2 had no duration
    assert analytics["daily"]["2026-11-05"] == {"meetings_sent": 1}
    assert analytics["daily"]["2026-11-03"] == {"emails_received": 2, "emails_sent": 1}
    team = analytics["most_contacted"]["team"]
    assert team[0]["id"] == "u1" and team[0]["emails"] == 8 and team[0]["meetings"] == 2 and team[0]["calls"] == 2
    assert [p["id"] for p in analytics["most_contacted"]["customer"]] == ["c1", "c2"]


def test_activity_linked_twice_counts_once() -> None:
    org = Org().user("u1").contact("c1").opportunity("o1", owner="u1", contact="c1")
    org.email("e1", "2026-11-20 09:00", "u1", ["c1"], regarding="o1")  # regarding AND contact of interest
    out = compute_relationships(org.frames(), now=NOW)
    assert out["opportunity"].loc["o1", "osi_emailssent"] == 1
    assert out["opportunity"].loc["o1", "osi_timespentteam"] == 5


def test_time_zones() -> None:
    org = Org().user("u1").contact("c1")
    # 09:00 in New York is 14:00 UTC; the answer at 16:30 in Paris is 15:30 UTC: 1.5 h later.
    org.email("e1", "2026-11-20T09:00:00-05:00", "u1", ["c1"], subject="Hello", message_id="<a>")
    org.email("e2", "2026-11-20T16:30:00+01:00", "c1", ["u1"], subject="Re: Hello", in_reply_to="<a>")
    org.email("e3", "2026-11-21T23:30:00+00:00", "c1", ["u1"], subject="Late")  # 00:30 on the 22nd in Paris
    out = compute_relationships(org.frames(), now=NOW, settings=RelationshipSettings(timezone="Europe/Paris"))
    c1 = out["contact"].loc["c1"]
    assert c1["osi_responsehourscustomer"] == pytest.approx(1.5)
    daily = json.loads(c1["osi_analytics"])["daily"]
    assert daily == {"2026-11-20": {"emails_received": 1, "emails_sent": 1}, "2026-11-22": {"emails_received": 1}}


def test_output_shape_and_dtypes(out: dict[str, pd.DataFrame]) -> None:
    names = [c.logical_name for c in schema.RELATIONSHIP_COLUMNS]
    for rtype, frame in out.items():
        assert list(frame.columns) == names, rtype
    assert out["contact"].index.name == "contact_id"
    assert str(out["contact"]["osi_emailssent"].dtype) == "Int64"
    assert str(out["contact"]["osi_lastactivityon"].dtype) == "datetime64[ns, UTC]"
    assert (out["contact"]["osi_insightscomputedon"] == NOW).all()
