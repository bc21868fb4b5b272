"""GraphClient: users, message metadata with date filter, $batch of 20 with per-member throttling."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from connector.auth import StaticTokenCredential
from connector.errors import ThrottledError
from connector.graph import GraphClient, GraphRequest
from connector.http import RetryPolicy, Transport

from .conftest import GRAPH, TOKEN, FakeClock

USER = "c0ffee00-1111-2222-3333-444455556666"


def test_list_users_pages(mocked, graph):
    nxt = GRAPH + "users?$skiptoken=X"
    mocked.get(GRAPH + "users", json={"value": [{"id": "1"}], "@odata.nextLink": nxt})
    mocked.get(nxt, json={"value": [{"id": "2"}]})
    assert [u["id"] for u in graph.list_users()] == ["1", "2"]
    query = parse_qs(urlsplit(mocked.calls[0].request.url).query)
    assert query["$select"] == ["id,displayName,mail,userPrincipalName"] and query["$top"] == ["999"]


def test_list_messages_filters_on_received_date(mocked, graph):
    url = f"{GRAPH}users/{USER}/messages"
    mocked.get(url, json={"value": [{"id": "m1"}]})
    since = datetime(2024, 3, 1, tzinfo=UTC)
    until = datetime(2024, 4, 1, tzinfo=UTC)
    rows = list(graph.list_messages(USER, select=["id", "receivedDateTime"], since=since, until=until, page_size=50))
    assert rows == [{"id": "m1"}]
    query = parse_qs(urlsplit(mocked.calls[0].request.url).query)
    expected = "receivedDateTime ge 2024-03-01T00:00:00Z and receivedDateTime lt 2024-04-01T00:00:00Z"
    assert query["$filter"] == [expected]
    assert query["$top"] == ["50"] and query["$select"] == ["id,receivedDateTime"]
    assert mocked.calls[0].request.headers["Authorization"] == f"Bearer {TOKEN}"


def test_upn_is_path_encoded(mocked, graph):
    mocked.get(GRAPH + "users/a%2Fb%40contoso.com/messages", json={"value": []})
    assert list(graph.list_messages("a/b@contoso.com", select=["id"])) == []


def test_naive_datetime_rejected(graph):
    with pytest.raises(ValueError):
        graph.list_messages(USER, select=["id"], since=datetime(2024, 1, 1))


def _answer(members, throttled=(), retry_after="3"):
    out = []
    for m in members:
        if m["id"] in throttled:
            out.append({"id": m["id"], "status": 429, "headers": {"Retry-After": retry_after},
                        "body": {"error": {"code": "TooManyRequests", "message": "Please retry again later."}}})
        else:
            out.append({"id": m["id"], "status": 200, "headers": {}, "body": {"echo": m["url"]}})
    return {"responses": list(reversed(out))}  # Graph may answer out of order


def test_batch_chunks_by_20_and_resubmits_throttled_members(mocked, clock: FakeClock):
    graph = GraphClient("https://graph.microsoft.com", StaticTokenCredential(TOKEN),
                        transport=Transport(clock=clock, sleep=clock.sleep))
    sent: list[list[str]] = []
    seen: set[str] = set()

    def callback(request):
        members = json.loads(request.body)["requests"]
        sent.append([m["id"] for m in members])
        throttled = {m["id"] for m in members if m["id"] in {"3", "21"} and m["id"] not in seen}
        seen.update(m["id"] for m in members)
        return 200, {"Content-Type": "application/json"}, json.dumps(_answer(members, throttled))

    mocked.add_callback("POST", GRAPH + "$batch", callback=callback)
    requests = [GraphRequest("GET", f"/users/u{i}/messages?$top=1") for i in range(25)]
    results = graph.batch(requests)
    assert [len(ids) for ids in sent] == [20, 1, 5, 1]
    assert sent[1] == ["3"] and sent[3] == ["21"]
    assert clock.sleeps == [3.0, 3.0]
    assert all(r.ok for r in results) and [r.body["echo"] for r in results] == [r.url for r in requests]


def test_batch_members_still_throttled_after_budget(mocked, clock: FakeClock):
    graph = GraphClient("https://graph.microsoft.com", StaticTokenCredential(TOKEN),
                        transport=Transport(retry=RetryPolicy(budget_seconds=10), clock=clock, sleep=clock.sleep))

    def callback(request):
        members = json.loads(request.body)["requests"]
        return 200, {}, json.dumps(_answer(members, {"0"}, retry_after="4"))

    mocked.add_callback("POST", GRAPH + "$batch", callback=callback)
    results = graph.batch([GraphRequest("GET", "/users/a"), GraphRequest("GET", "/users/b")])
    assert results[1].ok and not results[0].ok
    assert isinstance(results[0].error, ThrottledError) and results[0].error.retry_after == 4.0
    assert clock.sleeps == [4.0, 4.0]


def test_batch_member_body_and_headers(mocked, graph):
    mocked.post(GRAPH + "$batch", json={"responses": [{"id": "0", "status": 404, "body": {
        "error": {"code": "ErrorItemNotFound", "message": "not found"}}}]})
    (result,) = graph.batch([GraphRequest("POST", "/users/a/messages", body={"subject": "x"})])
    member = json.loads(mocked.calls[0].request.body)["requests"][0]
    assert member["headers"]["Content-Type"] == "application/json" and member["body"] == {"subject": "x"}
    assert result.status_code == 404 and result.error.service_error_code == "ErrorItemNotFound"
