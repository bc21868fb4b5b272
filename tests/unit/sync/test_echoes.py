"""Rows changed only by our own write are told apart from real changes."""

from __future__ import annotations

import pandas as pd

from connector.sync.echoes import echoes

BEFORE = pd.DataFrame({"contact_id": ["c1", "c2", "c3"], "fullname": ["Ann", "Bob", None],
                       "modified_on": pd.to_datetime(["2026-11-01"] * 3, utc=True),
                       "osi_healthscore": [50, 60, 70]})


def test_a_row_whose_only_change_is_ours_is_an_echo() -> None:
    after = BEFORE.assign(modified_on=pd.Timestamp("2026-11-02", tz="UTC"), osi_healthscore=[51, 61, 71])
    assert echoes(BEFORE, after, "contact_id", ["c1", "c2", "c3"]) == {"c1", "c2", "c3"}


def test_a_changed_value_a_filled_gap_or_a_new_row_is_a_change() -> None:
    after = pd.concat([BEFORE.assign(fullname=["Ann", "Robert", "Cy"]),
                       pd.DataFrame({"contact_id": ["c4"], "fullname": ["Dee"]})], ignore_index=True)
    assert echoes(BEFORE, after, "contact_id", ["c1", "c2", "c3", "c4"]) == {"c1"}


def test_only_the_ids_read_are_considered_and_dtypes_read_back_do_not_matter() -> None:
    after = BEFORE.astype({"fullname": "string"})
    assert echoes(BEFORE, after, "contact_id", ["c2"]) == {"c2"}
    assert echoes(None, after, "contact_id", ["c2"]) == set()


def test_a_message_read_again_unchanged_is_no_change() -> None:
    from connector.sync.echoes import unchanged

    old = pd.DataFrame({"message_id": ["m1", "m2"], "subject": ["Hi", "Re: Hi"]})
    new = pd.DataFrame({"message_id": ["m2", "m3"], "subject": ["Re: Hi", "New"]})
    assert unchanged(old, new, "message_id", ["m2", "m3"]) == {"m2"}
    assert unchanged(old, new.assign(subject=["Re: Hi!", "New"]), "message_id", ["m2"]) == set()
