"""Runs over real time: the clock moves between runs and only what a seller sees change is written.

An XS demo organisation (sizes S and M are measured by ``benchmarks/sync_bench.py``) is synced as of T,
then T + 1 hour and T + 1 day with no data change, then after the admin changes the relationship
settings. The assertions are the issue's: no write an hour later but what that hour made due, few a day
later (each a real change of a displayed value), and no timeline entry caused by the admin.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from connector.pipeline.producers import notes
from connector.pipeline.run import RunOptions, RunSummary, run_sync
from tests.integration.pipeline.seeded import seeded_services

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
    with seeded_services(tmp_path_factory.mktemp("realtime"), seed=5, now=T) as svc:
        yield svc


def _run(svc: Any, now: datetime) -> RunSummary:
    return run_sync(svc.dataverse, svc.state, now=now, graph=svc.graph, options=RunOptions(batch_size=200))


def _rows(dv: Any, entity_set: str, key: str, columns: list[str]) -> dict[str, dict[str, Any]]:
    return {r[key]: {c: r.get(c) for c in columns} for r in dv.list_records(entity_set, select=[key, *columns])}


def _due_within(row: dict[str, Any], start: datetime, end: datetime) -> bool:
    times = [datetime.fromisoformat(str(row[c]).replace("Z", "+00:00")) for c in ("osi_raisedon", "osi_expireson")
             if row.get(c)]
    return any(start < t <= end for t in times)


def test_only_displayed_changes_are_written_as_the_clock_moves(org: Any) -> None:
    first = _run(org, T)
    _ok(first)
    records = sum(first.insights.get(t, 0) for t in CUSTOMER_TABLES)
    assert records > 300

    # An hour later nothing changed in the data: the only writes allowed are what the hour itself made due
    # (a suggested call whose time passed becomes Expired; an assistant card raised or ended at a time in
    # that hour), each one checked here; no customer record is written.
    dv = org.dataverse
    cards = ["osi_raisedon", "osi_expireson", "osi_key"]
    before = (_rows(dv, "osi_notesuggestions", "osi_notesuggestionid", ["osi_suggestionstatus"]),
              _rows(dv, "osi_insights", "activityid", cards))
    hour = _run(org, T + timedelta(hours=1))
    _ok(hour)
    after = (_rows(dv, "osi_notesuggestions", "osi_notesuggestionid", ["osi_suggestionstatus"]),
             _rows(dv, "osi_insights", "activityid", cards))
    expired = [k for k, r in after[0].items() if before[0].get(k) != r]
    moved = [k for k, r in after[1].items() if before[1].get(k) != r]
    assert all(after[0][k]["osi_suggestionstatus"] == notes.EXPIRED for k in expired), expired
    assert all(_due_within(after[1][k], T, T + timedelta(hours=1)) for k in moved), [after[1][k] for k in moved]
    allowed = {"osi_notesuggestion:upsert": len(expired), "osi_insight:upsert": len(moved)}
    assert _ours(hour) == {k: v for k, v in allowed.items() if v}, (hour.written, allowed)
    # Nor is much computed again: the records the first run wrote came back by change tracking, but only
    # with our own columns changed, and few records come due within an hour.
    assert hour.evaluated["relationship"] < 0.05 * records, hour.evaluated
    assert hour.evaluated["talking_points"] == 0 and hour.evaluated["notes"] == 0, hour.evaluated

    day = _run(org, T + timedelta(days=1))
    _ok(day)
    customers = sum(v for k, v in _ours(day).items() if k.split(":")[0] in CUSTOMER_TABLES)
    assert customers < 0.10 * records, (customers, records, day.written)


def _health_entries(dv: Any) -> set[str]:
    keys = {str(r.get("osi_key")) for r in dv.list_records("osi_insights", select=["osi_key"])}
    return {k for k in keys if k.startswith(("health|", "card|health_change|"))}


def test_a_settings_change_writes_no_timeline_entry(org: Any) -> None:
    dv = org.dataverse
    before = _health_entries(dv)
    row = next(iter(dv.list_records("osi_settings", select=["osi_settingid", "osi_value"],
                                    filter="osi_key eq 'relationship'")))
    value = json.loads(row["osi_value"])
    value["communication_frequency"] = "monthly"
    dv.update_record("osi_settings", row["osi_settingid"], {"osi_value": json.dumps(value)})
    changed = _run(org, T + timedelta(days=1, hours=1))
    _ok(changed)
    assert any("relationship settings changed" in n for n in changed.notes), changed.notes
    assert sum(v for k, v in changed.written.items() if k.split(":")[0] in CUSTOMER_TABLES) > 0
    entries = _health_entries(dv)
    assert not {k for k in entries - before if k.startswith("health|")}
    # The next run reads the health the admin's change moved: no assistant card says it jumped either.
    after = _run(org, T + timedelta(days=1, hours=2))
    _ok(after)
    assert _health_entries(dv) == entries
