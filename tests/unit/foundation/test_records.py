"""DataverseClient reads and writes: pager, CRUD, upsert by alternate key, WhoAmI."""

from __future__ import annotations

import itertools
import json
import uuid
from urllib.parse import parse_qs, urlsplit

import pytest
import responses

from connector import odata
from connector.errors import HttpResponseError, PagingLoopError, ResourceNotFoundError

from .conftest import API

ID = "0f8fad5b-d9cb-469f-a165-70867728950e"


def test_pager_is_lazy_and_follows_next_links_verbatim(mocked, client):
    next1 = API + "contacts?$select=fullname&$skiptoken=%3Ccookie%20pagenumber=%222%22%20/%3E"
    next2 = API + "contacts?$select=fullname&$skiptoken=%3Ccookie%20pagenumber=%223%22%20/%3E"
    mocked.get(API + "contacts", json={"value": [{"n": 1}, {"n": 2}], "@odata.nextLink": next1},
               match=[responses.matchers.query_param_matcher({"$select": "fullname,contactid",
                                                              "$filter": "statecode eq 0"})])
    mocked.get(next1, json={"value": [{"n": 3}, {"n": 4}], "@odata.nextLink": next2},
               match=[responses.matchers.query_string_matcher(next1.split("?", 1)[1])])
    mocked.get(next2, json={"value": [{"n": 5}]}, match=[responses.matchers.query_string_matcher(next2.split("?")[1])])
    pager = client.list_records("contacts", select=["fullname", "contactid"], filter="statecode eq 0")
    assert len(mocked.calls) == 0  # nothing sent until iterated
    assert [row["n"] for row in pager] == [1, 2, 3, 4, 5]
    assert len(mocked.calls) == 3
    for call in mocked.calls:
        assert call.request.headers["Prefer"] == "odata.maxpagesize=2"  # same Prefer on every page
        assert call.request.headers["If-None-Match"] == "null"
    # The next links were fetched exactly as given, with nothing appended.
    assert mocked.calls[1].request.url == next1 and mocked.calls[2].request.url == next2


def test_by_page_and_continuation(mocked, client):
    link = API + "accounts?$skiptoken=abc"
    mocked.get(API + "accounts", json={"value": [{"n": 1}], "@odata.nextLink": link})
    mocked.get(link, json={"value": [{"n": 2}]})
    pager = client.list_records("accounts", select=["name"])
    pages = pager.by_page()
    assert next(pages) == [{"n": 1}] and pager.continuation_token == link
    resumed = client.list_records("accounts", select=["name"]).by_page(continuation_token=link)
    assert list(resumed) == [[{"n": 2}]]


def test_pager_detects_a_loop(mocked, client):
    link = API + "accounts?$skiptoken=same"
    mocked.get(API + "accounts", json={"value": [{"n": 1}], "@odata.nextLink": link})
    mocked.get(link, json={"value": [{"n": 2}], "@odata.nextLink": link})
    rows = []
    with pytest.raises(PagingLoopError):
        # Bounded: a pager that stopped detecting loops fails here instead of hanging the suite.
        for row in itertools.islice(client.list_records("accounts", select=["name"]), 10):
            rows.append(row)
    assert rows == [{"n": 1}, {"n": 2}]
    assert len(mocked.calls) == 2


def test_dataverse_requests_carry_the_odata_headers(mocked, client):
    mocked.get(API + "accounts", json={"value": []})
    list(client.list_records("accounts", select=["name"]))
    headers = mocked.calls[0].request.headers
    assert headers["OData-Version"] == "4.0" and headers["OData-MaxVersion"] == "4.0"
    assert headers["Accept"] == "application/json" and headers["If-None-Match"] == "null"


def test_top_is_sent_without_page_size_and_annotations(mocked, client):
    mocked.get(API + "accounts", json={"value": []})
    list(client.list_records("accounts", select=["name"], top=3, annotations="*"))
    request = mocked.calls[0].request
    assert "%24top=3" in request.url or "$top=3" in request.url
    assert request.headers["Prefer"] == 'odata.include-annotations="*"'


def test_non_collection_page_is_an_error(mocked, client):
    mocked.get(API + "accounts", json={"oops": 1})
    with pytest.raises(HttpResponseError, match="no 'value' array"):
        list(client.list_records("accounts", select=["name"]))


def test_hostile_filter_value_is_encoded_not_injected(mocked, client):
    mocked.get(API + "contacts", json={"value": []})
    hostile = "x' or 1 eq 1 & $top=1 #"
    list(client.list_records("contacts", select=["fullname"], filter=odata.eq("lastname", hostile)))
    sent = mocked.calls[0].request.url
    assert sent.count("&") == 1 and "#" not in sent  # only the separator between $select and $filter
    query = parse_qs(urlsplit(sent).query)
    assert query["$filter"] == ["lastname eq 'x'' or 1 eq 1 & $top=1 #'"]


def test_get_record_and_not_found(mocked, client):
    mocked.get(f"{API}accounts({ID})", json={"accountid": ID, "name": "A"})
    assert client.get_record("accounts", ID, select=["name"])["name"] == "A"
    mocked.get(f"{API}accounts({uuid.UUID(int=0)})", status=404,
               json={"error": {"code": "0x80040217", "message": "account With Id = 0 Does Not Exist"}})
    with pytest.raises(ResourceNotFoundError, match="Does Not Exist"):
        client.get_record("accounts", str(uuid.UUID(int=0)))


def test_create_returns_id_from_odata_entityid(mocked, client):
    mocked.post(API + "accounts", status=204, headers={"OData-EntityId": f"{API}accounts({ID.upper()})"})
    assert client.create_record("accounts", {"name": "Contoso"}) == ID
    assert json.loads(mocked.calls[0].request.body) == {"name": "Contoso"}


def test_create_without_entity_id_is_an_error(mocked, client):
    mocked.post(API + "accounts", status=204)
    with pytest.raises(HttpResponseError, match="OData-EntityId"):
        client.create_record("accounts", {"name": "x"})


def test_update_sends_if_match_and_upsert_does_not(mocked, client):
    mocked.patch(f"{API}accounts({ID})", status=204)
    client.update_record("accounts", ID, {"name": "B"})
    assert mocked.calls[0].request.headers["If-Match"] == "*"
    url = f"{API}osi_syncruns(osi_key='run-1''x')"
    mocked.patch(url, status=204)
    client.upsert_record("osi_syncruns", {"osi_key": "run-1'x"}, {"osi_status": 1})
    assert "If-Match" not in mocked.calls[1].request.headers
    assert mocked.calls[1].request.url in (url, url.replace("'", "%27"))


def test_upsert_is_retried_as_idempotent(mocked, client, clock):
    url = f"{API}accounts({ID})"
    mocked.patch(url, status=502)
    mocked.patch(url, status=204)
    client.upsert_record("accounts", ID, {"name": "x"})
    assert len(mocked.calls) == 2 and len(clock.sleeps) == 1


def test_delete_succeeds_on_404(mocked, client):
    mocked.delete(f"{API}accounts({ID})", status=404, json={"error": {"code": "0x80040217", "message": "gone"}})
    client.delete_record("accounts", ID)
    mocked.delete(f"{API}contacts({ID})", status=403, json={"error": {"code": "0x80040220", "message": "denied"}})
    with pytest.raises(HttpResponseError, match="denied"):
        client.delete_record("contacts", ID)


def test_who_am_i(mocked, client):
    mocked.get(API + "WhoAmI", json={"@odata.context": "x", "UserId": ID, "BusinessUnitId": "b", "OrganizationId": "o"})
    assert client.who_am_i() == {"UserId": ID, "BusinessUnitId": "b", "OrganizationId": "o"}


def test_bad_names_and_keys_never_reach_the_wire(mocked, client):
    with pytest.raises(ValueError):
        client.list_records("contacts?$top=1", select=["x"])
    with pytest.raises(ValueError):
        client.get_record("contacts", "1 or 1")
    assert len(mocked.calls) == 0
