"""The transport: status → exception table, Retry-After, backoff budget, 401 refresh, what is retried."""

from __future__ import annotations

import logging

import pytest
import requests
import responses
from urllib3.exceptions import MaxRetryError, NewConnectionError

from connector.errors import (
    ChangeTokenExpiredError,
    ForeignLinkError,
    HttpResponseError,
    ResourceModifiedError,
    ResourceNotFoundError,
    ThrottledError,
    TransportError,
)
from connector.http import BearerAuth, RetryPolicy, Transport
from connector.http.response import path_of

from .conftest import API, ORG, TOKEN, FakeClock, FixedToken

URL = API + "accounts"
AUTH = BearerAuth(FixedToken(), f"{ORG}/.default", ORG)


def _error(code: str, message: str) -> dict[str, object]:
    return {"error": {"code": code, "message": message}}


@pytest.mark.parametrize(
    ("status", "body", "expected", "code"),
    [
        (400, _error("0x0", "Could not find a property named 'Name'"), HttpResponseError, "0x0"),
        (403, _error("0x80040220", "Principal user is missing prvReadAccount privilege"), HttpResponseError,
         "0x80040220"),
        (404, _error("0x8006088a", "Resource not found for the segment 'Account'."), ResourceNotFoundError,
         "0x8006088a"),
        (412, _error("", "A record with matching key values already exists."), ResourceModifiedError, None),
        (400, _error("0x80044352", "Version stamp associated with the client has expired. Please perform a full sync."),
         ChangeTokenExpiredError, "0x80044352"),
        (400, _error("0x0", "The change tracking token has expired; resync."), ChangeTokenExpiredError, "0x0"),
        (410, _error("syncStateNotFound", "The sync state generation is not found."), ChangeTokenExpiredError,
         "syncStateNotFound"),
        (405, _error("0x80040237", "CannotDeleteDueToAssociation"), HttpResponseError, "0x80040237"),
        (500, "<html>oops</html>", HttpResponseError, None),
    ],
)
def test_status_maps_to_exception(mocked, transport, status, body, expected, code):
    if isinstance(body, dict):
        mocked.get(URL, json=body, status=status, headers={"x-ms-service-request-id": "svc-1"})
    else:
        mocked.get(URL, body=body, status=status)
    with pytest.raises(expected) as info:
        transport.send("GET", URL, auth=AUTH)
    error = info.value
    assert type(error) is expected
    assert error.status_code == status
    assert error.service_error_code == code
    assert error.request_id and error.request_id == mocked.calls[-1].request.headers["x-ms-client-request-id"]
    if isinstance(body, dict):
        assert error.service_request_id == "svc-1"
        assert body["error"]["message"] in str(error)


def test_inner_error_message_is_appended(mocked, transport):
    body = {"error": {"code": "0x0", "message": "outer", "innererror": {"message": "inner detail"}}}
    mocked.get(URL, json=body, status=400)
    with pytest.raises(HttpResponseError, match="outer \\(inner detail\\)"):
        transport.send("GET", URL)


def test_429_waits_exactly_retry_after_then_succeeds(mocked, transport, clock: FakeClock):
    mocked.get(URL, status=429, headers={"Retry-After": "7"}, json=_error("0x80072322", "Number of requests exceeded"))
    mocked.get(URL, status=200, json={"value": []})
    response = transport.send("GET", URL, auth=AUTH)
    assert response.status_code == 200
    assert clock.sleeps == [7.0]
    # Each attempt carries its own client request id.
    ids = [c.request.headers["x-ms-client-request-id"] for c in mocked.calls]
    assert len(set(ids)) == 2


def test_429_without_retry_after_backs_off_exponentially(mocked, clock: FakeClock):
    transport = Transport(retry=RetryPolicy(backoff_base=1.0), clock=clock, sleep=clock.sleep, rng=lambda: 1.0)
    for _ in range(3):
        mocked.get(URL, status=429)
    mocked.get(URL, status=200, json={})
    transport.send("GET", URL)
    assert clock.sleeps == [1.0, 2.0, 4.0]


def test_retry_after_is_capped(mocked, clock: FakeClock):
    transport = Transport(retry=RetryPolicy(retry_after_max=30.0), clock=clock, sleep=clock.sleep)
    mocked.get(URL, status=429, headers={"Retry-After": "4000"})
    mocked.get(URL, status=200, json={})
    transport.send("GET", URL)
    assert clock.sleeps == [30.0]


def test_throttled_beyond_budget_raises_throttled_error(mocked, clock: FakeClock):
    transport = Transport(retry=RetryPolicy(budget_seconds=20.0), clock=clock, sleep=clock.sleep)
    mocked.get(URL, status=429, headers={"Retry-After": "15"}, json=_error("0x80072322", "Number of requests"))
    with pytest.raises(ThrottledError) as info:
        transport.send("GET", URL)
    assert info.value.retry_after == 15.0
    assert clock.sleeps == [15.0]  # a second 15 s wait would pass the 20 s budget
    assert "gave up after 2 attempts" in str(info.value)


def test_5xx_backoff_gives_up_after_budget_with_clear_error(mocked, clock: FakeClock, caplog):
    transport = Transport(
        retry=RetryPolicy(budget_seconds=60.0, max_attempts=100, backoff_base=2.0, backoff_max=16.0),
        clock=clock, sleep=clock.sleep, rng=lambda: 1.0,
    )
    mocked.get(URL, status=503, json=_error("", "Service unavailable"))
    caplog.set_level(logging.DEBUG, logger="connector.http")
    with pytest.raises(HttpResponseError) as info:
        transport.send("GET", URL)
    assert info.value.status_code == 503
    assert sum(clock.sleeps) <= 60.0
    assert clock.sleeps[:4] == [2.0, 4.0, 8.0, 16.0]  # exponential, capped at 16
    message = str(info.value)
    assert "Service unavailable" in message and "gave up after" in message and "retry budget 60 s" in message
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    debugs = [r for r in caplog.records if r.levelno == logging.DEBUG and "retrying" in r.getMessage()]
    assert len(warnings) == 1 and len(debugs) == len(clock.sleeps)


def test_jitter_stays_within_half_to_full_backoff(mocked, clock: FakeClock):
    transport = Transport(retry=RetryPolicy(backoff_base=4.0), clock=clock, sleep=clock.sleep, rng=lambda: 0.0)
    mocked.get(URL, status=504)
    mocked.get(URL, status=200, json={})
    transport.send("GET", URL)
    assert clock.sleeps == [2.0]


def test_401_refreshes_the_token_once(mocked, transport):
    class Rotating:
        def __init__(self) -> None:
            self.calls: list[bool] = []

        def get_token(self, *scopes: str, force_refresh: bool = False) -> str:
            self.calls.append(force_refresh)
            return "fresh" if force_refresh else "stale"

    credential = Rotating()
    mocked.get(URL, status=401, json=_error("", "token expired"))
    mocked.get(URL, status=200, json={"ok": True})
    assert transport.send("GET", URL, auth=BearerAuth(credential, "s", ORG)).json() == {"ok": True}
    assert credential.calls == [False, True]
    assert [c.request.headers["Authorization"] for c in mocked.calls] == ["Bearer stale", "Bearer fresh"]


def test_401_twice_raises(mocked, transport):
    mocked.get(URL, status=401, json=_error("", "invalid token"))
    with pytest.raises(HttpResponseError) as info:
        transport.send("GET", URL, auth=AUTH)
    assert info.value.status_code == 401
    assert len(mocked.calls) == 2


@pytest.mark.parametrize("status", [408, 502])
def test_post_is_not_retried_on_ambiguous_failures(mocked, transport, clock, status):
    mocked.post(URL, status=status)
    with pytest.raises(HttpResponseError):
        transport.send("POST", URL, json={"name": "x"})
    assert len(mocked.calls) == 1 and clock.sleeps == []


@pytest.mark.parametrize("status", [429, 503, 504])
def test_post_is_retried_when_the_service_surely_did_not_act(mocked, transport, status):
    mocked.post(URL, status=status)
    mocked.post(URL, status=204)
    assert transport.send("POST", URL, json={"name": "x"}).status_code == 204


def test_idempotent_post_is_retried_on_502(mocked, transport):
    mocked.post(URL, status=502)
    mocked.post(URL, status=200, json={})
    assert transport.send("POST", URL, data=b"x", idempotent=True).status_code == 200


def _refused() -> requests.ConnectionError:
    reason = NewConnectionError(None, "Connection refused")  # type: ignore[arg-type]
    return requests.ConnectionError(MaxRetryError(None, URL, reason=reason))  # type: ignore[arg-type]


def test_connection_refused_is_retried_even_for_post(mocked, transport):
    mocked.post(URL, body=_refused())
    mocked.post(URL, status=204)
    assert transport.send("POST", URL, json={}).status_code == 204


def test_dropped_connection_on_post_is_not_retried(mocked, transport):
    mocked.post(URL, body=requests.ConnectionError("Connection reset by peer"))
    with pytest.raises(TransportError, match="ConnectionError"):
        transport.send("POST", URL, json={})
    assert len(mocked.calls) == 1


def test_connection_errors_give_up_as_transport_error(mocked, clock: FakeClock):
    transport = Transport(retry=RetryPolicy(budget_seconds=10.0), clock=clock, sleep=clock.sleep, rng=lambda: 1.0)
    mocked.get(URL, body=requests.ReadTimeout("read timed out"))
    with pytest.raises(TransportError, match="gave up after"):
        transport.send("GET", URL)
    assert len(mocked.calls) > 1


def test_raise_for_status_false_returns_the_error_response(mocked, transport):
    mocked.post(URL, status=400, body=b"--b--", content_type="multipart/mixed; boundary=b")
    assert transport.send("POST", URL, data=b"", raise_for_status=False).status_code == 400


def test_headers_and_query_encoding(mocked, transport):
    mocked.get(URL, json={})
    transport.send("GET", URL, auth=AUTH, params={"$filter": "name eq 'A&B + C=#1'", "$select": "name,x"})
    request = mocked.calls[0].request
    assert request.url.endswith("?%24filter=name%20eq%20'A%26B%20%2B%20C%3D%231'&%24select=name,x") or \
        request.url.endswith("?$filter=name%20eq%20'A%26B%20%2B%20C%3D%231'&$select=name,x")
    assert "OData-Version" not in request.headers  # service headers are each client's own
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert request.headers["User-Agent"].startswith("open-sales-insights/")


def test_authorization_never_logged(mocked, transport, caplog):
    caplog.set_level(logging.DEBUG)
    mocked.get(URL, status=503)
    mocked.get(URL, status=401)
    mocked.get(URL, status=200, json={})
    transport.send("GET", URL, auth=AUTH, params={"$filter": "emailaddress1 eq 'ceo@contoso.com'"})
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "retrying" in text
    assert TOKEN not in text and "Bearer" not in text and "ceo@contoso.com" not in text


@responses.activate
def test_decode_error_without_body_uses_reason_phrase():
    responses.get(URL, status=404)
    transport = Transport(sleep=lambda s: None)
    with pytest.raises(ResourceNotFoundError, match="HTTP 404: Not Found"):
        transport.send("GET", URL)


def test_logged_paths_mask_alternate_key_values(mocked, transport, caplog):
    caplog.set_level(logging.DEBUG, logger="connector.http")
    url = API + "contacts(emailaddress1='ceo%40contoso.com')"
    mocked.patch(url, status=404, json=_error("0x80040217", "contact Does Not Exist"))
    with pytest.raises(ResourceNotFoundError) as info:
        transport.send("PATCH", url, json={})
    text = str(info.value) + "\n".join(r.getMessage() for r in caplog.records)
    assert "contoso.com" not in text and "contacts(emailaddress1='…')" in text
    metadata = API + "EntityDefinitions(LogicalName='contact')/Keys"
    assert path_of(metadata) == metadata


# --- #17 item 6: HTTP 500 and Dataverse's transient codes are retried when repeating is harmless ---------------

UNEXPECTED = _error("0x80040216", "An unexpected error occurred.")


@pytest.mark.parametrize(("method", "kwargs"), [
    ("GET", {}),
    ("DELETE", {}),
    ("PATCH", {"json": {"name": "x"}, "headers": {"If-Match": "*"}, "idempotent": True}),  # update by id
    ("PATCH", {"json": {"name": "x"}, "idempotent": True}),  # upsert by key
    ("POST", {"data": b"--b--", "idempotent": True}),  # a $batch of upserts
])
def test_500_is_retried_for_idempotent_requests(mocked, transport, clock: FakeClock, method, kwargs):
    mocked.add(method, URL, status=500, json=UNEXPECTED)
    mocked.add(method, URL, status=500, json=_error("", "Generic SQL error."))
    mocked.add(method, URL, status=204)
    assert transport.send(method, URL, **kwargs).status_code == 204
    assert len(mocked.calls) == 3 and clock.sleeps == [0.75, 1.5]


def test_post_create_is_not_retried_on_500(mocked, transport, clock: FakeClock):
    mocked.post(URL, status=500, json=UNEXPECTED)
    with pytest.raises(HttpResponseError) as info:
        transport.send("POST", URL, json={"name": "x"})
    assert info.value.status_code == 500 and info.value.service_error_code == "0x80040216"
    assert len(mocked.calls) == 1 and clock.sleeps == []


def test_transient_code_is_retried_whatever_its_status(mocked, transport):
    mocked.get(URL, status=400, json=UNEXPECTED)
    mocked.get(URL, status=200, json={"value": []})
    assert transport.send("GET", URL).json() == {"value": []}


def test_500_gives_up_after_the_budget_with_the_service_message(mocked, clock: FakeClock):
    transport = Transport(retry=RetryPolicy(budget_seconds=10.0), clock=clock, sleep=clock.sleep, rng=lambda: 1.0)
    mocked.get(URL, status=500, json=UNEXPECTED)
    with pytest.raises(HttpResponseError, match="An unexpected error occurred.*gave up after"):
        transport.send("GET", URL)
    assert 1 < len(mocked.calls) <= 10 and sum(clock.sleeps) <= 10.0


# --- an expired change-tracking token is known by its code, at any status, and never repeated ------------------

EXPIRED = _error("0x80044352", "Version stamp associated with the client has expired. Please perform a full sync.")


@pytest.mark.parametrize("status", [400, 403, 410, 500, 503])
def test_expired_token_is_recognised_by_its_code_at_any_status(mocked, transport, clock: FakeClock, status):
    mocked.get(URL, status=status, json=EXPIRED)
    with pytest.raises(ChangeTokenExpiredError) as info:
        transport.send("GET", URL)
    assert info.value.status_code == status
    assert len(mocked.calls) == 1 and clock.sleeps == []  # repeating cannot help: read fully instead


def test_expiry_wording_without_the_code_counts_only_on_400_and_410(mocked, transport):
    mocked.get(URL, status=500, json=_error("", "The change tracking token has expired."))
    mocked.get(URL, status=500, json=_error("", "The change tracking token has expired."))
    mocked.get(URL, status=200, json={})
    assert transport.send("GET", URL).status_code == 200  # a plain 500, retried


# --- #17 item 2: the token goes only to the origin the auth is bound to -------------------------------------

@pytest.mark.parametrize("url", [
    "https://contoso.crm4.dynamics.com.evil.example/api/data/v9.2/accounts",
    "http://contoso.crm4.dynamics.com/api/data/v9.2/accounts",  # another scheme
    "https://contoso.crm4.dynamics.com:8443/api/data/v9.2/accounts",  # another port
    "https://contoso.crm4.dynamics.com@evil.example/api/data/v9.2/accounts",  # user information
    "https://evil.example/api/data/v9.2/accounts?$deltatoken=1",
    "not a url",
])
def test_foreign_links_are_refused_before_any_request(mocked, transport, url):
    credential = FixedToken()
    with pytest.raises(ForeignLinkError) as info:
        transport.send("GET", url, auth=BearerAuth(credential, f"{ORG}/.default", ORG))
    assert len(mocked.calls) == 0 and credential.asked == []
    assert "$deltatoken" not in str(info.value) and "/api/data" not in str(info.value)


def test_same_origin_with_explicit_default_port_is_accepted(mocked, transport):
    url = "https://CONTOSO.crm4.dynamics.com:443/api/data/v9.2/accounts"
    mocked.get(url, json={})
    transport.send("GET", url, auth=AUTH)
    assert mocked.calls[0].request.headers["Authorization"] == f"Bearer {TOKEN}"
