"""The health model registry on the emulator: a run writes one ``osi_healthmodel`` row per record type, a run
an hour later writes none, and the emulator holds the table to its columns' rules as Dataverse does."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from connector import schema
from connector.errors import HttpResponseError
from connector.pipeline.run import RunOptions, RunSummary, run_sync
from tests.integration.pipeline.seeded import seeded_services

pytestmark = [pytest.mark.integration, pytest.mark.slow]

T = datetime(2026, 11, 12, 8, 41, 7, tzinfo=UTC)
COLUMNS = ["osi_key", "osi_entityname", "osi_healthmodelkind", "osi_target", "osi_note", "osi_examples",
           "osi_minexamples", "osi_fittedon", "osi_nextfiton", "osi_goodmin", "osi_fairmin", "osi_goodprobability",
           "osi_weights", "osi_metrics"]


@pytest.fixture(scope="module")
def org(tmp_path_factory: pytest.TempPathFactory) -> Any:
    with seeded_services(tmp_path_factory.mktemp("healthregistry"), seed=3, now=T) as svc:
        yield svc


def _run(svc: Any, now: datetime) -> RunSummary:
    summary = run_sync(svc.dataverse, svc.state, now=now, graph=svc.graph, options=RunOptions(batch_size=200))
    assert summary.status == "Succeeded", summary.as_dict()
    assert not summary.errors and not summary.failed, summary.as_dict()
    return summary


def _registry(svc: Any) -> dict[str, dict[str, Any]]:
    return {r["osi_key"]: r for r in svc.dataverse.list_records("osi_healthmodels", select=COLUMNS)}


def test_a_run_writes_the_registry_and_a_run_an_hour_later_writes_none(org: Any) -> None:
    first = _run(org, T)
    assert first.written.get("osi_healthmodel:upsert") == 4, first.written
    rows = _registry(org)
    assert sorted(rows) == ["account", "contact", "lead", "opportunity"]
    kinds = {schema.HEALTH_MODEL_KIND.value(k): k for k in ("Fitted", "Set by an administrator", "Default")}
    for key, row in rows.items():
        kind = kinds[row["osi_healthmodelkind"]]
        assert kind != "Set by an administrator"  # fitting is on by default
        assert row["osi_entityname"] == key and row["osi_nextfiton"] == "2026-12-01"
        assert 0 <= row["osi_fairmin"] < row["osi_goodmin"] <= 101
        assert sum(json.loads(row["osi_weights"])["components"].values()) == 100
        metrics = json.loads(row["osi_metrics"])
        if kind == "Fitted":
            assert row["osi_fittedon"] == "2026-11-01" and row["osi_goodprobability"] == 0.7
            assert "held_out" in metrics and row["osi_examples"] >= row["osi_minexamples"]
        else:  # said why, with the history found against the minimum when that is the reason
            assert row["osi_note"].startswith("hand-set weights") and metrics["fallback"]
            if metrics["fallback"] == "too_little_history":
                assert row["osi_examples"] is not None and row["osi_minexamples"] == 300

    hour = _run(org, T + timedelta(hours=1))
    assert "osi_healthmodel:upsert" not in hour.written, hour.written
    assert _registry(org) == rows


def test_the_emulator_holds_the_registry_to_its_columns(org: Any) -> None:
    """Like Dataverse: a value out of a column's range, a text over its length and an unknown column are refused."""
    dv = org.dataverse
    for body in ({"osi_goodmin": 102}, {"osi_goodprobability": 1.5}, {"osi_note": "x" * 401},
                 {"osi_notacolumn": 1}):
        with pytest.raises(HttpResponseError) as refused:
            dv.upsert_record("osi_healthmodels", {"osi_key": "contact"}, body)
        assert refused.value.status_code == 400, body
