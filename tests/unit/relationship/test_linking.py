"""Contacts of interest and activity linking, spec §1.3 steps 1 and 2, rule by rule."""

from __future__ import annotations

from connector.insights.relationship import compute_relationships

from .builders import NOW, Org


def _emails(out, rtype: str, rid: str) -> tuple[int, int]:
    row = out[rtype].loc[rid]
    return int(row["osi_emailssent"]), int(row["osi_callsmade"])


def test_lead_owner_call_counts_other_users_does_not() -> None:
    org = Org().user("owner").user("other").contact("s1").lead("l1", owner="owner", contact="s1")
    org.call("p1", "2026-11-20 10:00", "owner", "s1", outgoing=True, duration=10)
    org.call("p2", "2026-11-21 10:00", "other", "s1", outgoing=True, duration=10)
    out = compute_relationships(org.frames(), now=NOW)
    assert out["lead"].loc["l1", "osi_callsmade"] == 1
    assert out["lead"].loc["l1", "osi_lastactivityid"] == "p1"
    assert out["contact"].loc["s1", "osi_callsmade"] == 2  # any user counts for the contact


def test_regarding_always_counts() -> None:
    org = Org().user("owner").user("other").contact("x").lead("l1", owner="owner")
    org.call("p1", "2026-11-20 10:00", "other", "x", outgoing=True, regarding="l1")
    out = compute_relationships(org.frames(), now=NOW)
    assert out["lead"].loc["l1", "osi_callsmade"] == 1


def test_lead_itself_is_a_contact_of_interest() -> None:
    org = Org().user("owner").lead("l1", owner="owner")
    org.email("e1", "2026-11-20 10:00", "owner", ["l1"])
    out = compute_relationships(org.frames(), now=NOW)
    assert out["lead"].loc["l1", "osi_emailssent"] == 1


def test_meeting_with_primary_contact_counts_for_account_and_contact_but_opportunity_needs_owner() -> None:
    org = Org().user("owner").user("other").account("a1", primary="c1").contact("c1")
    org.opportunity("o1", owner="owner", account="a1")
    org.meeting("m1", "2026-11-20 10:00", "other", ["c1"], duration=30)
    org.meeting("m2", "2026-11-21 10:00", "other", ["c1"], duration=30, regarding="o1")
    org.meeting("m3", "2026-11-22 10:00", "owner", [], ["c1"], duration=30)  # optional attendee
    out = compute_relationships(org.frames(), now=NOW)
    assert out["account"].loc["a1", "osi_meetingssent"] == 3
    assert out["contact"].loc["c1", "osi_meetingssent"] == 3
    assert out["opportunity"].loc["o1", "osi_meetingssent"] == 2  # m2 by regarding, m3 by owner + contact


def test_account_contacts_list_and_bcc_is_not_a_link() -> None:
    org = Org().user("u1").account("a1").contact("c1", "a1").contact("c2")
    org.email("e1", "2026-11-20 10:00", "u1", ["c1"])
    org.email("e2", "2026-11-20 11:00", "u1", ["c2"])  # c2 is not in a1's contacts
    org._party("e2", ["c1"], 4)  # Bcc does not link
    out = compute_relationships(org.frames(), now=NOW)
    assert out["account"].loc["a1", "osi_emailssent"] == 1
    assert out["contact"].loc["c1", "osi_emailssent"] == 1


def test_opportunity_contact_and_unresolved_address_party() -> None:
    org = Org().user("u1").contact("c1").opportunity("o1", owner="u1", contact="c1")
    org.email("e1", "2026-11-20 10:00", "u1", ["c1"])
    # A party with no id but the contact's address resolves to the contact.
    org.email("e2", "2026-11-20 11:00", "u1", [])
    org.parties.append({"activity_id": "e2", "party_id": None, "participation": 2, "address": "C1@Them.Example"})
    out = compute_relationships(org.frames(), now=NOW)
    assert out["opportunity"].loc["o1", "osi_emailssent"] == 2


def test_internal_only_email_is_not_an_interaction() -> None:
    org = Org().user("u1").user("u2").contact("c1")
    org.email("e1", "2026-11-20 10:00", "u1", ["u2"], regarding="c1")
    out = compute_relationships(org.frames(), now=NOW)
    assert out["contact"].loc["c1", "osi_emailssent"] == 0
