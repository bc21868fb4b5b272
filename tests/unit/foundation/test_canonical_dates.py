"""#17 item 3: every date Dataverse accepts survives the canonical frames (no overflow, the record named)."""

from __future__ import annotations

import pandas as pd
import pytest

from connector import canonical
from connector.sync.extract import _check_dates
from connector.sync.streams import STREAMS

OPP = "0f8fad5b-d9cb-469f-a165-70867728950e"


@pytest.mark.parametrize(("raw", "expected"), [
    ("9999-12-31T00:00:00Z", canonical.LATEST),  # valid in Dataverse; beyond pandas' nanoseconds (2262)
    ("9999-12-31", canonical.LATEST),
    ("2262-04-12T00:00:00Z", canonical.LATEST),
    ("2199-12-31T23:59:59Z", pd.Timestamp("2199-12-31T23:59:59Z")),
    ("1753-01-01T00:00:00Z", pd.Timestamp("1753-01-01T00:00:00Z")),  # Dataverse's first day
    ("0001-01-01T00:00:00Z", canonical.EARLIEST),
    ("1600-06-01", canonical.EARLIEST),
    ("not a date", pd.NaT),
    ("9999-99-99", pd.NaT),
    (None, pd.NaT),
])
def test_conform_keeps_every_dataverse_date_representable(raw, expected):
    df = pd.DataFrame({"opportunity_id": [OPP, "b"], "estimated_close_date": [raw, "2024-05-01T00:00:00Z"]})
    out = canonical.conform(df, "opportunities")
    assert str(out["estimated_close_date"].dtype) == canonical.UTC_DT
    value = out["estimated_close_date"].iloc[0]
    assert (pd.isna(value) and pd.isna(expected)) or value == expected
    assert out["estimated_close_date"].iloc[1] == pd.Timestamp("2024-05-01T00:00:00Z")


def test_conform_clips_parsed_datetimes_too():
    values = pd.Series(pd.to_datetime(["9999-12-31", "2020-01-01"], utc=True).as_unit("us"))
    out = canonical.conform(pd.DataFrame({"opportunity_id": ["a", "b"], "actual_close_date": values}), "opportunities")
    assert list(out["actual_close_date"]) == [canonical.LATEST, pd.Timestamp("2020-01-01", tz="UTC")]


def test_the_latest_date_leaves_room_for_arithmetic():
    frame = canonical.conform(pd.DataFrame({"opportunity_id": ["a"], "estimated_close_date": ["9999-12-31"]}),
                              "opportunities")
    later = frame["estimated_close_date"] + pd.Timedelta(days=3650)
    assert later.iloc[0].year == 2209


def test_check_dates_names_record_and_field():
    rows = [{"opportunityid": OPP, "estimatedclosedate": "9999-12-31T00:00:00Z", "createdon": "2024-01-01T00:00:00Z"},
            {"opportunityid": "b", "estimatedclosedate": "soon", "createdon": "2024-01-01T00:00:00Z"},
            {"opportunityid": "c", "estimatedclosedate": None, "createdon": "1753-01-01T00:00:00Z"}]
    problems = canonical.check_dates("opportunity", "opportunityid", rows, ["estimatedclosedate", "createdon"])
    assert [(p.table, p.record_id, p.field) for p in problems] == [
        ("opportunity", OPP, "estimatedclosedate"), ("opportunity", "b", "estimatedclosedate")]
    assert "kept as 2200-01-01" in problems[0].problem and problems[1].problem == "not a valid date-time"
    assert str(problems[0]).startswith(f"opportunity({OPP}).estimatedclosedate: 9999-12-31")


def test_extract_date_check_reports_a_valid_9999_date_without_raising():
    spec = next(s for s in STREAMS if s.entity_set == "opportunities")
    errors: list = []
    _check_dates(spec, [{"opportunityid": OPP, "estimatedclosedate": "9999-12-31T00:00:00Z"}], errors)
    assert [(e.record_id, e.field) for e in errors] == [(OPP, "estimatedclosedate")]
