"""Fidelity: EntityDefinitions reads, creating columns/tables/keys, upsert by alternate key, persistence."""

from __future__ import annotations

import uuid

import pytest

from connector import schema
from emulator.server import Emulator
from tests.integration.emulator.conftest import Api

pytestmark = pytest.mark.integration

_TYPES = {"string": "StringAttributeMetadata", "memo": "MemoAttributeMetadata", "integer": "IntegerAttributeMetadata",
          "decimal": "DecimalAttributeMetadata", "datetime": "DateTimeAttributeMetadata",
          "dateonly": "DateTimeAttributeMetadata", "boolean": "BooleanAttributeMetadata",
          "picklist": "PicklistAttributeMetadata"}


def label(text: str) -> dict:
    return {"@odata.type": "Microsoft.Dynamics.CRM.Label",
            "LocalizedLabels": [{"@odata.type": "Microsoft.Dynamics.CRM.LocalizedLabel", "Label": text,
                                 "LanguageCode": 1033}]}


def attribute_body(col: schema.ColumnDef, *, primary: bool = False) -> dict:
    body = {"@odata.type": f"Microsoft.Dynamics.CRM.{_TYPES[col.kind]}", "SchemaName": col.schema_name,
            "DisplayName": label(col.label), "Description": label(col.description),
            "RequiredLevel": {"Value": "None"}}
    if primary:
        body["IsPrimaryName"] = True
    if col.max_length:
        body["MaxLength"] = col.max_length
    if col.kind == "dateonly":
        body["Format"] = "DateOnly"
    if col.min_value is not None:
        body["MinValue"] = col.min_value
        body["MaxValue"] = col.max_value
    if col.precision is not None:
        body["Precision"] = col.precision
    if col.options:
        body["OptionSet"] = {"IsGlobal": False, "OptionSetType": "Picklist", "Options": [
            {"Value": v, "Label": label(en)} for v, en, _fr in col.options.options]}
    return body


def provision(api: Api) -> None:
    """Create every osi_ column, table and key of connector/schema.py through the metadata API."""
    for table, columns in schema.EXTENDED_TABLES.items():
        for col in columns:
            r = api.post(f"EntityDefinitions(LogicalName='{table}')/Attributes", attribute_body(col))
            assert r.status_code == 204, r.text
    for t in schema.TABLES:
        body = {"@odata.type": "Microsoft.Dynamics.CRM.EntityMetadata", "SchemaName": t.schema_name,
                "DisplayName": label(t.label), "DisplayCollectionName": label(t.plural_label),
                "Description": label(t.description), "OwnershipType": "UserOwned", "IsActivity": t.is_activity,
                "HasActivities": False, "HasNotes": t.is_activity, "ChangeTrackingEnabled": True,
                "Attributes": [attribute_body(t.primary_name, primary=True)]}
        r = api.post("EntityDefinitions", body)
        assert r.status_code == 204, r.text
        for col in t.columns:
            r = api.post(f"EntityDefinitions(LogicalName='{t.logical_name}')/Attributes", attribute_body(col))
            assert r.status_code == 204, r.text
        for key in t.keys:
            r = api.post(f"EntityDefinitions(LogicalName='{t.logical_name}')/Keys",
                         {"SchemaName": key.schema_name, "KeyAttributes": list(key.columns),
                          "DisplayName": label(key.label)})
            assert r.status_code == 204, r.text


def test_entity_definitions_reads(api):
    r = api.get("EntityDefinitions(LogicalName='email')?$select=LogicalName,EntitySetName,PrimaryIdAttribute,"
                "ChangeTrackingEnabled,IsActivity")
    assert r.status_code == 200
    body = r.json()
    assert body["EntitySetName"] == "emails" and body["PrimaryIdAttribute"] == "activityid"
    assert body["IsActivity"] is True and body["ChangeTrackingEnabled"] is True
    assert "PrimaryNameAttribute" not in body
    r = api.get("EntityDefinitions?$select=LogicalName,EntitySetName&$filter=LogicalName eq 'contact'")
    assert [v["EntitySetName"] for v in r.json()["value"]] == ["contacts"]
    r = api.get("EntityDefinitions(LogicalName='contact')/Attributes(LogicalName='fullname')")
    assert r.json()["AttributeType"] == "String" and r.json()["IsValidForCreate"] is False
    r = api.get("EntityDefinitions(LogicalName='nosuch')")
    assert r.status_code == 404


def test_bare_org_has_no_osi_columns_until_provisioned(api):
    r = api.patch(f"contacts({uuid.uuid4()})", {"lastname": "x", "osi_healthscore": 50})
    assert r.status_code == 400
    assert r.json()["error"]["message"] == ("Could not find a property named 'osi_healthscore' on type "
                                            "'Microsoft.Dynamics.CRM.contact'.")
    assert api.get("osi_scorehistorys").status_code == 404


def test_created_column_is_writable_queryable_and_validated(api):
    col = schema.RELATIONSHIP_COLUMNS[[c.logical_name for c in schema.RELATIONSHIP_COLUMNS].index("osi_healthstate")]
    r = api.post("EntityDefinitions(LogicalName='contact')/Attributes", attribute_body(col))
    assert r.status_code == 204
    assert r.headers["OData-EntityId"].startswith(api.base + "EntityDefinitions(LogicalName='contact')/Attributes(")
    r = api.post("EntityDefinitions(LogicalName='contact')/Attributes", attribute_body(col))
    assert r.status_code == 400 and "already exists" in r.json()["error"]["message"]
    good = schema.HEALTH_STATE.value("Good")
    contact = api.create("contacts", {"lastname": "Lee", "osi_healthstate": good})
    r = api.get(f"contacts?$select=osi_healthstate&$filter=osi_healthstate eq {good}",
                headers={"Prefer": 'odata.include-annotations="*"'})
    row = r.json()["value"][0]
    assert row["contactid"] == contact and row["osi_healthstate@OData.Community.Display.V1.FormattedValue"] == "Good"
    r = api.patch(f"contacts({contact})", {"osi_healthstate": 1})
    assert r.status_code == 400 and "outside the valid range" in r.json()["error"]["message"]
    r = api.get("EntityDefinitions(LogicalName='contact')/Attributes/Microsoft.Dynamics.CRM.PicklistAttributeMetadata"
                "?$select=LogicalName&$expand=OptionSet")
    picklists = {a["LogicalName"]: a for a in r.json()["value"]}
    assert [o["Value"] for o in picklists["osi_healthstate"]["OptionSet"]["Options"]][0] == good


def test_full_provisioning_then_upsert_by_alternate_key(tmp_path, clock):
    db = tmp_path / "org.sqlite"
    with Emulator(db, clock=clock) as em:
        api = Api(em)
        provision(api)
        r = api.get("EntityDefinitions(LogicalName='osi_scorehistory')/Keys")
        assert r.json()["value"][0]["EntityKeyIndexStatus"] == "Active"
        url = "osi_scorehistorys(osi_key='lead-1-2026-03-01')"
        r = api.patch(url, {"osi_score": 71, "osi_day": "2026-03-01"}, headers={"If-Match": "*"})
        assert r.status_code == 404
        r = api.patch(url, {"osi_score": 71, "osi_day": "2026-03-01", "osi_name": "lead-1"},
                      headers={"Prefer": "return=representation"})
        assert r.status_code == 201 and r.json()["osi_key"] == "lead-1-2026-03-01"
        r = api.patch(url, {"osi_score": 72}, headers={"Prefer": "return=representation"})
        assert r.status_code == 200 and r.json()["osi_score"] == 72
        assert api.patch(url, {"osi_score": 73}, headers={"If-None-Match": "*"}).status_code == 412
        r = api.post("osi_scorehistorys", {"osi_key": "lead-1-2026-03-01"})
        assert r.status_code == 412
        assert api.get(url + "?$select=osi_score").json()["osi_score"] == 72
        r = api.get("osi_scorehistorys(osi_name='lead-1')")
        assert r.status_code == 400 and "The key in the request URI is not valid" in r.json()["error"]["message"]
        insight = api.create("osi_insights", {"subject": "Health dropped", "osi_key": "i-1",
                                              "regardingobjectid_contact_osi_insight@odata.bind":
                                                  f"/contacts({api.create('contacts', {'lastname': 'Lee'})})"})
        pointer = api.get(f"activitypointers({insight})?$select=activitytypecode").json()
        assert pointer["activitytypecode"] == "osi_insight"
        contact = api.create("contacts", {"lastname": "Kim", "osi_healthscore": 64,
                                          "osi_insightscomputedon": "2026-03-01T10:00:00Z"})
    with Emulator(db, clock=clock) as em:  # the organisation, its schema and rows persist in the file
        api = Api(em)
        body = api.get(f"contacts({contact})?$select=osi_healthscore,osi_insightscomputedon").json()
        assert body["osi_healthscore"] == 64 and body["osi_insightscomputedon"] == "2026-03-01T10:00:00Z"
        assert api.get("osi_scorehistorys(osi_key='lead-1-2026-03-01')").status_code == 200
        assert em.store.count("osi_scorehistory") == 1


def test_attribute_list_select_and_filter(api):
    r = api.get("EntityDefinitions(LogicalName='account')/Attributes?$select=LogicalName,AttributeType"
                "&$filter=AttributeType eq 'Lookup'")
    assert r.status_code == 200
    rows = r.json()["value"]
    assert {a["LogicalName"] for a in rows} == {"primarycontactid", "parentaccountid", "ownerid"}
    assert all(set(a) <= {"@odata.type", "MetadataId", "LogicalName", "AttributeType"} for a in rows)
    r = api.get("EntityDefinitions?$select=LogicalName&$filter=ChangeTrackingEnabled eq true and IsActivity eq true")
    assert {v["LogicalName"] for v in r.json()["value"]} == {"email", "phonecall", "appointment", "task"}
    r = api.get("EntityDefinitions?$filter=startswith(LogicalName,'a')")
    assert r.status_code == 400
