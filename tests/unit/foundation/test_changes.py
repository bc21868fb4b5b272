"""Change tracking: full read, delta with tombstones, expired token, links that leave the organisation."""

from __future__ import annotations

import pytest

from connector.dataverse.changes import is_tombstone
from connector.errors import ChangeTokenExpiredError, ForeignLinkError, PagingLoopError

from .conftest import API

A = "0f8fad5b-d9cb-469f-a165-70867728950e"
B = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
DELTA1 = API + "accounts?$select=name&$deltatoken=919042%2108%2f22%2f2017%2008%3a10%3a44"
DELTA2 = API + "accounts?$select=name&$deltatoken=919050%2108%2f22%2f2017%2009%3a00%3a00"


def test_first_read_is_full_with_track_changes(mocked, client):
    page2 = API + "accounts?$select=name&$skiptoken=2"
    mocked.get(API + "accounts", json={"value": [{"accountid": A, "name": "a"}], "@odata.nextLink": page2})
    mocked.get(page2, json={"value": [{"accountid": B, "name": "b"}], "@odata.deltaLink": DELTA1})
    batch = client.read_changes("accounts", select=["name"])
    assert batch.full and [r["accountid"] for r in batch.rows] == [A, B]
    assert batch.deleted_ids == [] and batch.delta_link == DELTA1
    for call in mocked.calls:
        assert call.request.headers["Prefer"] == "odata.track-changes,odata.maxpagesize=2"
    assert "%24filter" not in mocked.calls[0].request.url and "$filter" not in mocked.calls[0].request.url


def test_delta_round_returns_updates_then_tombstones(mocked, client):
    mocked.get(DELTA1, json={
        "@odata.context": f"{API}$metadata#accounts(name)/$delta",
        "value": [
            {"@odata.etag": 'W/"1"', "accountid": A, "name": "renamed"},
            {"@odata.context": f"{API}$metadata#accounts/$deletedEntity", "id": B.upper(), "reason": "deleted"},
        ],
        "@odata.deltaLink": DELTA2,
    })
    batch = client.read_changes("accounts", select=["name"], delta_link=DELTA1)
    assert not batch.full
    assert batch.rows == [{"@odata.etag": 'W/"1"', "accountid": A, "name": "renamed"}]
    assert batch.deleted_ids == [B] and batch.delta_link == DELTA2
    # Fetched verbatim (requests only upper-cases percent-escapes, which RFC 3986 treats as equal).
    assert mocked.calls[0].request.url.lower() == DELTA1.lower()


def test_tombstone_recognition():
    assert is_tombstone({"@odata.context": "x/$metadata#accounts/$deletedEntity", "id": A, "reason": "deleted"})
    assert is_tombstone({"id": A, "reason": "deleted"})
    assert not is_tombstone({"accountid": A, "reason": "a column called reason", "name": "x"})
    assert not is_tombstone({"@odata.context": "x/$metadata#accounts/$entity", "accountid": A})


def test_expired_token_surfaces_as_its_own_error(mocked, client):
    message = "Version stamp associated with the client has expired. Please perform a full sync."
    mocked.get(DELTA1, status=400, json={"error": {"code": "0x80044352", "message": message}})
    with pytest.raises(ChangeTokenExpiredError):
        client.read_changes("accounts", select=["name"], delta_link=DELTA1)


def test_empty_delta(mocked, client):
    mocked.get(DELTA1, json={"value": [], "@odata.deltaLink": DELTA2})
    batch = client.read_changes("accounts", select=["name"], delta_link=DELTA1)
    assert batch.rows == [] and batch.deleted_ids == [] and batch.delta_link == DELTA2


def test_change_paging_loop(mocked, client):
    page = API + "accounts?$skiptoken=1"
    mocked.get(API + "accounts", json={"value": [], "@odata.nextLink": page})
    mocked.get(page, json={"value": [], "@odata.nextLink": page})
    with pytest.raises(PagingLoopError):
        client.read_changes("accounts", select=["name"])


def test_a_delta_link_edited_to_another_host_never_receives_the_token(mocked, client):
    # A checkpoint in the state store, edited to point elsewhere: refused before any request is made.
    forged = "https://attacker.example/api/data/v9.2/accounts?$select=name&$deltatoken=919042"
    mocked.get(forged, json={"value": [], "@odata.deltaLink": forged})
    with pytest.raises(ForeignLinkError, match="attacker.example"):
        client.read_changes("accounts", select=["name"], delta_link=forged)
    assert len(mocked.calls) == 0


def test_a_next_link_from_a_response_to_another_host_is_refused(mocked, client):
    foreign = "https://contoso.crm4.dynamics.com.attacker.example/api/data/v9.2/accounts?$skiptoken=2"
    mocked.get(API + "accounts", json={"value": [{"accountid": A}], "@odata.nextLink": foreign})
    pages = client.iter_changes("accounts", select=["name"])
    first = next(pages)
    assert [r["accountid"] for r in first.rows] == [A] and first.delta_link is None
    with pytest.raises(ForeignLinkError):
        next(pages)
    assert len(mocked.calls) == 1


def test_iter_changes_hands_the_delta_link_on_the_last_page_only(mocked, client):
    page2 = API + "accounts?$select=name&$skiptoken=2"
    mocked.get(API + "accounts", json={"value": [{"accountid": A}], "@odata.nextLink": page2,
                                       "@odata.deltaLink": "ignored"})
    mocked.get(page2, json={"value": [{"id": B, "reason": "deleted"}], "@odata.deltaLink": DELTA1})
    pages = list(client.iter_changes("accounts", select=["name"]))
    assert [(len(p.rows), p.deleted_ids, p.delta_link) for p in pages] == [(1, [], None), (0, [B], DELTA1)]


@pytest.mark.parametrize("status", [400, 500])
def test_expired_token_at_any_status_makes_read_changes_raise_it_once(mocked, client, status):
    message = "Version stamp associated with the client has expired. Please perform a full sync."
    mocked.get(DELTA1, status=status, json={"error": {"code": "0x80044352", "message": message}})
    with pytest.raises(ChangeTokenExpiredError):
        client.read_changes("accounts", select=["name"], delta_link=DELTA1)
    assert len(mocked.calls) == 1
