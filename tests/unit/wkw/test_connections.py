"""osi_connection rows, company roll-up, deletion and exclusion."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from connector import schema
from connector.errors import InsightError
from connector.insights.wkw import connection_strengths
from connector.insights.wkw.connections import OUTPUT_COLUMNS, Person, build_connections, company_rollup

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
        rolled = company_rollup(strengths(), people=PEOPLE, users=USERS, excluded_users=excluded)
        assert "u-ann" not in set(rolled["user_id"])


def test_rerun_is_identical() -> None:
    pd.testing.assert_frame_equal(build_connections(strengths(), people=PEOPLE, users=USERS),
                                  build_connections(strengths(), people=PEOPLE, users=USERS))


def test_bad_person_type_raises() -> None:
    with pytest.raises(InsightError, match="contact or lead"):
        build_connections(strengths(), people={"cat@them.example": ("c", "account", None)}, users=USERS)


def test_company_rollup_through_contacts_and_domains() -> None:
    s = strengths()
    rolled = company_rollup(s, people=PEOPLE, users=USERS, domains={"them.example": "a-them"})
    ann = rolled[(rolled["user_id"] == "u-ann") & (rolled["account_id"] == "a-them")].iloc[0]
    # Ann knows Cat (contact) and a stranger at the same domain: stronger than Cat alone, at most 100.
    pair = (s["internal"] == "ann@us.example") & (s["external"] == "cat@them.example")
    cat_alone = int(s[pair]["strength"].iloc[0])
    assert cat_alone <= ann["strength"] <= 100 and ann["people"] == 2
    assert ann["strongest_address"] == "cat@them.example"
    assert company_rollup(s.iloc[0:0], people=PEOPLE, users=USERS).empty


def test_introduction_paths_go_through_the_colleague_who_knows() -> None:
    from connector.insights.wkw.connections import introduction_paths

    colleagues = pd.DataFrame({"internal": ["ann@us.example", "ann@us.example"],
                               "external": ["bob@us.example", "eve@us.example"], "strength": [80, 10]})
    known = pd.DataFrame({"internal": ["bob@us.example", "eve@us.example", "ann@us.example"],
                          "external": ["cat@them.example", "cat@them.example", "dan@them.example"],
                          "strength": [50, 90, 70]})
    paths = introduction_paths(colleagues, known)
    ann_cat = paths[(paths["colleague"] == "ann@us.example") & (paths["person"] == "cat@them.example")]
    assert list(ann_cat["via"]) == ["bob@us.example", "eve@us.example"]  # 80·50/100 = 40 beats 10·90/100 = 9
    assert list(ann_cat["strength"]) == [40, 9]
    # Bob reaches Dan through Ann (pairs are read both ways); no one is their own intermediary.
    assert {"bob@us.example"} <= set(paths[paths["person"] == "dan@them.example"]["colleague"])
    assert not (paths["colleague"] == paths["via"]).any()
    assert (paths["strength"] <= paths[["colleague_via", "via_person"]].min(axis=1)).all()
    assert introduction_paths(colleagues.iloc[0:0], known).empty
