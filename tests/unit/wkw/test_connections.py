"""osi_connection rows: ranking, merging addresses, deletion, exclusion, components, next change."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from connector import schema
from connector.errors import InsightError
from connector.insights.wkw import connection_strengths
from connector.insights.wkw.connections import (
    OUTPUT_COLUMNS,
    Person,
    build_connections,
    components_json,
    largest_remainder,
    next_change,
)

NOW = datetime(2025, 6, 1, tzinfo=UTC)
USERS = {"ann@us.example": "u-ann", "bob@us.example": "u-bob", "eve@us.example": "u-eve"}
PEOPLE = {"cat@them.example": Person("c-cat", "contact", "a-them"),
          "cat.home@mail.example": ("c-cat", "contact", "a-them"), "dan@them.example": ("l-dan", "lead", None)}


def msg(days: float, sender: str, to: list[str], channel: str = "email") -> dict:
    return {"timestamp": pd.Timestamp(NOW - timedelta(days=days)), "sender": sender, "recipients": to, "cc": [],
            "channel": channel}


def strengths() -> pd.DataFrame:
    rows = [msg(d, "ann@us.example", ["cat@them.example"]) for d in (1, 2, 3)]
    rows += [msg(d, "cat@them.example", ["ann@us.example"]) for d in (1.5, 2.5)]
    rows += [msg(40, "bob@us.example", ["cat.home@mail.example"], "meeting"),
             msg(50, "bob@us.example", ["cat@them.example"])]
    rows += [msg(5, "eve@us.example", ["dan@them.example"]), msg(4, "dan@them.example", ["eve@us.example"])]
    rows += [msg(2, "ann@us.example", ["stranger@them.example"])]
    return connection_strengths(pd.DataFrame(rows), now=NOW, internal=set(USERS))


def test_rows_are_ranked_keyed_and_typed() -> None:
    out = build_connections(strengths(), people=PEOPLE, users=USERS)
    assert list(out.columns) == list(OUTPUT_COLUMNS)
    cat = out[out["osi_personid"] == "c-cat"].sort_values("osi_rank")
    assert list(cat["osi_userid"]) == ["u-ann", "u-bob"] and list(cat["osi_rank"]) == [1, 2]
    assert cat["osi_strength"].is_monotonic_decreasing
    assert out["osi_key"].is_unique and "u-ann|c-cat" in set(out["osi_key"])
    bob = cat.iloc[1]
    # Two addresses of one contact: one row, counts added, last interaction the latest of both.
    assert (bob["osi_emailcount"], bob["osi_meetingcount"]) == (1, 1)
    assert bob["osi_lastinteractiontype"] == schema.ACTIVITY_TYPE.value("Meeting")
    assert json.loads(bob["osi_components"])["points"]
    dan = out[out["osi_personid"] == "l-dan"].iloc[0]
    assert dan["osi_persontype"] == "lead" and pd.isna(dan["osi_accountid"])
    assert "stranger@them.example" not in out.to_string()


def test_top_n_limits_colleagues_per_person() -> None:
    out = build_connections(strengths(), people=PEOPLE, users=USERS, top_n=1)
    assert out.groupby("osi_personid").size().max() == 1
    with pytest.raises(InsightError, match="top_n"):
        build_connections(strengths(), people=PEOPLE, users=USERS, top_n=0)


def test_deleted_contact_rows_disappear() -> None:
    people = {a: p for a, p in PEOPLE.items() if not a.startswith("cat")}
    out = build_connections(strengths(), people=people, users=USERS)
    assert set(out["osi_personid"]) == {"l-dan"}


def test_excluded_users_are_never_output() -> None:
    for excluded in (["u-ann"], ["ANN@us.example"]):
        out = build_connections(strengths(), people=PEOPLE, users=USERS, excluded_users=excluded)
        assert "u-ann" not in set(out["osi_userid"])
        assert "u-ann" not in set(next_change(strengths(), people=PEOPLE, users=USERS, excluded_users=excluded).index)


def test_rerun_is_identical() -> None:
    pd.testing.assert_frame_equal(build_connections(strengths(), people=PEOPLE, users=USERS),
                                  build_connections(strengths(), people=PEOPLE, users=USERS))


def test_bad_person_type_raises() -> None:
    with pytest.raises(InsightError, match="contact or lead"):
        build_connections(strengths(), people={"cat@them.example": ("c", "account", None)}, users=USERS)


def test_components_are_valid_json_whose_points_add_up() -> None:
    s = strengths()
    for text, strength in zip(components_json(s), s["strength"], strict=True):
        comp = json.loads(text)
        assert sum(comp["points"].values()) == strength
        assert list(comp) == sorted(comp)
        assert set(comp["points"]) == {"messages", "reciprocity", "meetings_calls", "relationship_age"}
        assert "recency" not in comp  # nothing in it moves with the clock


@pytest.mark.parametrize(("values", "total", "expected"), [
    ([1.0, 1.0, 1.0, 0.0], 10, [4, 3, 3, 0]),   # equal remainders: the earlier part gets the point
    ([0.0, 0.0, 0.0, 0.0], 7, [0, 0, 0, 0]),
    ([2.0, 1.0, 0.0, 1.0], 0, [0, 0, 0, 0]),
    ([0.5, 0.25, 0.25, 0.0], 3, [1, 1, 1, 0]),  # 1.5, .75, .75: the two largest remainders
])
def test_largest_remainder(values: list[float], total: int, expected: list[int]) -> None:
    assert largest_remainder([values], [total]).tolist() == [expected]


def test_next_change_is_the_earliest_step_of_any_pair_of_the_person() -> None:
    s = strengths()
    due = next_change(s, people=PEOPLE, users=USERS)
    cat = s[s["external"].isin(["cat@them.example", "cat.home@mail.example"])]
    assert due["c-cat"] == cat["valid_until"].min()
    assert due["c-cat"] > pd.Timestamp(NOW)
