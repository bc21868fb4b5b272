"""Fidelity: auth, routing errors, create/read/update/upsert/delete, binds, deep insert, annotations."""

from __future__ import annotations

import uuid

import pytest
import requests

from emulator.server import API_PREFIX

pytestmark = pytest.mark.integration


def test_missing_or_wrong_token_is_401_with_challenge(em, api):
    for headers in ({}, {"Authorization": "Bearer nope"}, {"Authorization": f"Basic {em.token}"}):
        r = requests.get(api.base + "accounts", headers=headers, timeout=10)
        assert r.status_code == 401
        assert r.headers["WWW-Authenticate"].startswith("Bearer authorization_uri=https://login.microsoftonline.com/")
        assert "resource_id=" + em.url in r.headers["WWW-Authenticate"]
        assert set(r.json()["error"]) == {"code", "message"}


def test_graph_path_401_uses_graph_error_body(em):
    r = requests.get(em.url + "/v1.0/users", timeout=10)
    assert r.status_code == 401
    error = r.json()["error"]
    assert error["code"] == "InvalidAuthenticationToken"
    assert error["message"] == "Access token is empty."
    assert {"date", "request-id", "client-request-id"} <= set(error["innerError"])


def test_service_document_lists_entity_sets(api):
    r = api.get("")
    assert r.status_code == 200
    names = {v["name"] for v in r.json()["value"]}
    assert {"accounts", "contacts", "leads", "opportunities", "emails", "phonecalls", "appointments", "tasks",
            "activitypointers", "activityparties", "annotations", "systemusers", "businessunits"} <= names
    assert r.json()["@odata.context"] == api.base + "$metadata"


def test_entity_set_names_are_case_sensitive(api):
    r = api.get("Accounts")
    assert r.status_code == 404
    assert r.json() == {"error": {"code": "0x8006088a", "message": "Resource not found for the segment 'Accounts'."}}


def test_unknown_property_on_write_and_select(api):
    r = api.post("accounts", {"Name": "x"})
    assert r.status_code == 400
    assert r.json()["error"] == {"code": "0x0", "message": "Could not find a property named 'Name' on type "
                                 "'Microsoft.Dynamics.CRM.account'."}
    r = api.get("accounts?$select=Name")
    assert r.status_code == 400 and "Could not find a property named 'Name'" in r.json()["error"]["message"]


def test_create_returns_204_with_entity_id_and_201_with_representation(api):
    r = api.post("accounts", {"name": "Contoso"})
    assert r.status_code == 204 and r.content == b""
    assert r.headers["OData-EntityId"].startswith(api.base + "accounts(")
    assert r.headers["OData-Version"] == "4.0"
    r = api.post("accounts?$select=name", {"name": "Fabrikam"}, headers={"Prefer": "return=representation"})
    assert r.status_code == 201
    assert "OData-EntityId" not in r.headers
    body = r.json()
    assert body["@odata.context"] == api.base + "$metadata#accounts(name)/$entity"
    assert body["name"] == "Fabrikam" and uuid.UUID(body["accountid"])
    assert body["@odata.etag"].startswith('W/"') and r.headers["ETag"] == body["@odata.etag"]
    assert r.headers["Preference-Applied"] == "return=representation"


def test_get_by_id_and_missing_record(api):
    account = api.create("accounts", {"name": "Contoso", "revenue": 1200.5, "numberofemployees": 12})
    r = api.get(f"accounts({account})?$select=name,revenue")
    assert r.status_code == 200
    body = r.json()
    assert body["accountid"] == account and body["revenue"] == 1200.5 and "numberofemployees" not in body
    missing = str(uuid.uuid4())
    r = api.get(f"accounts({missing})")
    assert r.status_code == 404
    assert r.json()["error"]["message"] == f"account With Id = {missing} Does Not Exist"


def test_update_bumps_etag_and_sets_modifiedon(api, clock):
    account = api.create("accounts", {"name": "Contoso"})
    before = api.get(f"accounts({account})").json()
    clock.advance(hours=1)
    r = api.patch(f"accounts({account})", {"telephone1": "+33 1 23"})
    assert r.status_code == 204
    assert r.headers["OData-EntityId"] == f"{api.base}accounts({account})"
    after = api.get(f"accounts({account})").json()
    assert after["telephone1"] == "+33 1 23"
    assert int(after["@odata.etag"][3:-1]) > int(before["@odata.etag"][3:-1])
    assert after["modifiedon"] == "2026-03-02T10:30:00Z" and after["createdon"] == "2026-03-02T09:30:00Z"
    r = api.patch(f"accounts({account})", {"name": "Contoso SA"}, headers={"Prefer": "return=representation"})
    assert r.status_code == 200 and r.json()["name"] == "Contoso SA"


def test_upsert_semantics(api):
    new_id = str(uuid.uuid4())
    r = api.patch(f"accounts({new_id})", {"name": "Upserted"}, headers={"If-Match": "*"})
    assert r.status_code == 404
    assert r.json()["error"] == {"code": "", "message": f"account With Id = {new_id} Does Not Exist"}
    r = api.patch(f"accounts({new_id})", {"name": "Upserted"}, headers={"Prefer": "return=representation"})
    assert r.status_code == 201 and r.json()["accountid"] == new_id
    r = api.patch(f"accounts({new_id})", {"name": "Again"}, headers={"Prefer": "return=representation"})
    assert r.status_code == 200
    etag = r.json()["@odata.etag"]
    r = api.patch(f"accounts({new_id})", {"name": "No"}, headers={"If-None-Match": "*"})
    assert r.status_code == 412
    assert r.json()["error"]["message"] == "A record with matching key values already exists."
    r = api.patch(f"accounts({new_id})", {"name": "Stale"}, headers={"If-Match": 'W/"1"'})
    assert r.status_code == 412
    assert r.json()["error"]["message"] == ("The version of the existing record doesn't match the RowVersion "
                                            "property provided.")
    r = api.patch(f"accounts({new_id})", {"name": "Fresh"}, headers={"If-Match": etag})
    assert r.status_code == 204
    r = api.patch(f"accounts({new_id})", {"name": "Plain"})
    assert r.status_code == 204 and r.headers["OData-EntityId"].endswith(f"accounts({new_id})")


def test_delete_then_404(api):
    account = api.create("accounts", {"name": "Gone"})
    assert api.delete(f"accounts({account})").status_code == 204
    assert api.delete(f"accounts({account})").status_code == 404
    assert api.get(f"accounts({account})").status_code == 404


def test_fullname_is_computed_and_defaults_are_set(api):
    contact = api.create("contacts", {"firstname": "Ann", "lastname": "Lee"})
    body = api.get(f"contacts({contact})").json()
    assert body["fullname"] == "Ann Lee" and body["statecode"] == 0 and body["statuscode"] == 1
    api.patch(f"contacts({contact})", {"lastname": "Smith"})
    assert api.get(f"contacts({contact})?$select=fullname").json()["fullname"] == "Ann Smith"


def test_type_and_length_validation(api):
    r = api.post("accounts", {"name": "x", "numberofemployees": "many"})
    assert r.status_code == 400
    assert r.json()["error"]["message"] == "Cannot convert the literal 'many' to the expected type 'Edm.Int32'."
    r = api.post("emails", {"subject": "x" * 801})
    assert r.status_code == 400 and r.json()["error"]["code"] == "0x80044331"


def test_read_only_email_columns_are_ignored(api):
    email = api.create("emails", {"subject": "Hello", "senton": "2025-01-01T00:00:00Z", "inreplyto": "<a@b>",
                                  "conversationindex": "abc", "messageid": "<m@b>"})
    body = api.get(f"emails({email})").json()
    assert body["senton"] is None and body["inreplyto"] is None and body["conversationindex"] is None
    assert body["messageid"] == "<m@b>" and body["activitytypecode"] == "email"


def test_binds_polymorphic_lookups_and_annotations(api):
    user = api.create("systemusers", {"firstname": "Sam", "lastname": "Seller"})
    account = api.create("accounts", {"name": "Contoso", "ownerid@odata.bind": f"/systemusers({user})"})
    contact = api.create("contacts", {"lastname": "Lee", "parentcustomerid_account@odata.bind": f"accounts({account})"})
    opp = api.create("opportunities", {"name": "Deal",
                                       "customerid_contact@odata.bind": f"{api.base}contacts({contact})"})
    note = api.create("annotations", {"subject": "n", "notetext": "t",
                                      "objectid_contact@odata.bind": f"/contacts({contact})"})
    r = api.get(f"contacts({contact})?$select=_parentcustomerid_value",
                headers={"Prefer": 'odata.include-annotations="*"'})
    body = r.json()
    assert body["_parentcustomerid_value"] == account
    assert body["_parentcustomerid_value@Microsoft.Dynamics.CRM.lookuplogicalname"] == "account"
    assert body["_parentcustomerid_value@OData.Community.Display.V1.FormattedValue"] == "Contoso"
    assert body["_parentcustomerid_value@Microsoft.Dynamics.CRM.associatednavigationproperty"] == \
        "parentcustomerid_account"
    assert api.get(f"opportunities({opp})").json()["_customerid_value"] == contact
    assert api.get(f"annotations({note})").json()["_objectid_value"] == contact
    owner = api.get(f"accounts({account})?$select=_ownerid_value,statecode",
                    headers={"Prefer": 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"'}).json()
    assert owner["_ownerid_value@OData.Community.Display.V1.FormattedValue"] == "Sam Seller"
    assert owner["statecode@OData.Community.Display.V1.FormattedValue"] == "Active"
    assert "_ownerid_value@Microsoft.Dynamics.CRM.lookuplogicalname" not in owner
    r = api.post("contacts", {"lastname": "x", "parentcustomerid_account@odata.bind": f"/accounts({uuid.uuid4()})"})
    assert r.status_code == 404
    r = api.post("contacts", {"lastname": "x", "ParentCustomerId_account@odata.bind": f"/accounts({account})"})
    assert r.status_code == 400 and "undeclared property" in r.json()["error"]["message"]


def test_email_deep_insert_of_parties_and_regarding(api):
    user = api.create("systemusers", {"firstname": "Sam", "lastname": "Seller"})
    contact = api.create("contacts", {"firstname": "Ann", "lastname": "Lee"})
    email = api.create("emails", {
        "subject": "Proposal", "directioncode": True,
        "regardingobjectid_contact_email@odata.bind": f"/contacts({contact})",
        "email_activity_parties": [
            {"partyid_systemuser@odata.bind": f"/systemusers({user})", "participationtypemask": 1},
            {"partyid_contact@odata.bind": f"/contacts({contact})", "participationtypemask": 2},
            {"addressused": "someone@example.com", "participationtypemask": 3}]})
    r = api.get(f"emails({email})/email_activity_parties?$select=participationtypemask,addressused,_partyid_value",
                headers={"Prefer": 'odata.include-annotations="*"'})
    assert r.status_code == 200
    parties = sorted(r.json()["value"], key=lambda p: p["participationtypemask"])
    assert [p["participationtypemask"] for p in parties] == [1, 2, 3]
    assert parties[0]["_partyid_value"] == user
    assert parties[0]["_partyid_value@Microsoft.Dynamics.CRM.lookuplogicalname"] == "systemuser"
    assert parties[2]["_partyid_value"] is None and parties[2]["addressused"] == "someone@example.com"
    body = api.get(f"emails({email})?$expand=email_activity_parties($select=participationtypemask),"
                   "regardingobjectid_contact_email($select=fullname)").json()
    assert len(body["email_activity_parties"]) == 3
    assert body["regardingobjectid_contact_email"]["fullname"] == "Ann Lee"
    all_parties = api.get(f"activityparties?$filter=_activityid_value eq {email}").json()["value"]
    assert len(all_parties) == 3
    assert api.post("activityparties", {"participationtypemask": 1}).status_code == 405
    pointers = api.get("activitypointers?$select=activitytypecode,subject").json()["value"]
    assert [(p["activitytypecode"], p["subject"]) for p in pointers] == [("email", "Proposal")]
    assert api.delete(f"emails({email})").status_code == 204
    assert api.get(f"activityparties?$filter=_activityid_value eq {email}").json()["value"] == []


def test_whoami_and_function_verbs(api):
    r = api.get("WhoAmI")
    assert r.status_code == 200
    assert set(r.json()) >= {"BusinessUnitId", "UserId", "OrganizationId"}
    r = api.post("WhoAmI", {})
    assert r.status_code == 404 and r.json()["error"]["message"].startswith("No HTTP resource was found")


def test_malformed_json_and_hostile_input_get_json_errors(api):
    r = api.session.post(api.base + "accounts", data=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "0x0"
    r = api.get("accounts?$filter=name eq 'x'); DROP TABLE t_account; --'")
    assert r.status_code == 400 and r.json()["error"]["code"] == "0x80060888"
    assert api.get("accounts").status_code == 200
    r = api.get("accounts(not-a-guid)")
    assert r.status_code == 400 and "Traceback" not in r.text


def test_unknown_path_outside_api_is_json_404(em, api):
    r = api.session.get(em.url + "/nothing", timeout=10)
    assert r.status_code == 404 and "error" in r.json()
    assert API_PREFIX == "/api/data/v9.2/"


def test_unexpected_server_error_is_json_500_without_traceback(em, api, monkeypatch, caplog):
    def boom(*_args: object) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(em._dataverse, "dispatch", boom)
    r = api.get("accounts")
    assert r.status_code == 500
    assert r.json() == {"error": {"code": "0x80040216", "message": "An unexpected error occurred."}}
    assert "secret internal detail" not in r.text and "Traceback" not in r.text
    assert "secret internal detail" in caplog.text  # logged server-side only


def test_conditional_get_single_property_and_other_party_navs(api):
    account = api.create("accounts", {"name": "Contoso", "description": "old"})
    etag = api.get(f"accounts({account})").json()["@odata.etag"]
    r = api.get(f"accounts({account})", headers={"If-None-Match": etag})
    assert r.status_code == 304 and r.content == b""
    assert api.session.put(api.base + f"accounts({account})/description", json={"value": "new"},
                           timeout=10).status_code == 204
    r = api.get(f"accounts({account})/description")
    assert r.json()["value"] == "new"
    assert api.get(f"accounts({account})", headers={"If-None-Match": etag}).status_code == 200
    assert api.delete(f"accounts({account})/description").status_code == 204
    assert api.get(f"accounts({account})?$select=description").json()["description"] is None
    contact = api.create("contacts", {"lastname": "Lee"})
    meeting = api.create("appointments", {"subject": "Demo", "scheduledstart": "2026-03-03T10:00:00Z",
                                          "appointment_activity_parties": [
                                              {"partyid_contact@odata.bind": f"/contacts({contact})",
                                               "participationtypemask": 5}]})
    call = api.create("phonecalls", {"subject": "Call", "directioncode": False, "phonecall_activity_parties": [
        {"partyid_contact@odata.bind": f"/contacts({contact})", "participationtypemask": 1}]})
    assert [p["participationtypemask"] for p in
            api.get(f"appointments({meeting})/appointment_activity_parties").json()["value"]] == [5]
    assert len(api.get(f"phonecalls({call})/phonecall_activity_parties").json()["value"]) == 1
    r = api.patch(f"appointments({meeting})", {"appointment_activity_parties": []})
    assert r.status_code == 204
    assert api.get(f"appointments({meeting})/appointment_activity_parties").json()["value"] == []
    assert api.get("appointments?$select=scheduledstart").json()["value"][0]["scheduledstart"] == \
        "2026-03-03T10:00:00Z"


def test_concurrent_writes_and_reads_are_safe(em, api):
    from concurrent.futures import ThreadPoolExecutor

    def work(i: int) -> tuple[int, int]:
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {em.token}"
        created = session.post(api.base + "accounts", json={"name": f"T{i}"}, headers={"Prefer":
                               "return=representation"}, timeout=30)
        listed = session.get(api.base + "accounts?$select=name", timeout=30)
        return created.status_code, listed.status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(40)))
    assert set(results) == {(201, 200)}
    etags = [v["@odata.etag"] for v in api.get("accounts").json()["value"]]
    assert len(etags) == 40 and len(set(etags)) == 40


def test_party_expand_options_and_annotation_preference_applied(api):
    contact = api.create("contacts", {"firstname": "Ann", "lastname": "Lee"})
    email = api.create("emails", {"subject": "Hi", "email_activity_parties": [
        {"partyid_contact@odata.bind": f"/contacts({contact})", "participationtypemask": m} for m in (1, 2, 3)]})
    body = api.get(f"emails({email})?$select=subject&$expand=email_activity_parties($select=participationtypemask;"
                   "$filter=participationtypemask ge 2;$orderby=participationtypemask desc;$top=1)").json()
    assert [p["participationtypemask"] for p in body["email_activity_parties"]] == [3]
    r = api.get("emails?$select=statecode&$count=true",
                headers={"Prefer": 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"'})
    assert r.headers["Preference-Applied"] == 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"'
    body = r.json()
    assert body["@odata.count"] == 1 and body["@Microsoft.Dynamics.CRM.totalrecordcount"] == 1
    assert body["@Microsoft.Dynamics.CRM.totalrecordcountlimitexceeded"] is False
    assert body["value"][0]["statecode@OData.Community.Display.V1.FormattedValue"] == "Open"
    r = api.get(f"emails({email})?$expand=email_activity_parties($skip=1)")
    assert r.status_code == 400
