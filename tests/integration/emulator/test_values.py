"""#17 item 12: Dataverse's date range with four-digit years, and 400 (never 500) for text that is not Unicode."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from emulator.values import format_date, format_dt

pytestmark = pytest.mark.integration


def test_years_are_always_four_digits():
    assert format_dt(datetime(1, 1, 1, tzinfo=UTC)) == "0001-01-01T00:00:00Z"
    assert format_date(datetime(999, 3, 4, tzinfo=UTC)) == "0999-03-04"


@pytest.mark.parametrize("value", ["1753-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "9999-12-31"])
def test_both_ends_of_the_range_are_stored_and_read_back(api, value):
    record = api.create("opportunities", {"name": "edge", "estimatedclosedate": value})
    r = api.get(f"opportunities({record})?$select=estimatedclosedate")
    assert r.status_code == 200 and r.json()["estimatedclosedate"].startswith(value[:10])
    listed = api.get("opportunities?$select=estimatedclosedate&$orderby=estimatedclosedate")
    assert listed.status_code == 200


@pytest.mark.parametrize("value", ["0001-01-01T00:00:00Z", "1752-12-31T23:59:59Z", "0999-06-01"])
def test_dates_before_1753_are_refused_and_the_table_stays_readable(api, value):
    r = api.post("opportunities", {"name": "early", "estimatedclosedate": value})
    assert r.status_code == 400 and r.json()["error"]["code"] == "0x80044331"
    assert "1753-01-01 to 9999-12-31" in r.json()["error"]["message"]
    assert api.get("opportunities?$select=estimatedclosedate").status_code == 200


@pytest.mark.parametrize("body", [b'{"name": "a\\ud800b"}', b'{"name": "\\udfff"}'])
def test_lone_surrogates_are_a_400(api, body):
    r = api.session.post(api.base + "accounts", data=body, headers={"Content-Type": "application/json"}, timeout=30)
    assert r.status_code == 400 and "name" in r.json()["error"]["message"]
    assert api.get("accounts?$select=name").status_code == 200


def test_bytes_that_are_not_utf8_are_a_400(api):
    r = api.session.post(api.base + "accounts", data=b'{"name": "\xff\xfe"}',
                         headers={"Content-Type": "application/json"}, timeout=30)
    assert r.status_code == 400


def test_hostile_but_valid_text_round_trips(api):
    text = "O'Brien / \u202eRTL\u202c 😀 <b>x</b> \x07\t" + "é" * 10
    record = api.create("accounts", {"name": text[:160]})
    assert api.get(f"accounts({record})?$select=name").json()["name"] == text[:160]
