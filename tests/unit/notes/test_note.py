"""analyze_note: one note in, its rows out; pure, bounded, and safe with any date a note can name."""

from __future__ import annotations

import datetime as dt
import itertools

import pandas as pd
import pytest

from connector.insights.notes import MAX_TEXT_CHARS, Note, analyze_note, analyze_notes

CREATED = dt.datetime(2026, 4, 28, 7, 30, tzinfo=dt.UTC)


def _note(text: object, note_id: str = "n1", **fields: object) -> Note:
    return Note(note_id, text, fields.pop("created_on", CREATED), **fields)  # type: ignore[arg-type]


def test_relative_dates_resolve_against_the_note_not_the_run() -> None:
    note = _note("Call Ana tomorrow at 9am")
    result = analyze_note(note, timezone="Europe/Paris")
    assert [r["osi_start"] for r in result.rows] == [dt.datetime(2026, 4, 29, 7, 0, tzinfo=dt.UTC)]
    frame = pd.DataFrame([{"note_id": "n1", "text": note.text, "created_on": CREATED, "modified_on": CREATED,
                           "owner_id": "u", "object_id": "a", "object_type": "account", "subject": None}])
    early = analyze_notes(frame, org_timezone="Europe/Paris", now=dt.datetime(2026, 4, 28, 8, tzinfo=dt.UTC))
    late = analyze_notes(frame, org_timezone="Europe/Paris", now=dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    pd.testing.assert_frame_equal(early, late)
    assert list(early["osi_start"]) == [pd.Timestamp("2026-04-29T07:00Z")]


def test_modification_time_is_the_reference_only_without_a_creation_time() -> None:
    note = _note("Call Ana tomorrow", created_on=None, modified_on=dt.datetime(2026, 5, 10, 9, tzinfo=dt.UTC))
    assert [r["osi_start"] for r in analyze_note(note, timezone="UTC").rows] == [
        dt.datetime(2026, 5, 11, tzinfo=dt.UTC)]


@pytest.mark.parametrize(("text", "zone"), list(itertools.product(
    ["Call back on 9999-12-31 at 23:59", "Call back on 12/31/9999 at 11pm", "Rappeler le 31/12/9999 à 23h59",
     "Meeting on 0001-01-01 at 9am", "Meeting on Jan 1, 0001 at 00:30", "Call back on 2300-01-01",
     "Send the deck by 1700-01-01", "Call 3 days after 9999-12-31", "Meet on December 31st 9999 at 11:59 pm"],
    ["America/Toronto", "Asia/Tokyo", "Pacific/Kiritimati", "Pacific/Pago_Pago"])))
def test_extreme_dates_never_raise_and_are_reported_per_note(text: str, zone: str) -> None:
    result = analyze_note(_note(text), timezone=zone)
    for row in result.rows:
        for column in ("osi_start", "osi_due"):
            value = row[column]
            assert value is None or dt.datetime(1753, 1, 1, tzinfo=dt.UTC) <= value < dt.datetime(
                2262, 4, 11, tzinfo=dt.UTC)
    rejected = [p for p in result.problems if p.field == "notetext"]
    assert all(p.record_id == "n1" and "9999" not in str(p) for p in rejected)


def test_a_far_date_leaves_its_suggestion_undated_and_names_the_note() -> None:
    result = analyze_note(_note("Call back on 9999-12-31 at 23:59"), timezone="America/Toronto")
    assert [(r["osi_start"], r["osi_due"]) for r in result.rows] == [(None, None)]
    assert [(p.table, p.record_id, p.field) for p in result.problems] == [("annotation", "n1", "notetext")]


def test_extreme_dates_do_not_cost_the_other_notes() -> None:
    texts = ["Call back on 9999-12-31 at 23:59", "Meeting on 0001-01-01 at 9am", "Call Ana tomorrow at 9am"]
    frame = pd.DataFrame([{"note_id": f"n{i}", "text": t, "created_on": CREATED, "modified_on": pd.NaT,
                           "owner_id": "u", "object_id": "a", "object_type": "account", "subject": None}
                          for i, t in enumerate(texts)])
    errors: list = []
    out = analyze_notes(frame, org_timezone="America/Toronto", errors=errors)
    assert "n2" in set(out["osi_noteid"])
    assert out["osi_start"].dtype == "datetime64[ns, UTC]"
    assert {e.record_id for e in errors} <= {"n0", "n1"}


def test_a_creation_time_out_of_range_is_a_record_problem() -> None:
    result = analyze_note(_note("Call Ana tomorrow", created_on=dt.datetime(9999, 12, 31, 22, tzinfo=dt.UTC)),
                          timezone="Asia/Tokyo")
    assert result.rows == () and [p.field for p in result.problems] == ["createdon"]


def test_huge_note_is_cut_to_the_cap_and_says_so() -> None:
    sentence = "Call Ana tomorrow at 9am about the renewal. "
    text = sentence * (3 * MAX_TEXT_CHARS // len(sentence))
    result = analyze_note(_note(text), timezone="UTC")
    assert result.truncated
    assert result.rows and all(int(r["osi_spanend"]) <= MAX_TEXT_CHARS for r in result.rows)  # type: ignore[call-overload]
    assert not analyze_note(_note(sentence), timezone="UTC").truncated


def test_huge_note_without_punctuation_or_with_many_dates_is_bounded() -> None:
    for text in ("word " * 400_000, "Meet May 4 at 4pm, call June 5 at 9am " * 20_000, "<p>" * 300_000):
        result = analyze_note(_note(text), timezone="UTC")
        assert len(result.rows) <= MAX_TEXT_CHARS


def test_past_the_budget_notes_are_deferred_and_named() -> None:
    frame = pd.DataFrame([{"note_id": f"n{i}", "text": "Call Ana tomorrow", "created_on": CREATED,
                           "modified_on": CREATED + dt.timedelta(minutes=i), "owner_id": "u", "object_id": "a",
                           "object_type": "account", "subject": None} for i in range(5)])
    ticks = itertools.count()
    deferred: list[str] = []
    out = analyze_notes(frame, budget_seconds=2.5, deferred=deferred, clock=lambda: float(next(ticks)))
    analysed = set(out["osi_noteid"])
    assert analysed == {"n4", "n3"}  # most recently modified first
    assert sorted(deferred) == ["n0", "n1", "n2"]
    assert analysed.isdisjoint(deferred)


def test_row_order_and_duplicate_ids_do_not_change_the_result() -> None:
    rows = [{"note_id": "n1", "text": "Call Ana tomorrow. Send the brochure.", "created_on": CREATED},
            {"note_id": "n1", "text": "Call Ana tomorrow. Send the price list.", "created_on": CREATED},
            {"note_id": "n2", "text": "Customer unhappy with delays", "created_on": CREATED}]
    frame = pd.DataFrame([{**r, "modified_on": CREATED, "owner_id": "u", "object_id": "a", "object_type": "account",
                           "subject": None} for r in rows])
    first = analyze_notes(frame)
    for order in itertools.permutations(range(3)):
        pd.testing.assert_frame_equal(analyze_notes(frame.iloc[list(order)].reset_index(drop=True)), first)
