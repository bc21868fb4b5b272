"""GraphClient: users, message metadata with date filter, its own headers, its token only on its origin."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from connector.errors import ForeignLinkError

from .conftest import GRAPH, TOKEN

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


def test_graph_requests_carry_no_odata_headers(mocked, graph):
    mocked.get(f"{GRAPH}users/{USER}/messages", json={"value": []})
    list(graph.list_messages(USER, select=["id"]))
    headers = mocked.calls[0].request.headers
    assert headers["Accept"] == "application/json"
    assert "OData-Version" not in headers and "OData-MaxVersion" not in headers and "If-None-Match" not in headers


def test_a_next_link_to_another_host_is_refused_before_the_token_leaves(mocked, graph):
    foreign = "https://graph.evil.example/v1.0/users?$skiptoken=X"
    mocked.get(GRAPH + "users", json={"value": [{"id": "1"}], "@odata.nextLink": foreign})
    mocked.get(foreign, json={"value": [{"id": "stolen"}]})
    seen = []
    with pytest.raises(ForeignLinkError, match="graph.evil.example"):
        for user in graph.list_users():
            seen.append(user["id"])
    assert seen == ["1"] and len(mocked.calls) == 1
