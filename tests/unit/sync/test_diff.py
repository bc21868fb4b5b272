"""The diff writes exactly what changed, in Dataverse's form, and deletes only what it may."""

from __future__ import annotations

import json

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from connector import schema
from connector.sync.diff import Target, normalize, plan_writes

CONTACT = Target("contact", "contacts", "update", "contactid")
CONNECTION = Target("osi_connection", "osi_connections", "upsert", "osi_key")
SUGGESTION = Target("osi_notesuggestion", "osi_notesuggestions", "upsert", "osi_key",
                    create_only=("osi_suggestionstatus",),
                    keep_values=("osi_suggestionstatus", (schema.SUGGESTION_STATUS.value("Accepted"),)))
A, B, C = "00000000-0000-0000-0000-00000000000a", "00000000-0000-0000-0000-00000000000b", \
    "00000000-0000-0000-0000-00000000000c"


def col(table: str, name: str) -> schema.ColumnDef:
    return {c.logical_name: c for c in schema.all_columns()[table]}[name]


def test_normalize_matches_what_dataverse_returns() -> None:
    assert normalize(pd.Timestamp("2025-01-02 03:04:05.678", tz="UTC"), col("contact", "osi_lastactivityon")) \
        == "2025-01-02T03:04:05Z"
    assert normalize(3.14159, col("contact", "osi_responsehoursteam")) == 3.14
    assert normalize(float("nan"), col("contact", "osi_healthscore")) is None
    assert normalize(pd.NA, col("contact", "osi_healthscore")) is None
    assert normalize(42.0, col("contact", "osi_healthscore")) == 42
    assert normalize('{"b": 1, "a": 2}', col("contact", "osi_analytics")) == '{"a":2,"b":1}'
    assert normalize("x" * 500, col("osi_talkingpoint", "osi_snippet")) == "x" * 200


def test_update_writes_only_changed_columns_of_existing_records() -> None:
    current = pd.DataFrame({"contact_id": [A, B], "osi_healthscore": [50, 70], "osi_emailssent": [3, 4]})
    computed = pd.DataFrame({"contactid": [A, B, C], "osi_healthscore": [50.0, 71.0, 10.0],
                             "osi_emailssent": [3, 4, 1]})
    writes = plan_writes(CONTACT, computed, current, current_id_column="contact_id")
    assert [(w.kind, w.key, dict(w.body)) for w in writes] == [("update", B, {"osi_healthscore": 71})]


def test_no_change_means_no_write() -> None:
    current = pd.DataFrame({"contact_id": [A], "osi_lastactivityon": ["2025-01-02T03:04:05Z"]})
    computed = pd.DataFrame({"contactid": [A], "osi_lastactivityon": [pd.Timestamp("2025-01-02 03:04:05", tz="UTC")]})
    assert plan_writes(CONTACT, computed, current, current_id_column="contact_id") == []


def test_upsert_creates_new_rows_without_the_key_in_the_body_and_deletes_stale_ones() -> None:
    current = pd.DataFrame({"osi_key": ["u1|p1", "u1|p2"], "osi_connectionid": [A, B], "osi_strength": [10, 20]})
    computed = pd.DataFrame({"osi_key": ["u1|p1", "u1|p3"], "osi_strength": [10, 30]})
    writes = plan_writes(CONNECTION, computed, current, primary_id="osi_connectionid")
    assert [(w.kind, w.key, dict(w.body)) for w in writes] == [
        ("upsert", "u1|p3", {"osi_strength": 30}),
        ("delete", B, {}),
    ]


def test_no_deletes_when_the_computation_was_incomplete() -> None:
    current = pd.DataFrame({"osi_key": ["k"], "osi_connectionid": [A], "osi_strength": [10]})
    computed = pd.DataFrame({"osi_key": pd.Series([], dtype="string"), "osi_strength": []})
    assert plan_writes(CONNECTION, computed, current, primary_id="osi_connectionid", allow_deletes=False) == []


def test_a_sellers_choice_survives_reruns() -> None:
    accepted = schema.SUGGESTION_STATUS.value("Accepted")
    new = schema.SUGGESTION_STATUS.value("New")
    current = pd.DataFrame({"osi_key": ["s1", "s2"], "osi_notesuggestionid": [A, B],
                            "osi_suggestionstatus": [accepted, accepted], "osi_confidence": [0.5, 0.5]})
    computed = pd.DataFrame({"osi_key": ["s1"], "osi_suggestionstatus": [new], "osi_confidence": [0.9]})
    writes = plan_writes(SUGGESTION, computed, current, primary_id="osi_notesuggestionid")
    # Status is not reset to New; the accepted suggestion whose note changed (s2) is kept.
    assert [(w.kind, w.key, dict(w.body)) for w in writes] == [("upsert", "s1", {"osi_confidence": 0.9})]


def test_a_moved_computed_on_stamp_alone_is_not_a_change() -> None:
    target = Target("contact", "contacts", "update", "contactid", stamp_columns=("osi_insightscomputedon",))
    current = pd.DataFrame({"contact_id": [A, B], "osi_healthscore": [50, 60],
                            "osi_insightscomputedon": ["2025-01-01T00:00:00Z"] * 2})
    computed = pd.DataFrame({"contactid": [A, B], "osi_healthscore": [50, 61],
                             "osi_insightscomputedon": [pd.Timestamp("2025-01-02", tz="UTC")] * 2})
    writes = plan_writes(target, computed, current, current_id_column="contact_id")
    assert [(w.key, dict(w.body)) for w in writes] == [
        (B, {"osi_healthscore": 61, "osi_insightscomputedon": "2025-01-02T00:00:00Z"})]


def test_keys_dataverse_would_refuse_are_reported_not_sent() -> None:
    from connector.sync.diff import Write
    from connector.sync.load import execute_writes

    class NoCalls:
        def submit_batch(self, ops, **kwargs):
            assert not ops
            return []

    result = execute_writes(NoCalls(), [Write("upsert", "osi_connection", "osi_connections", "a:b", {"osi_rank": 1})])
    assert result.written == {}
    assert result.failed[0]["id"] == "a:b" and "refuses" in result.failed[0]["error"]


def test_a_clock_move_alone_plans_no_write() -> None:
    from datetime import UTC, datetime

    from connector.pipeline.producers.relationship import same_analytics

    target = Target("contact", "contacts", "update", "contactid", stamp_columns=("osi_insightscomputedon",),
                    same_as_shown={"osi_analytics": same_analytics})
    held = {"as_of": "2026-03-01T12:00:00+00:00", "history_days": 90,
            "daily": {"2025-12-01": {"emails_sent": 1}, "2026-02-27": {"emails_sent": 2}}}
    # A day later: the computation no longer holds the day that left the 90-day window, and its stamp moved.
    moved = {"as_of": "2026-03-02T12:00:00+00:00", "history_days": 90, "daily": {"2026-02-27": {"emails_sent": 2}}}
    current = pd.DataFrame({"contact_id": [A], "osi_analytics": [json.dumps(held)],
                            "osi_insightscomputedon": ["2026-03-01T12:00:00Z"]})
    computed = pd.DataFrame({"contactid": [A], "osi_analytics": [json.dumps(moved, indent=2)],
                             "osi_insightscomputedon": [pd.Timestamp("2026-03-02T12:00Z")]})
    now = datetime(2026, 3, 2, 12, tzinfo=UTC)
    assert plan_writes(target, computed, current, current_id_column="contact_id", now=now) == []
    # A real change inside the window is written.
    moved["daily"]["2026-02-27"]["emails_sent"] = 3
    computed["osi_analytics"] = [json.dumps(moved)]
    writes = plan_writes(target, computed, current, current_id_column="contact_id", now=now)
    assert [set(w.body) for w in writes] == [{"osi_analytics", "osi_insightscomputedon"}]


def test_memo_json_in_another_key_order_is_no_change() -> None:
    current = pd.DataFrame({"contact_id": [A], "osi_healthreasons": ['{"b": 1, "a": [1, 2]}']})
    computed = pd.DataFrame({"contactid": [A], "osi_healthreasons": ['{"a": [1, 2], "b": 1}']})
    assert plan_writes(CONTACT, computed, current, current_id_column="contact_id") == []


def test_text_is_compared_as_dataverse_holds_it_whichever_side_is_missing_or_differs() -> None:
    analytics = col("contact", "osi_analytics")
    held = pd.DataFrame({"contact_id": pd.array([A, B, C], dtype="string"),
                         "osi_analytics": pd.array(['{"a": 1, "b": 2}', pd.NA, '{"a": 1}'], dtype="string")})
    computed = pd.DataFrame({"contactid": [A, B, C],
                             "osi_analytics": ['{"b": 2, "a": 1}', '{"a": 3}', '{"a": 1}']})
    writes = plan_writes(CONTACT, computed, held, current_id_column="contact_id")
    assert [(w.key, dict(w.body)) for w in writes] == [(B, {"osi_analytics": normalize('{"a": 3}', analytics)})]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(['{"a": 1, "b": [2]}', '{"b": [2], "a": 1}', '{"a": 2}', "plain",
                                            "x" * 300, None]),
                          st.sampled_from(['{"a": 1, "b": [2]}', '{"b": [2], "a": 1}', '{"a": 2}', "plain",
                                           "x" * 300, None, "held-missing"])), min_size=1, max_size=8))
def test_the_diff_of_text_equals_comparing_every_value_normalised(pairs: list[tuple[str | None, str | None]]) -> None:
    """Texts equal on both sides skip normalising: the writes are those of normalising every value."""
    point = col("osi_talkingpoint", "osi_snippet")
    keys = [f"k{i}" for i in range(len(pairs))]
    target = Target("osi_talkingpoint", "osi_talkingpoints", "upsert", "osi_key", delete_missing=False)
    computed = pd.DataFrame({"osi_key": keys, "osi_snippet": [w for w, _ in pairs]})
    held_rows = [(k, h) for k, (_, h) in zip(keys, pairs, strict=True) if h != "held-missing"]
    current = pd.DataFrame({"osi_key": [k for k, _ in held_rows], "osi_snippet": [h for _, h in held_rows]})
    got = {w.key: dict(w.body) for w in plan_writes(target, computed, current)}
    held = dict(held_rows)
    expected = {}
    for k, (w, _) in zip(keys, pairs, strict=True):
        want = normalize(w, point)
        if k not in held:
            expected[k] = {"osi_snippet": want} if want is not None else {}
        elif want != normalize(held[k], point):
            expected[k] = {"osi_snippet": want}
    assert got == {k: v for k, v in expected.items() if v}
