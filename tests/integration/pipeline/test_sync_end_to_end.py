"""The whole sync against the emulator on loopback: incremental, idempotent, crash-safe."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from connector import schema
from connector.commands.demo import demo_settings
from connector.dataverse.client import DataverseClient
from connector.pipeline import service
from connector.pipeline.run import RunOptions, run_sync
from connector.provision import provision
from emulator.catalog import LEAD_SOURCE
from emulator.seed import generate
from emulator.server import Emulator

pytestmark = [pytest.mark.integration, pytest.mark.slow]

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
OWN_TABLES = ("osi_connections", "osi_talkingpoints", "osi_notesuggestions")


class CrashingClient:
    """The real client, except that the process 'dies' during the load (after some batches)."""

    def __init__(self, inner: DataverseClient, crash_after: int) -> None:
        self._inner = inner
        self._left = crash_after

    def submit_batch(self, *args: Any, **kwargs: Any) -> Any:
        if self._left == 0:
            raise KeyboardInterrupt("simulated crash in the middle of the load")
        self._left -= 1
        return self._inner.submit_batch(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)


def _keys(client: DataverseClient, entity_set: str) -> list[str]:
    return [r["osi_key"] for r in client.list_records(entity_set, select=["osi_key"])]


def _writes(summary: Any) -> int:
    return sum(v for k, v in summary.written.items() if not k.startswith("osi_syncrun"))


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory):
    home = tmp_path_factory.mktemp("org")
    with Emulator(home / "org.db", token="t", clock=lambda: NOW) as em:
        em.store.load_org(generate("S", seed=3, now=NOW - timedelta(hours=1)))
        settings = demo_settings(em.url, em.token, home / "state")
        client = service.services(settings).dataverse
        provision(client)
        yield em, settings, client, home


def test_incremental_idempotent_and_crash_safe(org) -> None:
    em, settings, client, home = org
    svc = service.services(settings)

    # A run killed in the middle of its load ...
    with pytest.raises(KeyboardInterrupt):
        run_sync(CrashingClient(client, crash_after=3), svc.state, now=NOW, graph=svc.graph,
                 options=RunOptions(batch_size=settings.batch_size))
    # ... is finished by the next one, without duplicates.
    first = run_sync(client, svc.state, now=NOW, graph=svc.graph, options=RunOptions(batch_size=settings.batch_size))
    assert first.status in ("Succeeded", "Partial"), first.as_dict()
    assert not first.failed, first.failed[:3]
    for entity_set in OWN_TABLES:
        keys = _keys(client, entity_set)
        assert keys, f"{entity_set} is empty"
        assert not [k for k, n in Counter(keys).items() if n > 1], f"duplicates in {entity_set}"

    # An immediate second run reads only deltas and writes nothing.
    second = run_sync(client, svc.state, now=NOW, graph=svc.graph, options=RunOptions(batch_size=settings.batch_size))
    assert second.full_reads == []
    assert _writes(second) == 0, second.written

    # Change one contact's e-mail thread and delete another contact.
    contacts = list(client.list_records("contacts", select=["contactid", "fullname"], filter="osi_healthscore ne null"))
    changed, deleted = contacts[0]["contactid"], contacts[1]["contactid"]
    email = next(iter(client.list_records("emails", select=["activityid"],
                                          filter=f"_regardingobjectid_value eq {changed}")), None)
    if email:
        client.update_record("emails", email["activityid"], {"subject": "Re: pricing (updated)"})
    client.update_record("contacts", changed, {"jobtitle": "Head of Purchasing"})
    client.delete_record("contacts", deleted)
    third = run_sync(client, svc.state, now=NOW, graph=svc.graph, options=RunOptions(batch_size=settings.batch_size))
    assert third.full_reads == []
    assert third.rows_read["contacts"] <= 5, third.rows_read
    written_contacts = third.written.get("contact:update", 0)
    assert written_contacts < 50, third.written
    for entity_set, column in (("osi_connections", "osi_personid"), ("osi_talkingpoints", "osi_contactid")):
        rows = list(client.list_records(entity_set, select=[column], filter=f"{column} eq '{deleted}'"))
        assert rows == [], f"{entity_set} still holds rows of the deleted contact"


def test_an_admin_segment_in_the_scoring_setting_gets_its_own_model(org) -> None:
    em, settings, client, home = org
    svc = service.services(settings)
    run_sync(client, svc.state, now=NOW, graph=svc.graph, options=RunOptions(batch_size=settings.batch_size))
    row = next(iter(client.list_records("osi_settings", select=["osi_settingid", "osi_value"],
                                        filter="osi_key eq 'scoring'")))
    value = json.loads(row["osi_value"])
    assert value["lead"]["segments"] == []  # the default an admin starts from
    value["lead"]["segments"] = [{"column": "leadsourcecode", "values": ["Web"]}]
    value["lead"]["exclude"] = ["revenue"]
    client.update_record("osi_settings", row["osi_settingid"], {"osi_value": json.dumps(value)})

    later = run_sync(client, svc.state, now=NOW + timedelta(days=1), graph=svc.graph,
                     options=RunOptions(batch_size=settings.batch_size))
    assert later.status in ("Succeeded", "Partial"), later.as_dict()
    models = {r["osi_key"]: r for r in client.list_records(
        "osi_scoringmodels", select=["osi_key", "osi_modelstatus", "osi_features"], filter="osi_entityname eq 'lead'")}
    published = {k for k, r in models.items() if r["osi_modelstatus"] == schema.MODEL_STATUS.value("Published")}
    assert any(k.startswith("lead|leadsourcecode=Web|") for k in published), sorted(models)
    assert all("revenue" not in json.loads(models[k]["osi_features"])["used"] for k in published)
    web_code = next(code for code, label in LEAD_SOURCE.items() if label == "Web")
    web = list(client.list_records("leads", select=["osi_modelversion"],
                                   filter=f"leadsourcecode eq {web_code} and statecode eq 0"))
    assert web and all("leadsourcecode=Web" in r["osi_modelversion"] for r in web)
