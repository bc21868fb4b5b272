"""The Dataverse client against the emulator: paging, delta, $batch, alternate-key upserts, faults."""

from __future__ import annotations

import time
import uuid

import pytest

from connector import odata
from connector.auth import StaticTokenCredential
from connector.dataverse import BatchOperation, DataverseClient
from connector.errors import ChangeTokenExpiredError, HttpResponseError

from .conftest import seed_accounts

pytestmark = pytest.mark.integration


def test_page_through_12000_records(em, client):
    ids = seed_accounts(em, 12_000)
    pager = client.list_records("accounts", select=["name"], page_size=5000)
    pages = list(pager.by_page())
    assert [len(page) for page in pages] == [5000, 5000, 2000]
    seen = [row["accountid"] for page in pages for row in page]
    assert len(seen) == len(set(seen)) == 12_000 and set(seen) == set(ids)
    assert em.counters.snapshot()["statuses"].get("200") == 3


def test_filter_with_hostile_value_round_trips(em, client):
    client.create_record("accounts", {"name": "O'Brien & Sons #1 + co"})
    client.create_record("accounts", {"name": "Other"})
    rows = list(client.list_records("accounts", select=["name"],
                                    filter=odata.eq("name", "O'Brien & Sons #1 + co")))
    assert [r["name"] for r in rows] == ["O'Brien & Sons #1 + co"]


def test_delta_round_trip_with_update_and_delete(em, client):
    ids = seed_accounts(em, 30)
    first = client.read_changes("accounts", select=["name"], page_size=10)
    assert first.full and len(first.rows) == 30 and first.delta_link
    client.update_record("accounts", ids[0], {"name": "renamed"})
    client.delete_record("accounts", ids[1])
    new_id = client.create_record("accounts", {"name": "brand new"})
    second = client.read_changes("accounts", select=["name"], delta_link=first.delta_link)
    assert not second.full
    assert {r["accountid"]: r["name"] for r in second.rows} == {ids[0]: "renamed", new_id: "brand new"}
    assert second.deleted_ids == [ids[1]]
    third = client.read_changes("accounts", select=["name"], delta_link=second.delta_link)
    assert third.rows == [] and third.deleted_ids == [] and third.delta_link


def test_expired_delta_token_asks_for_a_resync(em, client):
    seed_accounts(em, 2)
    link = client.read_changes("accounts", select=["name"]).delta_link
    stale = link.split("$deltatoken=")[0] + "$deltatoken=1%2101%2f01%2f2020%2000%3a00%3a00"
    with pytest.raises(ChangeTokenExpiredError):
        client.read_changes("accounts", select=["name"], delta_link=stale)


def test_batch_of_1500_operations(em, client):
    ids = [str(uuid.uuid4()) for _ in range(1500)]
    ops = [BatchOperation.upsert("contacts", i, {"lastname": f"L{n}"}) for n, i in enumerate(ids)]
    ops[700] = BatchOperation.upsert("contacts", ids[700], {"no_such_column": 1})
    results = client.submit_batch(ops)
    assert [r.index for r in results] == list(range(1500))
    failed = [r.index for r in results if not r.ok]
    assert failed == [700] and results[700].error.status_code == 400
    assert em.store.count("contact") == 1499
    counters = em.counters.snapshot()
    assert counters["batch_operations"] == 1500 and counters["requests"].get("POST $batch") == 2


def test_change_set_rolls_back(em, client):
    ops = [BatchOperation.create("accounts", {"name": "kept?"}), BatchOperation.create("accounts", {"bogus": 1})]
    results = client.submit_batch(ops, change_set=True, continue_on_error=False)
    assert not results[0].ok and not results[1].ok and results[1].status_code == 400
    assert em.store.count("account") == 0


def _create_keyed_table(client: DataverseClient) -> None:
    label = {"LocalizedLabels": [{"Label": "FD test", "LanguageCode": 1033}]}
    # Components go into an existing solution whose publisher's prefix they carry (the emulator enforces it).
    publisher = client.create_record("publishers", {"uniquename": "opensalesinsights", "customizationprefix": "osi"})
    client.create_record("solutions", {"uniquename": "OpenSalesInsights",
                                       "publisherid@odata.bind": f"/publishers({publisher})"})
    client.create_entity({
        "@odata.type": "Microsoft.Dynamics.CRM.EntityMetadata", "SchemaName": "osi_FdTest",
        "DisplayName": label, "DisplayCollectionName": label, "OwnershipType": "OrganizationOwned",
        "HasActivities": False, "HasNotes": False, "ChangeTrackingEnabled": True,
        "Attributes": [{"@odata.type": "Microsoft.Dynamics.CRM.StringAttributeMetadata", "SchemaName": "osi_Name",
                        "AttributeType": "String", "MaxLength": 100, "IsPrimaryName": True, "DisplayName": label}],
    }, solution="OpenSalesInsights")
    client.create_attribute("osi_fdtest", {
        "@odata.type": "Microsoft.Dynamics.CRM.StringAttributeMetadata", "SchemaName": "osi_Key",
        "AttributeType": "String", "MaxLength": 100, "DisplayName": label})
    client.create_key("osi_fdtest", {"SchemaName": "osi_fdtest_key", "KeyAttributes": ["osi_key"],
                                     "DisplayName": label})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        keys = client.list_keys("osi_fdtest")
        if keys and keys[0].get("EntityKeyIndexStatus") == "Active":
            return
        time.sleep(0.2)
    raise AssertionError("the alternate key never became active")


def test_upsert_by_alternate_key_twice_leaves_one_row(em, client):
    _create_keyed_table(client)
    definition = client.get_entity_definition("osi_fdtest", select=["EntitySetName", "PrimaryIdAttribute"])
    entity_set = definition["EntitySetName"]
    assert {a["LogicalName"] for a in client.list_attributes("osi_fdtest")} >= {"osi_name", "osi_key"}
    key = {"osi_key": "run'1 coé"}
    client.upsert_record(entity_set, key, {"osi_name": "first"})
    client.upsert_record(entity_set, key, {"osi_name": "second"})
    rows = list(client.list_records(entity_set, select=["osi_name", "osi_key"]))
    assert [(r["osi_key"], r["osi_name"]) for r in rows] == [("run'1 coé", "second")]
    assert client.get_record(entity_set, key, select=["osi_name"])["osi_name"] == "second"
    # The same through $batch, with a key needing percent-escapes.
    batch_key = {"osi_key": "run'2 é"}
    results = client.submit_batch([BatchOperation.upsert(entity_set, batch_key, {"osi_name": "third"})] * 2)
    assert all(r.ok for r in results)
    rows = list(client.list_records(entity_set, select=["osi_name", "osi_key"]))
    assert sorted((r["osi_key"], r["osi_name"]) for r in rows) == [("run'1 coé", "second"), ("run'2 é", "third")]
    # A key value with a character Dataverse refuses in a URL is refused, never written under another key.
    with pytest.raises(HttpResponseError):
        client.upsert_record(entity_set, {"osi_key": "run & co"}, {"osi_name": "refused"})


def test_who_am_i_and_wrong_token(em, client, transport):
    assert set(client.who_am_i()) == {"UserId", "BusinessUnitId", "OrganizationId"}
    wrong = DataverseClient(em.url, StaticTokenCredential("wrong"), transport=transport)
    with pytest.raises(HttpResponseError) as info:
        wrong.who_am_i()
    assert info.value.status_code == 401


@pytest.mark.slow
def test_throttled_and_faulty_run_still_completes(em, client):
    ids = seed_accounts(em, 600)
    em.faults.throttle(route=r"/accounts$", after=4, window_seconds=2, retry_after=1)
    em.faults.fail(route=r"/accounts$", status=503, times=2)
    em.faults.drop(route=r"/accounts$", times=1)
    em.faults.fail(route=r"/\$batch$", status=503, times=1)
    rows = list(client.list_records("accounts", select=["name"], page_size=50))
    assert sorted(r["accountid"] for r in rows) == sorted(ids)
    results = client.submit_batch([BatchOperation.update("accounts", i, {"name": "x"}) for i in ids[:10]])
    assert all(r.ok for r in results)
    faults = em.counters.snapshot()["faults"]
    assert faults.get("429", 0) >= 1 and faults.get("503") == 3 and faults.get("drop") == 1
