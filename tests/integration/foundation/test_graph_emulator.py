"""The Graph client against the emulator's Graph endpoint: users, message metadata window, faults."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from connector.auth import StaticTokenCredential
from connector.graph import GraphClient

from .conftest import TOKEN

pytestmark = pytest.mark.integration

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def graph(em, transport) -> GraphClient:
    assert getattr(em.store, "graph", None) is not None, "the emulator serves no Graph API"
    from emulator.org import DemoOrg

    users = [{"id": f"00000000-0000-4000-8000-00000000000{i}", "displayName": f"User {i}",
              "mail": f"user{i}@contoso.test", "userPrincipalName": f"user{i}@contoso.test"} for i in range(3)]
    messages = [
        {"id": f"m{n}", "subject": f"s{n}", "from": {"emailAddress": {"address": "x@fabrikam.test"}},
         "toRecipients": [{"emailAddress": {"address": "user0@contoso.test"}}], "ccRecipients": [],
         "sentDateTime": (NOW - timedelta(days=n)).strftime("%Y-%m-%dT%H:%M:%SZ"),
         "receivedDateTime": (NOW - timedelta(days=n)).strftime("%Y-%m-%dT%H:%M:%SZ"),
         "conversationId": f"c{n % 5}", "internetMessageId": f"<m{n}@fabrikam.test>",
         "body": {"contentType": "text", "content": "hello"}}
        for n in range(30)
    ]
    em.store.load_org(DemoOrg(now=NOW, graph_users=users, mailboxes={users[0]["id"]: messages}))
    return GraphClient(em.url, StaticTokenCredential(TOKEN), transport=transport)


def test_users_and_message_window(graph):
    users = list(graph.list_users())
    assert len(users) == 3
    mailbox = next(u["id"] for u in users if u["displayName"] == "User 0")
    since, until = NOW - timedelta(days=19, hours=12), NOW - timedelta(days=4, hours=12)
    rows = list(graph.list_messages(mailbox, select=["id", "receivedDateTime"], since=since, until=until, page_size=4))
    assert sorted(int(r["id"][1:]) for r in rows) == list(range(5, 20))
    assert "body" not in rows[0]


def test_throttled_and_failing_pages_are_retried(graph, em):
    mailbox = next(u["id"] for u in graph.list_users() if u["displayName"] == "User 0")
    em.faults.throttle_every(route=r"/messages", every=2, retry_after=0)
    em.faults.fail(route=r"/messages", status=500, times=1)
    rows = list(graph.list_messages(mailbox, select=["id"], since=NOW - timedelta(days=40), page_size=7))
    assert len(rows) == 30
    faults = em.counters.snapshot()["faults"]
    assert faults["500"] == 1 and faults["429"] >= 2
