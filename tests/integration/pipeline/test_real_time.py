"""Runs over real time: the clock moves between runs and only what a seller sees change is written.

A size-S demo organisation is synced as of T, then T + 1 hour and T + 1 day with no data change, then
after the admin changes the relationship settings. The assertions are the issue's: no write an hour
later, few a day later (each a real change of a displayed value), and no timeline entry caused by the
admin.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from connector.commands.demo import demo_settings
from connector.pipeline import service
from connector.pipeline.run import RunOptions, RunSummary, run_sync
from connector.provision import provision
from emulator.seed import generate
from emulator.server import Emulator

pytestmark = [pytest.mark.integration, pytest.mark.slow]

T = datetime(2026, 11, 2, 9, 17, 23, tzinfo=UTC)
CUSTOMER_TABLES = ("contact", "account", "lead", "opportunity")


def _ours(summary: RunSummary) -> dict[str, int]:
    return {k: v for k, v in summary.written.items() if not k.startswith("osi_syncrun")}


def _ok(summary: RunSummary) -> None:
    assert summary.status == "Succeeded", summary.as_dict()
    assert not summary.errors and not summary.failed, summary.as_dict()


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> Any:
    home = tmp_path_factory.mktemp("realtime")
    with Emulator(home / "org.db", token="t") as em:
        em.store.load_org(generate("S", seed=5, now=T - timedelta(hours=1)))
        settings = demo_settings(em.url, em.token, home / "state")
        svc = service.services(settings)
        provision(svc.dataverse, sleep=lambda s: None)
        yield svc


def _run(svc: Any, now: datetime) -> RunSummary:
    return run_sync(svc.dataverse, svc.state, now=now, graph=svc.graph, options=RunOptions(batch_size=200))


def test_only_displayed_changes_are_written_as_the_clock_moves(org: Any) -> None:
    first = _run(org, T)
    _ok(first)
    records = sum(first.insights.get(t, 0) for t in CUSTOMER_TABLES)
    assert records > 3000

    hour = _run(org, T + timedelta(hours=1))
    _ok(hour)
    assert _ours(hour) == {}, hour.written

    day = _run(org, T + timedelta(days=1))
    _ok(day)
    customers = sum(v for k, v in _ours(day).items() if k.split(":")[0] in CUSTOMER_TABLES)
    assert customers < 0.10 * records, (customers, records, day.written)


def test_a_settings_change_writes_no_timeline_entry(org: Any) -> None:
    dv = org.dataverse
    row = next(iter(dv.list_records("osi_settings", select=["osi_settingid", "osi_value"],
                                    filter="osi_key eq 'relationship'")))
    value = json.loads(row["osi_value"])
    value["communication_frequency"] = "monthly"
    dv.update_record("osi_settings", row["osi_settingid"], {"osi_value": json.dumps(value)})
    changed = _run(org, T + timedelta(days=1, hours=1))
    _ok(changed)
    assert "osi_insight:upsert" not in changed.written, changed.written
    assert any("relationship settings changed" in n for n in changed.notes), changed.notes
