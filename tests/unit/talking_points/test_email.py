"""analyze_email: one e-mail in, its mentions out; bounded on huge bodies; the frame on top is deterministic."""

from __future__ import annotations

import datetime as dt
import itertools

import pandas as pd

from connector.insights.talking_points import Email, analyze_email, find_talking_points
from connector.insights.talking_points.text import MAX_BODY_CHARS

SENT = dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC)
NOW = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)


def _frame(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame({"activity_id": [r[0] for r in rows], "contact_id": [r[1] for r in rows],
                         "description": [r[2] for r in rows], "occurred_on": pd.to_datetime([r[3] for r in rows]),
                         "activity_type": "email", "direction": "incoming"})


def test_one_email_gives_its_mentions_whatever_the_run() -> None:
    email = Email("e1", "c1", "My daughter loved her first week at school.", SENT)
    result = analyze_email(email)
    assert [(m.topic, m.source, m.contact_id, m.when) for m in result.mentions] == [("family", "e1", "c1", SENT)]
    assert result.lang == "en" and not result.truncated
    assert analyze_email(email) == result
    assert analyze_email(Email("e2", "c1", None, SENT)).mentions == ()
    assert analyze_email(email, languages=("fr",)).mentions == ()


def test_huge_bodies_are_cut_and_flagged() -> None:
    remark = "We just got back from a week of skiing in the Alps with the kids. "
    for body in (remark * (3 * MAX_BODY_CHARS // len(remark)), "<div>" + "<p>word</p>" * 150_000 + "</div>",
                 "x" * 1_000_000):
        result = analyze_email(Email("e1", "c1", body, SENT))
        assert result.truncated
        assert all(len(m.snippet) <= 200 for m in result.mentions)


def test_past_the_budget_emails_are_deferred_most_recent_first() -> None:
    rows = [(f"e{i}", f"c{i}", "My son started school this week.", f"2026-03-0{i + 1}T09:00Z") for i in range(5)]
    ticks = itertools.count()
    deferred: list[str] = []
    out = find_talking_points(_frame(rows), now=NOW, budget_seconds=2.5, deferred=deferred,
                              clock=lambda: float(next(ticks)))
    assert sorted(out["osi_sourceemailid"]) == ["e3", "e4"]
    assert sorted(deferred) == ["e0", "e1", "e2"]


def test_row_order_and_duplicate_ids_do_not_change_the_rows() -> None:
    rows = [("e1", "c1", "My daughter loved the zoo.", "2026-03-01T09:00Z"),
            ("e1", "c1", "My son loved the museum.", "2026-03-01T09:00Z"),
            ("e2", "c1", "My wife and I loved the play.", "2026-03-01T09:00Z"),
            ("e3", "c2", "Back from a week in Crete with the family.", "2026-03-01T09:00Z")]
    first = find_talking_points(_frame(rows), now=NOW)
    assert len(first) >= 2
    for order in itertools.permutations(range(len(rows))):
        again = find_talking_points(_frame([rows[i] for i in order]), now=NOW)
        pd.testing.assert_frame_equal(again, first)
