"""OData literals and keys: quotes doubled, GUIDs bare, hostile input cannot escape a string or a key."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from connector import odata

GUID = uuid.UUID("0f8fad5b-d9cb-469f-a165-70867728950e")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("O'Bryan", "'O''Bryan'"),
        ("''", "''''''"),
        ("", "''"),
        (None, "null"),
        (True, "true"),
        (False, "false"),
        (42, "42"),
        (-1.5, "-1.5"),
        (Decimal("20000.0000"), "20000.0000"),
        (GUID, "0f8fad5b-d9cb-469f-a165-70867728950e"),
        ("0f8fad5b-d9cb-469f-a165-70867728950e", "'0f8fad5b-d9cb-469f-a165-70867728950e'"),
        (datetime(2024, 1, 31, 10, 30, tzinfo=timezone(timedelta(hours=1))), "2024-01-31T09:30:00Z"),
        (datetime(2024, 1, 31, 9, 30, 5, 999, tzinfo=UTC), "2024-01-31T09:30:05Z"),
        (date(2024, 2, 29), "2024-02-29"),
    ],
)
def test_literal(value, expected):
    assert odata.literal(value) == expected


@pytest.mark.parametrize("bad", [datetime(2024, 1, 1), float("nan"), float("inf"), Decimal("NaN")])
def test_literal_rejects_ambiguous_values(bad):
    with pytest.raises(ValueError):
        odata.literal(bad)


def test_literal_rejects_unknown_types():
    with pytest.raises(TypeError):
        odata.literal(object())


HOSTILE = [
    "x' or 1 eq 1 or name eq 'y",
    "') or contains(fullname,'",
    "a'b''c'''",
    "%27 or true",
    "name eq 'x'&$top=1",
    "é'\u0000\n\r\t😀",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_strings_stay_one_literal(value):
    clause = odata.eq("fullname", value)
    literal = clause.removeprefix("fullname eq ")
    assert literal.startswith("'") and literal.endswith("'")
    inner = literal[1:-1]
    # Every quote inside is doubled, so the literal cannot end early.
    assert re.fullmatch(r"(?:[^']|'')*", inner, re.S)
    assert inner.replace("''", "'") == value


@given(st.text())
def test_any_string_round_trips(value):
    inner = odata.literal(value)[1:-1]
    assert re.fullmatch(r"(?:[^']|'')*", inner, re.S)
    assert inner.replace("''", "'") == value


@pytest.mark.parametrize("bad_name", ["name eq 'x'", "a b", "x)", "", "1abc", "name;drop", "a/ b", "$filter"])
def test_names_are_checked(bad_name):
    with pytest.raises(ValueError):
        odata.name(bad_name)
    with pytest.raises(ValueError):
        odata.eq(bad_name, 1)


def test_key_segment_guid_and_alternate_keys():
    assert odata.key_segment("{0F8FAD5B-D9CB-469F-A165-70867728950E}") == "(0f8fad5b-d9cb-469f-a165-70867728950e)"
    assert odata.key_segment(GUID) == f"({GUID})"
    assert odata.key_segment({"osi_key": "a'b"}) == "(osi_key='a''b')"
    assert odata.key_segment({"firstname": "Joe", "osi_n": 3}) == "(firstname='Joe',osi_n=3)"
    path = odata.entity_path("accounts", {"_primarycontactid_value": GUID})
    assert path == f"accounts(_primarycontactid_value={GUID})"


@pytest.mark.parametrize("bad_key", ["not-a-guid", "x) or (1", "", {}, {"bad name": "v"}, {"k')": "v"}])
def test_key_segment_rejects_hostile_keys(bad_key):
    with pytest.raises(ValueError):
        odata.key_segment(bad_key)


def test_hostile_alternate_key_value_stays_quoted():
    segment = odata.key_segment({"osi_key": "x'),accounts(name='y"})
    assert segment == "(osi_key='x''),accounts(name=''y')"
    # Characters that would split or end a URL path are percent-encoded.
    assert odata.key_segment({"osi_key": "a b&c#d?e/f%g+h;é"}) == "(osi_key='a%20b%26c%23d%3Fe%2Ff%25g%2Bh%3B%C3%A9')"


def test_query_options_and_combinators():
    since = datetime(2024, 1, 1, tzinfo=UTC)
    flt = odata.compare("modifiedon", "ge", since)
    assert flt == "modifiedon ge 2024-01-01T00:00:00Z"
    assert odata.is_in("_ownerid_value", [GUID]) == f"_ownerid_value eq {GUID}"
    assert odata.any_of(odata.eq("a", 1), odata.eq("b", 2)) == "(a eq 1) or (b eq 2)"
    options = odata.query_options(select=["name", "accountid"], filter=flt, orderby=["createdon DESC", "name"], top=5)
    assert options == {"$select": "name,accountid", "$filter": flt, "$orderby": "createdon desc,name", "$top": "5"}
    with pytest.raises(ValueError):
        odata.query_options(orderby="name; drop")
    with pytest.raises(ValueError):
        odata.compare("a", "eq 1 or", 1)
    with pytest.raises(ValueError):
        odata.is_in("a", [])


@given(st.text())
def test_any_alternate_key_value_is_one_url_safe_literal(value):
    from urllib.parse import unquote

    segment = odata.key_segment({"osi_key": value})
    assert re.fullmatch(r"[A-Za-z0-9()',=:@\-._~%]*", segment)  # nothing that could split the URL
    decoded = unquote(segment, errors="strict")
    assert decoded.startswith("(osi_key='") and decoded.endswith("')")
    assert decoded[len("(osi_key='"):-2].replace("''", "'") == value
