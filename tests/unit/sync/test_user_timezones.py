"""Users' own time zones: Windows id → IANA, usersettings/timezonedefinitions reads, the notes producer."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pandas as pd
import pytest
import responses

from connector.dataverse import DataverseClient
from connector.http import RetryPolicy, Transport
from connector.pipeline.contract import RunContext
from connector.pipeline.producers import notes as notes_producer
from connector.sync.extract import extract
from connector.sync.snapshot import Snapshot
from connector.sync.streams import REFERENCE_STREAMS, STREAMS
from connector.sync.transform import iana_zone, user_timezones
from tests.unit.foundation.conftest import FixedToken

ORG = "https://contoso.crm4.dynamics.com"
API = f"{ORG}/api/data/v9.2/"
PARIS, NEW_YORK, ODD, UNDEFINED, UNSET, NO_ROW, BAD = (f"00000000-0000-0000-0000-00000000000{i}"
                                                       for i in range(1, 8))
DEFINITIONS = [
    {"timezonedefinitionid": "10000000-0000-0000-0000-000000000105", "timezonecode": 105,
     "standardname": "Romance Standard Time"},
    {"timezonedefinitionid": "10000000-0000-0000-0000-000000000035", "timezonecode": 35,
     "standardname": "Eastern Standard Time"},
    {"timezonedefinitionid": "10000000-0000-0000-0000-000000000075", "timezonecode": 75,
     "standardname": "Mid-Atlantic Standard Time"},
]


@pytest.mark.parametrize(("windows_id", "iana"), [
    ("Romance Standard Time", "Europe/Paris"),
    ("GMT Standard Time", "Europe/London"),
    ("Eastern Standard Time", "America/New_York"),
    ("Central Standard Time", "America/Chicago"),
    (" Pacific Standard Time ", "America/Los_Angeles"),
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("Tokyo Standard Time", "Asia/Tokyo"),
    ("UTC", "Etc/UTC"),
    ("Mid-Atlantic Standard Time", None),  # retired Windows id: CLDR no longer maps it
    ("Europe/Paris", None),  # an IANA name is not a Windows id
    ("", None),
    (None, None),
    (105, None),
])
def test_windows_ids_map_to_iana(windows_id: object, iana: str | None) -> None:
    assert iana_zone(windows_id) == iana


def _settings(*rows: tuple[str, object]) -> pd.DataFrame:
    return pd.DataFrame([{"systemuserid": u, "timezonecode": c} for u, c in rows])


def test_user_zones_fall_back_with_a_warning_naming_only_the_user(caplog: pytest.LogCaptureFixture) -> None:
    users = pd.Series([PARIS, NEW_YORK.upper(), ODD, UNDEFINED, UNSET, NO_ROW, BAD], dtype="string")
    settings = _settings((PARIS, 105), (NEW_YORK, 35), (ODD, 75), (UNDEFINED, 999), (UNSET, None), (BAD, "abc"))
    with caplog.at_level(logging.WARNING, logger="connector.sync.transform"):
        zones = user_timezones(users, settings, pd.DataFrame(DEFINITIONS))
    assert zones.dtype == "string"
    assert zones.tolist()[:2] == ["Europe/Paris", "America/New_York"]
    assert zones.iloc[2:].isna().all()
    warned = [r.getMessage() for r in caplog.records]
    assert len(warned) == 3
    assert ODD in warned[0] and "75 has no IANA equivalent" in warned[0]
    assert UNDEFINED in warned[1] and "999 is not a defined time zone" in warned[1]
    assert BAD in warned[2] and "not a number" in warned[2]


def test_without_definitions_every_code_is_unknown(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="connector.sync.transform"):
        zones = user_timezones(pd.Series([PARIS]), _settings((PARIS, 105)), None)
    assert zones.isna().all() and PARIS in caplog.text
    assert user_timezones(pd.Series([PARIS]), pd.DataFrame(), None).isna().all()


# --- the streams, through the real client over mocked HTTP --------------------------------------------

@pytest.fixture
def mocked():
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.fixture
def client() -> DataverseClient:
    transport = Transport(retry=RetryPolicy(budget_seconds=0.0), sleep=lambda s: None, rng=lambda: 0.5)
    return DataverseClient(ORG, FixedToken("tok"), transport=transport, page_size=2)


USERS = [{"systemuserid": PARIS, "fullname": "Camille Durand", "internalemailaddress": "camille@osi.example"},
         {"systemuserid": NEW_YORK, "fullname": "Sam Lee", "internalemailaddress": "sam@osi.example"}]
SYSTEMUSERS = (next(s for s in STREAMS if s.name == "systemusers"), *REFERENCE_STREAMS)


def _serve(mocked: responses.RequestsMock, settings: list[dict[str, object]]) -> None:
    delta = API + "systemusers?$deltatoken=1%2101%2f01%2f2026%2000%3a00%3a00"
    mocked.get(API + "systemusers", json={"value": USERS, "@odata.deltaLink": delta},
               match=[responses.matchers.query_param_matcher({}, strict_match=False)])
    mocked.get(delta, json={"value": [], "@odata.deltaLink": delta})
    mocked.get(API + "usersettingscollection", json={"value": settings[:2], "@odata.nextLink":
                                                     API + "usersettingscollection?$skiptoken=2"},
               match=[responses.matchers.query_param_matcher({"$select": "systemuserid,timezonecode,uilanguageid"})])
    mocked.get(API + "usersettingscollection?$skiptoken=2", json={"value": settings[2:]},
               match=[responses.matchers.query_param_matcher({"$skiptoken": "2"})])
    mocked.get(API + "activityparties", json={"value": []})
    mocked.get(API + "timezonedefinitions", json={"value": DEFINITIONS}, match=[
        responses.matchers.query_param_matcher({"$select": "timezonedefinitionid,timezonecode,standardname"})])


def _calls(mocked: responses.RequestsMock, entity_set: str) -> list:
    return [c for c in mocked.calls if f"/{entity_set}" in c.request.url]


def test_reference_tables_are_read_in_full_every_run_without_change_tracking(mocked, client) -> None:
    _serve(mocked, [{"systemuserid": PARIS, "timezonecode": 105}, {"systemuserid": NEW_YORK, "timezonecode": 35}])
    snap = Snapshot()
    first = extract(client, snap, streams=SYSTEMUSERS)
    snap.checkpoints.update(first.checkpoints)
    users = snap.frames["users"].set_index("user_id")["timezone"]
    assert users.to_dict() == {PARIS: "Europe/Paris", NEW_YORK: "America/New_York"}
    for call in _calls(mocked, "usersettingscollection") + _calls(mocked, "timezonedefinitions"):
        assert "odata.track-changes" not in call.request.headers.get("Prefer", "")
    assert "odata.track-changes" in _calls(mocked, "systemusers")[0].request.headers["Prefer"]
    assert first.full_reads == ["systemusers"]
    assert (first.rows_read["usersettings"], first.rows_read["timezonedefinitions"]) == (2, 3)
    assert set(first.checkpoints) == {"systemusers"}

    # The next run reads users by delta (nothing changed) but the zones again in full: a seller who moved
    # to New York is seen at once.
    mocked.replace(responses.GET, API + "usersettingscollection", json={"value": [
        {"systemuserid": PARIS, "timezonecode": 35}, {"systemuserid": NEW_YORK, "timezonecode": 35}]})
    second = extract(client, snap, streams=SYSTEMUSERS)
    assert second.full_reads == [] and second.rows_read["systemusers"] == 0
    assert snap.frames["users"].set_index("user_id")["timezone"].to_dict() == {
        PARIS: "America/New_York", NEW_YORK: "America/New_York"}


def test_an_unreadable_reference_table_keeps_the_last_zones_and_is_reported(mocked, client, caplog) -> None:
    _serve(mocked, [{"systemuserid": PARIS, "timezonecode": 105}])
    snap = Snapshot()
    snap.checkpoints.update(extract(client, snap, streams=SYSTEMUSERS).checkpoints)
    mocked.replace(responses.GET, API + "usersettingscollection", status=403, json={"error": {
        "code": "0x80040220", "message": "Principal user is missing prvReadUserSettings privilege."}})
    with caplog.at_level(logging.WARNING):
        result = extract(client, snap, streams=SYSTEMUSERS)
    assert [(e.table, e.record_id, e.problem) for e in result.errors] == [
        ("usersettings", None, "not read: HTTP 403")]
    zones = snap.frames["users"].set_index("user_id")["timezone"]
    assert zones[PARIS] == "Europe/Paris" and pd.isna(zones[NEW_YORK])
    assert "Camille" not in caplog.text and "camille@" not in caplog.text


# --- the notes producer ---------------------------------------------------------------------------------

def test_notes_producer_resolves_each_note_in_its_owners_zone() -> None:
    users = pd.DataFrame({"user_id": [PARIS, NEW_YORK, UNSET], "fullname": ["C", "S", "U"],
                          "timezone": pd.Series(["Europe/Paris", "America/New_York", pd.NA], dtype="string")})
    written = pd.Timestamp("2026-04-28T12:00Z")
    notes = pd.DataFrame([{"note_id": f"n{i}", "object_id": "a1", "object_type": "account", "subject": None,
                           "text": "Call the customer tomorrow at 4 PM", "owner_id": owner,
                           "created_on": written, "modified_on": written}
                          for i, owner in enumerate((PARIS, NEW_YORK, UNSET))])
    ctx = RunContext(now=datetime(2026, 5, 1, tzinfo=UTC), settings=notes_producer.NotesSettings(),
                     org_timezone="Asia/Tokyo")
    out = notes_producer.PRODUCER.compute({"notes": notes, "users": users}, ctx).frames["osi_notesuggestion"]
    starts = out.set_index("osi_noteid")["osi_start"].to_dict()
    assert starts == {"n0": pd.Timestamp("2026-04-29T14:00Z"),  # 16:00 in Paris (CEST)
                      "n1": pd.Timestamp("2026-04-29T20:00Z"),  # 16:00 in New York (EDT)
                      "n2": pd.Timestamp("2026-04-29T07:00Z")}  # no zone of their own: 16:00 in Tokyo
    assert ctx.problems == []
