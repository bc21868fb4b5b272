"""Metadata: definitions, attributes, keys, creation with a solution header."""

from __future__ import annotations

import json

import pytest

from connector.errors import ResourceNotFoundError

from .conftest import API

DEF = API + "EntityDefinitions(LogicalName='osi_thing')"
MID = "a1b2c3d4-0000-4000-8000-000000000001"


def test_get_entity_definition_and_not_found(mocked, client):
    mocked.get(DEF, json={"LogicalName": "osi_thing", "EntitySetName": "osi_things"})
    assert client.get_entity_definition("osi_thing", select=["LogicalName"])["EntitySetName"] == "osi_things"
    assert mocked.calls[0].request.headers["Consistency"] == "Strong"
    mocked.get(API + "EntityDefinitions(LogicalName='nope')", status=404,
               json={"error": {"code": "0x80040217", "message": "Could not find an entity with name nope"}})
    with pytest.raises(ResourceNotFoundError):
        client.get_entity_definition("nope")


def test_list_attributes_and_keys(mocked, client):
    mocked.get(DEF + "/Attributes", json={"value": [{"LogicalName": "osi_name"}]})
    mocked.get(DEF + "/Keys", json={"value": [{"LogicalName": "osi_key", "EntityKeyIndexStatus": "Active"}]})
    assert client.list_attributes("osi_thing") == [{"LogicalName": "osi_name"}]
    assert client.list_keys("osi_thing")[0]["EntityKeyIndexStatus"] == "Active"


def test_creates_send_the_solution_header(mocked, client):
    mocked.post(API + "EntityDefinitions", status=204, headers={"OData-EntityId": f"{API}EntityDefinitions({MID})"})
    mocked.post(DEF + "/Attributes", status=204, headers={"OData-EntityId": f"{DEF}/Attributes({MID})"})
    mocked.post(DEF + "/Keys", status=204)
    assert client.create_entity({"SchemaName": "osi_Thing"}, solution="OpenSalesInsights") == MID
    assert client.create_attribute("osi_thing", {"SchemaName": "osi_Key"}, solution="OpenSalesInsights") == MID
    assert client.create_key("osi_thing", {"SchemaName": "osi_Key", "KeyAttributes": ["osi_key"]}) is None
    headers = [c.request.headers for c in mocked.calls]
    assert headers[0]["MSCRM.SolutionUniqueName"] == "OpenSalesInsights"
    assert headers[1]["MSCRM.SolutionUniqueName"] == "OpenSalesInsights"
    assert "MSCRM.SolutionUniqueName" not in headers[2]
    assert json.loads(mocked.calls[2].request.body)["KeyAttributes"] == ["osi_key"]


def test_hostile_logical_names_rejected(mocked, client):
    with pytest.raises(ValueError):
        client.get_entity_definition("x')/Attributes(LogicalName='y")
    with pytest.raises(ValueError):
        client.create_entity({}, solution="bad name")
    assert len(mocked.calls) == 0
