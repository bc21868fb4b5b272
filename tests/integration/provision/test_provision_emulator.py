"""Provision a bare emulator organisation twice through the real HTTP client: the second run creates nothing."""

from __future__ import annotations

import pytest

from connector import schema
from connector.provision import plan_size, provision

server = pytest.importorskip("emulator.server", reason="the emulator (emulator/server.py) is not in the tree yet")

from connector.auth import StaticTokenCredential  # noqa: E402
from connector.dataverse.client import DataverseClient  # noqa: E402

pytestmark = pytest.mark.integration


def test_provisioning_a_bare_org_twice() -> None:
    with server.Emulator(token="t") as em:
        client = DataverseClient(em.url, StaticTokenCredential("t"))

        first = provision(client, sleep=lambda _seconds: None)
        problems = [s for s in first.steps if s.outcome not in ("created", "present")]
        assert problems == []
        assert first.created + first.present == plan_size()
        assert first.created > 0

        second = provision(client, sleep=lambda _seconds: None)
        assert second.created == 0
        assert second.present == plan_size()
        assert second.summary() == f"0 created, {plan_size()} already present"

        for table, columns in schema.all_columns().items():
            existing = {a["LogicalName"] for a in client.list_attributes(table)}
            assert {c.logical_name for c in columns} <= existing, table
        for table in schema.TABLES:
            keys = {k["LogicalName"]: k["EntityKeyIndexStatus"] for k in client.list_keys(table.logical_name)}
            assert keys == {k.logical_name: "Active" for k in table.keys}
