"""The emulator refuses what Dataverse refuses on customization and record calls (issue #16, #17 item 11)."""

from __future__ import annotations

import pytest

from connector import schema
from connector.schema_metadata import entity_metadata, key_metadata
from connector.solution.role import app_user_privileges
from tests.integration.emulator.conftest import Api

pytestmark = pytest.mark.integration

SOLUTION = {"MSCRM.SolutionUniqueName": "Contoso"}


def _publisher_and_solution(api: Api, prefix: str) -> None:
    publisher = api.create("publishers", {"uniquename": "contoso", "friendlyname": "Contoso",
                                          "customizationprefix": prefix, "customizationoptionvalueprefix": 12345})
    api.create("solutions", {"uniquename": "Contoso", "friendlyname": "Contoso", "version": "1.0.0.0",
                             "publisherid@odata.bind": f"/publishers({publisher})"})


def test_a_custom_activity_without_notes_is_refused(api: Api) -> None:
    body = entity_metadata(schema.table("osi_insight"))
    r = api.post("EntityDefinitions", {**body, "HasNotes": False})
    assert r.status_code == 400 and r.json()["error"]["code"] == "0x8004F123"
    assert api.post("EntityDefinitions", body).status_code == 204
    created = api.get("EntityDefinitions(LogicalName='osi_insight')?$select=HasNotes,IsActivity").json()
    assert created["HasNotes"] is True and created["IsActivity"] is True


def test_a_solution_that_does_not_exist_is_refused(api: Api) -> None:
    r = api.post("EntityDefinitions", entity_metadata(schema.table("osi_setting")), headers=SOLUTION)
    assert r.status_code == 400 and "Contoso" in r.json()["error"]["message"]


def test_a_schema_name_without_the_publisher_prefix_is_refused(api: Api) -> None:
    _publisher_and_solution(api, "new")
    r = api.post("EntityDefinitions", entity_metadata(schema.table("osi_setting")), headers=SOLUTION)
    assert r.status_code == 400 and "'new_'" in r.json()["error"]["message"]
    attribute = {"@odata.type": "Microsoft.Dynamics.CRM.IntegerAttributeMetadata", "SchemaName": "osi_Count"}
    r = api.post("EntityDefinitions(LogicalName='contact')/Attributes", attribute, headers=SOLUTION)
    assert r.status_code == 400
    assert api.post("EntityDefinitions(LogicalName='contact')/Attributes", {**attribute, "SchemaName": "new_Count"},
                    headers=SOLUTION).status_code == 204


def test_creating_tables_columns_and_keys_needs_the_customizer_privileges(api: Api) -> None:
    api.em.security.grant_only(app_user_privileges())
    r = api.post("EntityDefinitions", entity_metadata(schema.table("osi_setting")))
    assert r.status_code == 403 and r.json()["error"]["code"] == "0x80040220"
    assert "prvCreateEntity" in r.json()["error"]["message"]
    attribute = {"@odata.type": "Microsoft.Dynamics.CRM.IntegerAttributeMetadata", "SchemaName": "osi_Count"}
    r = api.post("EntityDefinitions(LogicalName='contact')/Attributes", attribute)
    assert r.status_code == 403 and "prvCreateAttribute" in r.json()["error"]["message"]
    key = key_metadata(schema.KeyDef("osi_contact_key", ("emailaddress1",), "Natural key"))
    r = api.post("EntityDefinitions(LogicalName='contact')/Keys", key)
    assert r.status_code == 403 and "prvCreateEntityKey" in r.json()["error"]["message"]
    api.em.security.grant_only(None)  # a System Customizer / Administrator may
    assert api.post("EntityDefinitions(LogicalName='contact')/Attributes", attribute).status_code == 204


def test_the_application_user_cannot_touch_anyone_elses_email(api: Api) -> None:
    email = api.create("emails", {"subject": "Pricing"})
    api.em.security.grant_only(app_user_privileges())
    assert api.get(f"emails({email})?$select=subject").status_code == 200
    r = api.delete(f"emails({email})")
    assert r.status_code == 403 and "prvDeleteActivity" in r.json()["error"]["message"]
    r = api.patch(f"emails({email})", {"subject": "changed"}, headers={"If-Match": "*"})
    assert r.status_code == 403 and "does not own" in r.json()["error"]["message"]
    api.em.security.grant_only(None)
    contact = api.create("contacts", {"lastname": "Lee"})
    api.em.security.grant_only(app_user_privileges())
    r = api.post("contacts", {"lastname": "New"})
    assert r.status_code == 403 and "prvCreateContact" in r.json()["error"]["message"]
    assert api.patch(f"contacts({contact})", {"jobtitle": "Buyer"}, headers={"If-Match": "*"}).status_code == 204


def test_a_change_tracked_read_needs_organization_level_read(api: Api) -> None:
    api.em.security.grant_only({"prvReadContact": "Basic"})
    assert api.get("contacts?$select=fullname").status_code == 200
    r = api.get("contacts?$select=fullname", headers={"Prefer": "odata.track-changes"})
    assert r.status_code == 403 and "organization level" in r.json()["error"]["message"]


def test_retrieve_user_privileges_lists_the_callers_role(api: Api) -> None:
    me = api.get("WhoAmI").json()["UserId"]
    api.em.security.grant_only(app_user_privileges())
    body = api.get(f"systemusers({me})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()").json()
    granted = {p["PrivilegeName"]: p["Depth"] for p in body["RolePrivileges"]}
    assert granted == app_user_privileges()


def test_a_seller_can_act_on_a_suggestion_but_not_delete_our_rows(api: Api) -> None:
    from connector.pipeline import service
    from connector.provision import provision
    from connector.settings import Settings
    from connector.solution.role import seller_privileges

    settings = Settings.from_env({"OSI_DATAVERSE_URL": api.em.url, "OSI_STATIC_TOKEN": api.em.token})
    try:
        assert provision(service.clients(settings)[0], sleep=lambda _s: None).ok
    finally:
        service.clients.cache_clear()
    contact = api.create("contacts", {"lastname": "Lee"})
    suggestion = api.create("osi_notesuggestions", {"osi_name": "Call back", "osi_key": "n1"})
    api.em.security.grant_only(seller_privileges())
    assert api.get("osi_notesuggestions?$select=osi_name").status_code == 200
    # What the panel does on Create: the appointment regarding the contact, then the suggestion Accepted.
    assert api.post("appointments", {"subject": "Call back",
                                     "regardingobjectid_contact_appointment@odata.bind": f"/contacts({contact})"}
                    ).status_code == 204
    accepted = schema.SUGGESTION_STATUS.value("Accepted")
    assert api.patch(f"osi_notesuggestions({suggestion})", {"osi_suggestionstatus": accepted},
                     headers={"If-Match": "*"}).status_code == 204
    r = api.delete(f"osi_notesuggestions({suggestion})")
    assert r.status_code == 403 and "prvDeleteosi_notesuggestion" in r.json()["error"]["message"]
    r = api.patch("osi_settings(osi_key='features')", {"osi_value": "{}"})
    assert r.status_code == 403
