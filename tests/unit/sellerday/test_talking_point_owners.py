"""A talking point belongs to the users whose mail it came from: one row each, owned by them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd

from connector import canonical
from connector.pipeline.contract import RunContext
from connector.pipeline.producers import talking_points

NOW = datetime(2026, 12, 7, tzinfo=UTC)
ANN, BOB, CAROL = ("00000000-0000-0000-0000-0000000000a1", "00000000-0000-0000-0000-0000000000b2",
                   "00000000-0000-0000-0000-0000000000c3")
CONTACT = "00000000-0000-0000-0000-00000000c0c0"


def _frames() -> dict[str, pd.DataFrame]:
    emails = [
        {"activity_id": "e1", "activity_type": "email", "direction": "incoming", "owner_id": ANN,
         "occurred_on": NOW - timedelta(days=3), "description": "My daughter starts university next week."},
        {"activity_id": "e2", "activity_type": "email", "direction": "incoming", "owner_id": BOB,
         "occurred_on": NOW - timedelta(days=2), "description": "We are off skiing in the Alps for the holidays."},
    ]
    parties = [
        {"activity_id": "e1", "party_id": CONTACT, "party_type": "contact", "participation": 1},
        {"activity_id": "e1", "party_id": ANN, "party_type": "systemuser", "participation": 2},
        {"activity_id": "e1", "party_id": CAROL, "party_type": "systemuser", "participation": 3},
        {"activity_id": "e2", "party_id": CONTACT, "party_type": "contact", "participation": 1},
        {"activity_id": "e2", "party_id": BOB, "party_type": "systemuser", "participation": 2},
    ]
    users = [{"user_id": u, "fullname": u} for u in (ANN, BOB, CAROL)]
    return {"activities": canonical.conform(pd.DataFrame(emails), "activities"),
            "parties": canonical.conform(pd.DataFrame(parties), "parties"),
            "users": canonical.conform(pd.DataFrame(users), "users")}


def test_each_reader_gets_their_own_row_owned_by_them() -> None:
    ctx = RunContext(now=NOW, settings=talking_points.TalkingPointSettings())
    out = talking_points.PRODUCER.compute(_frames(), ctx)
    rows = out.frames["osi_talkingpoint"]
    by_email: dict[str, set[str]] = {}
    for source, bind in zip(rows["osi_sourceemailid"], rows[talking_points.OWNER_BIND], strict=True):
        by_email.setdefault(source, set()).add(bind)
    assert by_email["e1"] == {f"/systemusers({ANN})", f"/systemusers({CAROL})"}
    assert by_email["e2"] == {f"/systemusers({BOB})"}
    assert set(rows["osi_contactid"]) == {CONTACT}
    assert rows["osi_key"].is_unique and all(k.startswith(f"{CONTACT}|") for k in rows["osi_key"])


def test_an_opted_out_contact_has_no_row_for_anyone() -> None:
    settings = talking_points.TalkingPointSettings(opted_out_contacts=[CONTACT])
    out = talking_points.PRODUCER.compute(_frames(), RunContext(now=NOW, settings=settings))
    assert out.frames["osi_talkingpoint"].empty
