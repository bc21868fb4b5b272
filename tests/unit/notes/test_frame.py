"""analyze_notes: osi_notesuggestion rows, stable keys, time zones, bad records."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest

from connector import schema
from connector.canonical import empty_frame
from connector.errors import ConfigurationError
from connector.insights.notes import SUGGESTION_COLUMNS, analyze_notes

NOW = dt.datetime(2026, 5, 1, tzinfo=dt.UTC)


def _notes(*rows: dict) -> pd.DataFrame:
    base = {"object_id": "acc-1", "object_type": "account", "subject": None, "owner_id": "u1",
            "created_on": pd.Timestamp("2026-04-28T07:30Z"), "modified_on": pd.NaT}
    return pd.DataFrame([{**base, **row} for row in rows])


def test_rows_have_the_schema_columns_and_values() -> None:
    frame = analyze_notes(_notes({"note_id": "n1", "text": "Meet the customer on May 4 at 4:00 PM"}),
                          now=NOW, org_timezone="Europe/Paris")
    assert tuple(frame.columns) == SUGGESTION_COLUMNS
    row = frame.iloc[0]
    assert row["osi_suggestiontype"] == schema.SUGGESTION_TYPE.value("Appointment")
    assert row["osi_suggestionstatus"] == schema.SUGGESTION_STATUS.value("New")
    assert row["osi_start"] == pd.Timestamp("2026-05-04T14:00Z")
    assert (row["osi_noteid"], row["osi_regardingid"], row["osi_regardingtype"]) == ("n1", "acc-1", "account")
    payload = json.loads(row["osi_payload"])
    assert payload["regarding"] == {"id": "acc-1", "type": "account"}
    assert payload["start"] == "2026-05-04T14:00:00Z"
    assert len(row["osi_key"]) <= 200


def test_keys_are_stable_and_distinct() -> None:
    notes = _notes({"note_id": "n1", "text": "Call Ana tomorrow. Send me the brochure. Customer unhappy."},
                   {"note_id": "n2", "text": "Call Ana tomorrow."})
    first = analyze_notes(notes, now=NOW)
    again = analyze_notes(notes, now=NOW)
    assert list(first["osi_key"]) == list(again["osi_key"])
    assert first["osi_key"].is_unique
    assert len(first) == 4
    edited = notes.copy()
    edited.loc[0, "text"] = "Call Ana tomorrow. Send me the price list. Customer unhappy."
    changed = analyze_notes(edited, now=NOW)
    kept = set(first["osi_key"]) & set(changed["osi_key"])
    assert len(kept) == 3  # only the edited sentence's suggestion gets a new key


def test_owner_time_zone_then_organisation_default() -> None:
    notes = _notes({"note_id": "n1", "text": "Call Ana tomorrow at 9am", "owner_id": "ny"},
                   {"note_id": "n2", "text": "Call Ana tomorrow at 9am", "owner_id": "other"})
    frame = analyze_notes(notes, now=NOW, org_timezone="Europe/Paris", user_timezones={"ny": "America/New_York"})
    assert list(frame["osi_start"]) == [pd.Timestamp("2026-04-29T13:00Z"), pd.Timestamp("2026-04-29T07:00Z")]


def test_bad_records_are_reported_and_the_rest_goes_on() -> None:
    notes = _notes({"note_id": None, "text": "Call Ana tomorrow"},
                   {"note_id": "n2", "text": 12345},
                   {"note_id": "n3", "text": "Call Ana tomorrow", "owner_id": "u9"},
                   {"note_id": "n4", "text": None},
                   {"note_id": "n5", "text": "Call Ana tomorrow", "created_on": pd.NaT})
    errors: list = []
    frame = analyze_notes(notes, user_timezones={"u9": "Not/AZone"}, errors=errors)
    assert sorted(frame["osi_noteid"]) == ["n3"]
    assert sorted((e.record_id or "", e.field) for e in errors) == [("", "annotationid"), ("n2", "notetext"),
                                                                    ("n5", "createdon"), ("u9", "timezone")]
    assert all("Ana" not in str(e) for e in errors)


def test_empty_canonical_frame_and_bad_settings() -> None:
    frame = analyze_notes(empty_frame("notes"), now=NOW)
    assert frame.empty and tuple(frame.columns) == SUGGESTION_COLUMNS
    with pytest.raises(ConfigurationError):
        analyze_notes(empty_frame("notes"), now=NOW, org_timezone="Nowhere")
    with pytest.raises(ConfigurationError):
        analyze_notes(_notes({"note_id": "n1", "text": "hi"}), now=NOW, languages=("xx",))
