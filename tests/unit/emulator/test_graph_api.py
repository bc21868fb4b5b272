"""The emulator's Graph endpoints, driven through ``GraphApi.handle`` with werkzeug test requests."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

from emulator.graph_api import GraphApi
from emulator.org import DemoOrg

BASE = "http://127.0.0.1:5555"
ALICE = "0b6f0c1e-1111-4a1a-8a1a-000000000001"
BOB = "0b6f0c1e-2222-4a1a-8a1a-000000000002"
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _iso(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def _message(i: int, sender: str, to: str) -> dict:
    sent = T0 + timedelta(hours=i)
    return {"id": f"AAMk{i:04d}", "subject": f"Subject {i}", "body": {"contentType": "html", "content": f"<p>{i}</p>"},
            "from": {"emailAddress": {"name": sender, "address": sender}},
            "sender": {"emailAddress": {"name": sender, "address": sender}},
            "toRecipients": [{"emailAddress": {"name": to, "address": to}}], "ccRecipients": [],
            "sentDateTime": _iso(sent), "receivedDateTime": _iso(sent + timedelta(seconds=30)),
            "conversationId": f"conv{i // 3}", "internetMessageId": f"<m{i}@x.example>", "isDraft": False}


@pytest.fixture()
def api(tmp_path: Path) -> GraphApi:
    path = tmp_path / "g.sqlite"
    graph = GraphApi(lambda: sqlite3.connect(path, check_same_thread=False), BASE + "/v1.0/")
    org = DemoOrg(now=T0)
    org.graph_users = [
        {"id": ALICE, "displayName": "Alice", "mail": "alice@osi.example", "userPrincipalName": "Alice@osi.example"},
        {"id": BOB, "displayName": "Bob", "mail": "bob@osi.example", "userPrincipalName": "bob@osi.example"},
        *({"id": f"00000000-0000-4000-8000-{i:012d}", "displayName": f"U{i}", "mail": f"u{i}@osi.example",
           "userPrincipalName": f"u{i}@osi.example"} for i in range(3)),
    ]
    org.mailboxes = {ALICE: [_message(i, "alice@osi.example" if i % 4 == 0 else "c@cust.example",
                                      "c@cust.example" if i % 4 == 0 else "alice@osi.example") for i in range(25)],
                     BOB: []}
    conn = sqlite3.connect(path)
    graph.load(conn, org)
    conn.commit()
    conn.close()
    return graph


def call(api: GraphApi, url: str, method: str = "GET", body: object = None) -> Response:
    parts = urlsplit(url)
    env = EnvironBuilder(path=parts.path, query_string=parts.query, method=method,
                         data=json.dumps(body) if body is not None else None,
                         content_type="application/json" if body is not None else None).get_environ()
    return api.handle(Request(env))


def follow(api: GraphApi, url: str) -> list[dict]:
    items, pages = [], 0
    while url:
        resp = call(api, url)
        assert resp.status_code == 200, resp.get_data(as_text=True)
        data = resp.get_json()
        items.extend(data["value"])
        url = data.get("@odata.nextLink")
        pages += 1
        assert pages < 100
    return items


def test_users_page_and_select(api: GraphApi) -> None:
    first = call(api, "/v1.0/users?$top=2&$select=id,mail").get_json()
    assert [u["id"] for u in first["value"]] == [ALICE, BOB]
    assert set(first["value"][0]) == {"id", "mail"}
    assert first["@odata.nextLink"].startswith(BASE + "/v1.0/users?")
    assert "$skiptoken=" in first["@odata.nextLink"]
    everyone = follow(api, "/v1.0/users?$top=2")
    assert len(everyone) == 5 and len({u["id"] for u in everyone}) == 5


def test_users_default_page_has_no_next_link_and_top_limit(api: GraphApi) -> None:
    data = call(api, "/v1.0/users").get_json()
    assert len(data["value"]) == 5 and "@odata.nextLink" not in data
    bad = call(api, "/v1.0/users?$top=1000")
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "BadRequest"


def test_user_by_upn_is_case_insensitive_and_unknown_is_404(api: GraphApi) -> None:
    assert call(api, "/v1.0/users/ALICE@osi.example").get_json()["id"] == ALICE
    resp = call(api, "/v1.0/users/nobody@osi.example/messages")
    err = resp.get_json()["error"]
    assert resp.status_code == 404 and err["code"] == "Request_ResourceNotFound"
    assert {"date", "request-id", "client-request-id"} <= set(err["innerError"])


def test_messages_default_page_is_ten_newest_first_without_body(api: GraphApi) -> None:
    data = call(api, f"/v1.0/users/{ALICE}/messages").get_json()
    assert len(data["value"]) == 10
    received = [m["receivedDateTime"] for m in data["value"]]
    assert received == sorted(received, reverse=True)
    assert "body" not in data["value"][0] and data["value"][0]["internetMessageId"].startswith("<m")
    assert data["value"][0]["from"]["emailAddress"]["address"]


def test_messages_paging_visits_each_message_once(api: GraphApi) -> None:
    items = follow(api, f"/v1.0/users/{ALICE}/messages?$top=7&$select=id,subject")
    assert len(items) == 25 and len({m["id"] for m in items}) == 25
    assert set(items[0]) == {"id", "subject"}


def test_body_only_when_selected(api: GraphApi) -> None:
    data = call(api, f"/v1.0/users/{ALICE}/messages?$select=subject,body&$top=1").get_json()
    assert data["value"][0]["body"]["contentType"] == "html"
    assert "(id,subject,body)" in data["@odata.context"]


def test_filter_on_dates(api: GraphApi) -> None:
    lo, hi = _iso(T0 + timedelta(hours=5)), _iso(T0 + timedelta(hours=10))
    items = follow(api, f"/v1.0/users/{ALICE}/messages?$filter=sentDateTime ge {lo} and sentDateTime lt {hi}")
    assert sorted(m["subject"] for m in items) == sorted(f"Subject {i}" for i in range(5, 10))
    gt = follow(api, f"/v1.0/users/{ALICE}/messages?$filter=receivedDateTime gt {_iso(T0 + timedelta(hours=23))}")
    assert [m["subject"] for m in gt] == ["Subject 24", "Subject 23"]


def test_orderby_must_lead_the_filter(api: GraphApi) -> None:
    ok = call(api, f"/v1.0/users/{ALICE}/messages?$orderby=receivedDateTime asc"
                   f"&$filter=receivedDateTime ge {_iso(T0)} and sentDateTime le {_iso(T0 + timedelta(days=2))}")
    assert ok.status_code == 200
    values = [m["receivedDateTime"] for m in ok.get_json()["value"]]
    assert values == sorted(values)
    bad = call(api, f"/v1.0/users/{ALICE}/messages?$orderby=receivedDateTime desc"
                    f"&$filter=sentDateTime ge {_iso(T0)}")
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "InefficientFilter"


@pytest.mark.parametrize("query", ["$filter=subject eq 'x'", "$filter=sentDateTime ge yesterday", "$top=0",
                                   "$top=1001", "$select=id,nope", "$orderby=from", "$skiptoken=garbage",
                                   "$count=true"])
def test_bad_queries_are_400(api: GraphApi, query: str) -> None:
    resp = call(api, f"/v1.0/users/{ALICE}/messages?{query}")
    assert resp.status_code == 400
    assert resp.get_json()["error"]["code"] == "BadRequest"


def test_message_by_id_and_folders(api: GraphApi) -> None:
    one = call(api, f"/v1.0/users/{ALICE}/messages/AAMk0004?$select=subject,body").get_json()
    assert one["subject"] == "Subject 4" and one["body"]["content"] == "<p>4</p>"
    missing = call(api, f"/v1.0/users/{ALICE}/messages/AAMknope")
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "ErrorItemNotFound"
    sent = follow(api, f"/v1.0/users/{ALICE}/mailFolders/sentitems/messages?$top=50")
    inbox = follow(api, f"/v1.0/users/{ALICE}/mailFolders/Inbox/messages?$top=50")
    assert len(sent) == 7 and len(inbox) == 18
    assert all(m["from"]["emailAddress"]["address"] == "alice@osi.example" for m in sent)
    folders = {m["id"]: m["parentFolderId"] for m in follow(api, f"/v1.0/users/{ALICE}/messages?$top=50")}
    assert {folders[m["id"]] for m in sent} == {"sentitems"} and {folders[m["id"]] for m in inbox} == {"inbox"}


def test_unknown_segment_and_method(api: GraphApi) -> None:
    assert call(api, "/v1.0/groups").status_code == 400
    assert call(api, f"/v1.0/users/{ALICE}/events").status_code == 400
    assert call(api, "/v1.0/users", method="POST", body={}).status_code == 405


def test_batch_mixed_results(api: GraphApi) -> None:
    body = {"requests": [
        {"id": "1", "method": "GET", "url": f"/users/{ALICE}/messages?$top=2&$select=subject"},
        {"id": "2", "method": "GET", "url": "/users/missing@osi.example"},
        {"id": "3", "method": "GET", "url": f"users/{BOB}/messages"},
        {"id": "4", "method": "GET", "url": "/users/missing@osi.example/messages", "dependsOn": ["2"]},
        {"id": "5", "method": "GET", "url": "https://graph.microsoft.com/v1.0/users"},
    ]}
    resp = call(api, "/v1.0/$batch", "POST", body)
    assert resp.status_code == 200
    by_id = {r["id"]: r for r in resp.get_json()["responses"]}
    assert by_id["1"]["status"] == 200 and len(by_id["1"]["body"]["value"]) == 2
    assert by_id["1"]["body"]["@odata.nextLink"].startswith(BASE + "/v1.0/users/")
    assert by_id["2"]["status"] == 404 and by_id["2"]["body"]["error"]["code"] == "Request_ResourceNotFound"
    assert by_id["3"]["status"] == 200 and by_id["3"]["body"]["value"] == []
    assert by_id["4"]["status"] == 424
    assert by_id["5"]["status"] == 400


def test_batch_order_is_scrambled_but_repeatable(api: GraphApi) -> None:
    body = {"requests": [{"id": str(i), "method": "GET", "url": "/users?$top=1"} for i in range(12)]}
    first = [r["id"] for r in call(api, "/v1.0/$batch", "POST", body).get_json()["responses"]]
    again = [r["id"] for r in call(api, "/v1.0/$batch", "POST", body).get_json()["responses"]]
    assert sorted(first, key=int) == [str(i) for i in range(12)]
    assert first == again and first != [str(i) for i in range(12)]


@pytest.mark.parametrize("body", [
    {"requests": [{"id": "1", "method": "GET", "url": "/users"}, {"id": "1", "method": "GET", "url": "/users"}]},
    {"requests": [{"id": str(i), "method": "GET", "url": "/users"} for i in range(21)]},
    {"requests": []},
    {"nope": 1},
    {"requests": [{"id": "1", "method": "GET", "url": "/users", "dependsOn": ["9"]}]},
])
def test_bad_batches_fail_whole(api: GraphApi, body: dict) -> None:
    resp = call(api, "/v1.0/$batch", "POST", body)
    assert resp.status_code == 400 and resp.get_json()["error"]["code"] == "BadRequest"


def test_batch_member_guard_throttles_members(api: GraphApi) -> None:
    def guard(req: Request) -> Response | None:
        if req.path.endswith("/messages"):
            return api.error(req, 429, "TooManyRequests", "Please retry again later.", {"Retry-After": "3"})
        return None

    api.member_guard = guard
    body = {"requests": [{"id": "a", "method": "GET", "url": f"/users/{ALICE}/messages"},
                         {"id": "b", "method": "GET", "url": f"/users/{ALICE}"}]}
    by_id = {r["id"]: r for r in call(api, "/v1.0/$batch", "POST", body).get_json()["responses"]}
    assert by_id["a"]["status"] == 429 and by_id["a"]["headers"]["Retry-After"] == "3"
    assert by_id["b"]["status"] == 200


def test_load_rejects_message_without_sender(tmp_path: Path) -> None:
    graph = GraphApi(lambda: sqlite3.connect(tmp_path / "x.sqlite"), BASE)
    org = DemoOrg(now=T0, graph_users=[{"id": ALICE, "mail": "a@x", "userPrincipalName": "a@x"}],
                  mailboxes={ALICE: [{"id": "m1", "sentDateTime": "x", "receivedDateTime": "x"}]})
    with pytest.raises(ValueError, match="m1"):
        graph.load(sqlite3.connect(tmp_path / "x.sqlite"), org)
