"""Fidelity: usersettings and timezonedefinitions (entity sets, keys, no change tracking, writes allowed)."""

from __future__ import annotations

import pytest

from emulator.org import DemoOrg
from emulator.timezones import DEFINITIONS, definition_rows

from .conftest import START

pytestmark = pytest.mark.integration

USER = "0f8fad5b-d9cb-469f-a165-70867728950e"


@pytest.fixture
def org(em, api):
    api.create("systemusers", {"systemuserid": USER, "firstname": "Camille", "lastname": "Durand"})
    em.store.load_org(DemoOrg(now=START, tables={
        "usersettings": [{"systemuserid": USER, "timezonecode": 105, "uilanguageid": 1036}],
        "timezonedefinition": definition_rows()}))
    return api


def test_entity_definitions_match_dataverse(api):
    for logical, entity_set, key, name in (("usersettings", "usersettingscollection", "systemuserid", None),
                                           ("timezonedefinition", "timezonedefinitions", "timezonedefinitionid",
                                            "userinterfacename")):
        body = api.get(f"EntityDefinitions(LogicalName='{logical}')").json()
        assert (body["EntitySetName"], body["PrimaryIdAttribute"], body["PrimaryNameAttribute"]) == \
            (entity_set, key, name)
        assert body["ChangeTrackingEnabled"] is False


def test_settings_are_keyed_by_the_user_and_read_with_select_and_filter(org):
    r = org.get("usersettingscollection?$select=timezonecode")
    assert r.status_code == 200, r.text
    assert [(row["systemuserid"], row["timezonecode"]) for row in r.json()["value"]] == [(USER, 105)]
    assert org.get(f"usersettingscollection({USER})?$select=timezonecode").json()["timezonecode"] == 105
    r = org.get("timezonedefinitions?$select=standardname,bias&$filter=timezonecode eq 105")
    assert [(d["standardname"], d["bias"]) for d in r.json()["value"]] == [("Romance Standard Time", -60)]
    assert len(org.get("timezonedefinitions?$select=timezonecode").json()["value"]) == len(DEFINITIONS)


def test_neither_table_is_change_tracked(org):
    for entity_set in ("usersettingscollection", "timezonedefinitions"):
        r = org.get(f"{entity_set}?$select=timezonecode", headers={"Prefer": "odata.track-changes"})
        assert r.status_code == 400
        assert "Change tracking is not enabled" in r.json()["error"]["message"]


def test_a_user_changes_their_zone_but_definitions_are_read_only(org):
    r = org.patch(f"usersettingscollection({USER})", {"timezonecode": 35})
    assert r.status_code == 204, r.text
    assert org.get(f"usersettingscollection({USER})?$select=timezonecode").json()["timezonecode"] == 35
    assert org.patch(f"usersettingscollection({USER})", {"timezonecode": "Paris"}).status_code == 400
    r = org.post("timezonedefinitions", {"timezonecode": 999, "standardname": "Mars Standard Time"})
    assert r.status_code == 405
