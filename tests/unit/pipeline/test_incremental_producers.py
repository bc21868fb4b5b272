"""Per-item and per-contact incremental computation gives exactly what a full computation gives."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from connector.pipeline import item_cache
from connector.pipeline.contract import RunContext
from connector.pipeline.producers import talking_points as tp

NOW = datetime(2026, 5, 1, 12, tzinfo=UTC)


def _items(ids: list[str], versions: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"id": ids, "v": versions})


def _analyse(calls: list[list[str]], leave: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
    def run(todo: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
        calls.append(sorted(todo["id"]))
        done = todo[~todo["id"].isin(leave)]
        rows = pd.DataFrame({"key": [f"{i}|{v}" for i, v in zip(done["id"], done["v"], strict=True)],
                             "item": done["id"].to_list()})
        return rows, [i for i in todo["id"] if i in leave]
    return run


def test_each_item_is_analysed_once_until_it_changes_or_goes() -> None:
    calls: list[list[str]] = []
    items = _items(["a", "b", "c"], ["1", "1", "1"])

    def refresh(frame: pd.DataFrame, state: dict[str, pd.DataFrame], leave: tuple[str, ...] = ()) -> item_cache.Cached:
        return item_cache.refresh(frame, id_column="id", fingerprint=frame[["v"]], row_item_column="item",
                                  state=state, recompute_all=False, analyse=_analyse(calls, leave), sort_by="key")

    first = refresh(items, {})
    second = refresh(items, first.state)
    assert calls == [["a", "b", "c"], []] and second.rows.equals(first.rows)
    changed = refresh(_items(["a", "c", "d"], ["2", "1", "1"]), second.state)
    assert calls[-1] == ["a", "d"] and list(changed.rows["key"]) == ["a|2", "c|1", "d|1"]
    # An item the time budget left keeps its previous rows and is analysed next time.
    budget = refresh(_items(["a", "c", "d"], ["3", "1", "1"]), changed.state, leave=("a",))
    assert list(budget.rows["key"]) == ["a|2", "c|1", "d|1"] and budget.deferred == 1
    after = refresh(_items(["a", "c", "d"], ["3", "1", "1"]), budget.state)
    assert calls[-1] == ["a"] and list(after.rows["key"]) == ["a|3", "c|1", "d|1"]


def _frames(emails: list[tuple[str, str, str, str]]) -> dict[str, pd.DataFrame]:
    """E-mails as (activity id, sending contact, body, sent)."""
    acts = pd.DataFrame({
        "activity_id": [e[0] for e in emails], "activity_type": "email", "direction": "incoming",
        "owner_id": "seller", "description": [e[2] for e in emails],
        "occurred_on": pd.to_datetime([e[3] for e in emails], utc=True),
        "modified_on": pd.to_datetime([e[3] for e in emails], utc=True)})
    parties = pd.DataFrame({"activity_id": [e[0] for e in emails], "party_id": [e[1] for e in emails],
                            "participation": 1, "party_type": "contact"})
    return {"activities": acts, "parties": parties}


def _run(frames: dict[str, pd.DataFrame], state: dict[str, pd.DataFrame] | None) -> tuple[pd.DataFrame, object]:
    ctx = RunContext(now=NOW, settings=tp.TalkingPointSettings(), state=state or {}, recompute_all=state is None)
    out = tp.PRODUCER.compute(frames, ctx)
    return out.frames["osi_talkingpoint"].reset_index(drop=True), out


SKI = "We are off skiing in the Alps with the kids next week, so I will answer on Monday."
MARATHON = "I finally ran my first marathon on Sunday, my legs still hurt."
BIRTHDAY = "My daughter turns five tomorrow and we are baking her birthday cake tonight."


def test_talking_points_recompute_only_the_contacts_whose_mail_changed() -> None:
    mail = [("e1", "ann", SKI, "2026-04-01"), ("e2", "ann", MARATHON, "2026-04-10"),
            ("e3", "bob", BIRTHDAY, "2026-04-02")]
    full, first = _run(_frames(mail), None)
    assert set(full["osi_contactid"]) == {"ann", "bob"}
    # Bob writes again; then Ann's latest e-mail is deleted: each run reads only that contact's mail, and gives
    # what a full computation gives.
    mail.append(("e4", "bob", SKI, "2026-04-20"))
    got, second = _run(_frames(mail), first.state)
    assert second.evaluated == 2 and got.equals(_run(_frames(mail), None)[0])
    mail = [m for m in mail if m[0] != "e2"]
    got, third = _run(_frames(mail), second.state)
    assert third.evaluated == 1 and got.equals(_run(_frames(mail), None)[0])
