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


def test_provisioning_as_the_application_user_is_refused_and_says_who_may() -> None:
    from connector.provision import CUSTOMIZER_HINT
    from connector.solution.role import app_user_privileges

    with Emulator(token="t") as em:
        client = DataverseClient(em.url, StaticTokenCredential("t"))
        publisher = client.create_record("publishers", {"uniquename": schema.PUBLISHER_UNIQUE_NAME,
                                                        "customizationprefix": schema.PREFIX})
        client.create_record("solutions", {"uniquename": schema.SOLUTION_UNIQUE_NAME, "version": "0.0.0.1",
                                           "publisherid@odata.bind": f"/publishers({publisher})"})
        em.security.grant_only({**app_user_privileges(), "prvReadPublisher": "Global", "prvReadWebResource": "Global"})
        report = provision(client, sleep=lambda _seconds: None)
        assert not report.ok
        failed = [s for s in report.steps if s.outcome == "failed"]
        assert len(failed) == 1 and failed[0].kind == "table"  # stopped at the first refusal
        assert "prvCreateEntity" in failed[0].detail and CUSTOMIZER_HINT in failed[0].detail
        em.security.grant_only(app_user_privileges())  # without even read on publishers: refused at once
        report = provision(client, sleep=lambda _seconds: None)
        assert [(s.kind, s.outcome) for s in report.steps] == [("publisher", "failed")]
        assert CUSTOMIZER_HINT in report.steps[0].detail
        em.security.grant_only(None)  # a System Customizer finishes the job
        assert provision(client, sleep=lambda _seconds: None).ok


def test_the_admin_page_becomes_the_solution_configuration_page_once_imported() -> None:
    with Emulator(token="t") as em:
        client = DataverseClient(em.url, StaticTokenCredential("t"))
        first = provision(client, sleep=lambda _seconds: None)
        assert not [s for s in first.steps if s.kind == "configuration page"]  # no admin page on this path
        # What importing the solution adds: the admin web resource.
        page = client.create_record("webresourceset", {"name": "osi_/admin/admin.html", "webresourcetype": 1})
        second = provision(client, sleep=lambda _seconds: None)
        assert [(s.kind, s.outcome) for s in second.steps if s.kind == "configuration page"] == [
            ("configuration page", "created")]
        solution = next(iter(client.list_records("solutions", select=["_configurationpageid_value"],
                                                 filter=f"uniquename eq '{schema.SOLUTION_UNIQUE_NAME}'")))
        assert solution["_configurationpageid_value"] == page
        third = provision(client, sleep=lambda _seconds: None)
        assert third.created == 0 and third.ok
