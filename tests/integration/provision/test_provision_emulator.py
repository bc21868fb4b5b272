"""Provision a bare emulator organisation twice through the real HTTP client: the second run creates nothing."""

from __future__ import annotations

import pytest

from connector import schema
from connector.auth import StaticTokenCredential
from connector.dataverse.client import DataverseClient
from connector.provision import plan_size, provision
from emulator.server import Emulator

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_provisioning_a_bare_org_twice() -> None:
    with Emulator(token="t") as em:
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

        # The provisioned key makes writes idempotent: two upserts by osi_key leave one row.
        setting = schema.table("osi_setting")
        key = {schema.KEY_COLUMN.logical_name: "feature.health"}
        client.upsert_record(setting.entity_set_name, key, {"osi_name": "Health", "osi_value": "true"})
        client.upsert_record(setting.entity_set_name, key, {"osi_name": "Health", "osi_value": "false"})
        rows = list(client.list_records(setting.entity_set_name, select=["osi_key", "osi_value"]))
        assert [(r["osi_key"], r["osi_value"]) for r in rows] == [("feature.health", "false")]
