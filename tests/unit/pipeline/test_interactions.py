"""The interactions frame from the canonical frames: parties, states, Graph copies, row order."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from connector import canonical
from connector.insights.wkw import build_connections, connection_strengths
from connector.pipeline.interactions import COLUMNS, interactions_from

NOW = datetime(2025, 6, 2, 9, tzinfo=UTC)
FROM, TO, CC, BCC, REQUIRED, OPTIONAL, ORGANIZER = 1, 2, 3, 4, 5, 6, 7


def when(days: float) -> pd.Timestamp:
    return pd.Timestamp(NOW - timedelta(days=days))


def frames() -> dict[str, pd.DataFrame]:
    users = pd.DataFrame({"user_id": ["u-ann", "u-bob"], "fullname": ["Ann", "Bob"],
                          "email": ["ann@us.example", "bob@us.example"], "aad_object_id": ["aad-ann", "aad-bob"]})
    contacts = pd.DataFrame({"contact_id": ["c-cat", "c-dan"], "fullname": ["Cat", "Dan"],
                             "email": ["cat@them.example", "dan@them.example"], "parent_account_id": ["a1", None]})
    acts = [  # id, type, state, days ago, message id, subject
        ("e1", "email", 1, 5, "<m1>", "offer"), ("e2", "email", 1, 4, "<m2>", "Re: offer"),
        ("e3", "email", 0, 3, "<m3>", "draft"), ("a1", "appointment", 1, 10, None, "visit"),
        ("a2", "appointment", 2, 8, None, "canceled visit"), ("a3", "appointment", 3, -2, None, "next visit"),
        ("p1", "phonecall", 1, 6, None, "call"), ("t1", "task", 1, 2, None, "task"),
    ]
    activities = pd.DataFrame({"activity_id": [a[0] for a in acts], "activity_type": [a[1] for a in acts],
                               "state_code": [a[2] for a in acts], "occurred_on": [when(a[3]) for a in acts],
                               "message_id": [a[4] for a in acts], "subject": [a[5] for a in acts],
                               "in_reply_to": [None, "<m1>", None, None, None, None, None, None]})
    party_rows = [  # activity, party id, type, participation, addressused
        ("e1", "u-ann", "systemuser", FROM, None), ("e1", "c-cat", "contact", TO, "Cat@Them.example "),
        ("e1", "u-bob", "systemuser", CC, None), ("e1", None, "unresolved", BCC, "secret@them.example"),
        ("e2", "c-cat", "contact", FROM, None), ("e2", "u-ann", "systemuser", TO, None),
        ("e3", "u-ann", "systemuser", FROM, None), ("e3", "c-dan", "contact", TO, None),
        ("a1", "u-bob", "systemuser", ORGANIZER, None), ("a1", "c-dan", "contact", REQUIRED, None),
        ("a1", "c-cat", "contact", OPTIONAL, None),
        ("a2", "u-ann", "systemuser", ORGANIZER, None), ("a2", "c-dan", "contact", REQUIRED, None),
        ("a3", "u-ann", "systemuser", ORGANIZER, None), ("a3", "c-dan", "contact", REQUIRED, None),
        ("p1", "u-bob", "systemuser", FROM, None), ("p1", "u-ann", "systemuser", FROM, None),
        ("p1", "c-cat", "contact", TO, None), ("t1", "u-ann", "systemuser", FROM, None),
    ]
    parties = pd.DataFrame(party_rows, columns=["activity_id", "party_id", "party_type", "participation", "address"])
    mail = pd.DataFrame({  # <m2> is in the CRM too; <g1> sits in two mailboxes
        "message_id": ["x1", "x2", "x3"], "mailbox_user_id": ["aad-ann", "aad-ann", "aad-bob"],
        "internet_message_id": ["<m2>", "<g1>", "<g1>"], "conversation_id": [None, "k1", "k1"],
        "sender": ["cat@them.example", "dan@them.example", "dan@them.example"],
        "to": [["ann@us.example"], np.array(["ann@us.example", "bob@us.example"], dtype=object),
               ["ann@us.example", "bob@us.example"]],
        "cc": [[], [], []], "sent_on": [when(4), when(1), when(1)], "subject": ["Re: offer", "hi", "hi"]})
    raw = {"users": users, "contacts": contacts, "activities": activities, "parties": parties, "mail": mail}
    return {name: canonical.conform(df, name) for name, df in raw.items()}


def by_subject(out: pd.DataFrame) -> dict[str, pd.Series]:
    return {row["subject"]: row for _, row in out.iterrows()}


def test_parties_become_sender_recipients_and_cc() -> None:
    out = interactions_from(frames())
    assert list(out.columns) == list(COLUMNS)
    rows = by_subject(out)
    offer = rows["offer"]
    assert offer["sender"] == "ann@us.example" and list(offer["recipients"]) == ["cat@them.example"]
    assert list(offer["cc"]) == ["bob@us.example"]  # the Bcc party is nobody's business
    visit = rows["visit"]
    assert (visit["channel"], visit["sender"]) == ("meeting", "bob@us.example")
    assert list(visit["recipients"]) == ["dan@them.example"] and list(visit["cc"]) == ["cat@them.example"]
    assert rows["Re: offer"]["reply_depth"] == 1
    assert "task" not in rows


def test_only_completed_activities_count() -> None:
    rows = by_subject(interactions_from(frames()))
    assert "canceled visit" not in rows and "draft" not in rows and "next visit" not in rows
    data = frames()
    done = data["activities"].assign(state_code=data["activities"]["state_code"].where(
        data["activities"]["subject"] != "next visit", 1))
    # Once the planned meeting is marked completed (a change in the data), it counts from its own time.
    later = by_subject(interactions_from({**data, "activities": done}))
    assert later["next visit"]["timestamp"] > pd.Timestamp(NOW)
    strengths = connection_strengths(interactions_from({**data, "activities": done}), now=NOW,
                                     internal={"ann@us.example"})
    ann_dan = strengths[(strengths["internal"] == "ann@us.example") & (strengths["external"] == "dan@them.example")]
    # Dan's mail of yesterday counts; the meeting ahead only bounds how long the values hold.
    assert int(ann_dan["meeting_count"].iloc[0]) == 0 and int(ann_dan["email_count"].iloc[0]) == 1
    assert ann_dan["valid_until"].iloc[0] == later["next visit"]["timestamp"]


def test_a_message_in_the_crm_and_in_mailboxes_counts_once() -> None:
    out = interactions_from(frames())
    assert (out["message_id"] == "<m2>").sum() == 1 and (out["message_id"] == "<g1>").sum() == 1
    g1 = out[out["message_id"] == "<g1>"].iloc[0]
    assert sorted(g1["recipients"]) == ["ann@us.example", "bob@us.example"]


def test_two_senders_on_one_activity_resolve_by_address_not_row_order() -> None:
    data = frames()
    flipped = {**data, "parties": data["parties"].iloc[::-1].reset_index(drop=True)}
    for f in (data, flipped):
        assert by_subject(interactions_from(f))["call"]["sender"] == "ann@us.example"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_shuffled_and_repeated_rows_give_the_same_connections(seed: int) -> None:
    data = frames()
    messy = {name: pd.concat([df, df.iloc[:2]]).sample(frac=1.0, random_state=seed).reset_index(drop=True)
             for name, df in data.items() if name in ("parties", "mail")}
    messy["activities"] = data["activities"].sample(frac=1.0, random_state=seed).reset_index(drop=True)
    people = {"cat@them.example": ("c-cat", "contact", "a1"), "dan@them.example": ("c-dan", "contact", None)}
    users = {"ann@us.example": "u-ann", "bob@us.example": "u-bob"}
    results = []
    for f in (data, {**data, **messy}):
        strengths = connection_strengths(interactions_from(f), now=NOW, internal=set(users))
        results.append((strengths, build_connections(strengths, people=people, users=users)))
    pd.testing.assert_frame_equal(results[0][0], results[1][0])
    pd.testing.assert_frame_equal(results[0][1], results[1][1])
    assert len(results[0][1]) == 4


def test_no_frames_no_interactions() -> None:
    out = interactions_from({})
    assert out.empty and list(out.columns) == list(COLUMNS)
