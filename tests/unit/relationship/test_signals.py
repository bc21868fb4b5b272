"""Every health fact of one hand-built relationship, and the points each component gives it (table tests).

A change to how recency, frequency, responsiveness, reciprocity or breadth is counted fails here, fast.
"""

from __future__ import annotations

import json

import pytest

from connector.errors import InsightError
from connector.insights.relationship import RelationshipSettings, relationship_insights
from connector.insights.relationship.clock import day_of
from connector.insights.relationship.compute import _linked, record_signals
from connector.insights.relationship.facts import conform_all
from connector.insights.relationship.linking import record_key
from connector.insights.relationship.records import members, records_frame
from connector.insights.relationship.signals import signals

from .builders import NOW, Org

# NOW is Friday 2026-11-27 12:00 UTC; ages are whole days.
EXPECTED = {
    "touch_age": 7, "touch_30": 2, "touch_90": 4, "touch_prior": 1, "touch_365": 5,  # recency, frequency
    "contact_age": 7, "contact_30": 4, "contact_90": 6, "contact_365": 7,
    "interactions": 6, "active": 4, "customer_started": 2, "answered_turns": 2,  # reciprocity
    "customer_asked": 3, "customer_answered": 1, "customer_fast": 1, "customer_hours": 24.0,  # responsiveness
    "team_asked": 1, "team_answered": 1, "team_fast": 1, "team_hours": 3.0, "tail": 2,
    "meetings": 1, "canceled": 1, "upcoming": 1,
    "people_customer": 2, "people_team": 1,  # breadth
    "n_history": 9, "n_90": 8, "last_age": 2,
}


def _org() -> Org:
    org = Org().user("u1").user("u2").account("a1").contact("c1", "a1").contact("c2", "a1")
    org.email("q", "2026-11-20 10:00", "c1", ["u1"], subject="Question")  # they start; we answer in 3 h
    org.email("q-re", "2026-11-20 13:00", "u1", ["c1"], subject="Re: Question")
    org.email("offer", "2026-11-10 09:00", "u1", ["c1"], subject="Offer")  # we start; they answer in 24 h
    org.email("offer-re", "2026-11-11 09:00", "c1", ["u1"], subject="Re: Offer")
    org.email("ping", "2026-11-01 09:00", "u1", ["c1"], subject="Ping")  # never answered
    org.email("late", "2026-11-25 09:00", "u2", ["c1"], subject="Late")  # never answered, 2 days old
    org.email("march", "2026-03-01 09:00", "c1", ["u1"], subject="Spring")  # the usual rhythm, months ago
    org.meeting("m1", "2026-10-15 14:00", "u1", ["c1", "c2"], duration=60)
    org.meeting("m2", "2026-11-05 14:00", "u1", ["c1"], duration=30, state=2)  # canceled
    org.meeting("m3", "2026-12-03 10:00", "u1", ["c1"], duration=30, state=3)  # planned
    org.call("p1", "2026-09-01 10:00", "c1", "u1", outgoing=False, duration=10)
    return org


def test_every_fact_of_a_relationship() -> None:
    s = RelationshipSettings()
    f, words = conform_all(_org().frames())
    lk = _linked(f, s)
    records = records_frame(f, s.timezone)
    sig = signals(lk, records, NOW, day_of(NOW, s.timezone), s, members(f, s.timezone))
    row = sig.loc[record_key("contact", [list(words).index("c1")])[0]]
    assert {k: row[k] for k in EXPECTED} == pytest.approx(EXPECTED)
    account = sig.loc[record_key("account", [list(words).index("a1")])[0]]
    assert (account["contacts"], account["people_customer"]) == (2, 2)


def test_record_signals_are_the_same_facts_by_record_id() -> None:
    """The evaluation entry point gives the facts above, indexed by the record's own id."""
    sig = record_signals(_org().frames(), now=NOW, record_type="contact")
    assert sorted(sig.index) == ["c1", "c2"]
    assert {k: sig.loc["c1", k] for k in EXPECTED} == pytest.approx(EXPECTED)
    with pytest.raises(InsightError, match="unknown record type"):
        record_signals(_org().frames(), now=NOW, record_type="invoice")


def test_points_of_each_component() -> None:
    """The hand-set model's points for the relationship above, component by component."""
    out = relationship_insights(_org().frames(), now=NOW)
    reasons = json.loads(out.tables["contact"].loc["c1", "osi_healthreasons"])
    got = {c["name"]: (c["points"], c["max"]) for c in reasons["components"]}
    # recency (20 over 8 steps: 3 3 3 3 2 2 2 2): last touch 7 days ago passes "under 14, 28, … 364";
    # frequency: 4 touches in 90 days pass the steps 2 and 3 of (2, 3, 5, 9, 13, 26);
    # responsiveness (10 over 6 steps: 2 2 2 2 1 1): customer answered 1 of 3 (+1) = 25 %: one step; we
    # answered 1 of 1 (+1) = 50 %: two; reciprocity (10 over 3: 4 3 3): active 4 of 6 (+1) = 57 %: two
    # steps; breadth (10 over 4: 3 3 2 2): 3 people of the target 4.
    assert got == {"recency": (14, 20), "frequency": (14, 50), "responsiveness": (5, 10),
                   "reciprocity": (7, 10), "breadth": (8, 10)}
    assert reasons["score"] == sum(points for points, _ in got.values())
