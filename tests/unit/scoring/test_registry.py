from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from connector import schema
from connector.errors import RecordError
from connector.insights.scoring.registry import (
    RETENTION_DAYS,
    ModelRecord,
    apply_publish,
    data_stamp,
    expired_artifacts,
    live_model,
    next_version,
    record_for,
    retrain_due,
    should_publish,
    waiting_candidate,
)

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _record(auc: float | None = 0.8, *, version: int = 1, status: str = "Published", days_old: int = 10,
            segment: tuple[str, ...] = ()) -> ModelRecord:
    when = NOW - timedelta(days=days_old)
    return ModelRecord(
        entity="lead", version=version, kind="boosted-blend", status=status, readiness="Ready",
        metrics={"auc": auc, "f1": 0.7}, features={"used": ["leadsourcecode"], "dropped": {"statuscode": "outcome"}},
        trained_on=when, published_on=when if status == "Published" else None, artifact_sha256="ab" * 32,
        filter_column="industrycode" if segment else None, filter_values=segment,
    )


def test_round_trip_through_the_osi_scoringmodel_row() -> None:
    record = _record(segment=("retail", "banking"))
    row = record.to_row()
    assert set(row) >= {"osi_key", "osi_entityname", "osi_filtercolumn", "osi_filtervalues", "osi_version",
                        "osi_modelkind", "osi_readiness", "osi_modelstatus", "osi_metrics", "osi_features",
                        "osi_trainedon", "osi_publishedon", "osi_artifactsha256"}
    columns = {c.logical_name for c in schema.table("osi_scoringmodel").columns} | {"osi_name"}
    assert set(row) <= columns
    assert row["osi_readiness"] == schema.MODEL_READINESS.value("Ready")
    assert row["osi_modelstatus"] == schema.MODEL_STATUS.value("Published")
    assert row["osi_key"] == "lead|industrycode=banking,retail|v1"
    assert ModelRecord.from_row(row) == record


def test_malformed_row_names_the_record_and_field() -> None:
    row = _record().to_row()
    row["osi_metrics"] = "{not json"
    with pytest.raises(RecordError) as err:
        ModelRecord.from_row(row)
    assert err.value.field == "osi_metrics" and err.value.record_id == row["osi_key"]


@pytest.mark.parametrize(("candidate_auc", "live_auc", "live_days", "publish"), [
    (0.76, 0.80, 10, True),     # exactly 95 %
    (0.759, 0.80, 10, False),   # just below 95 %
    (0.90, 0.80, 10, True),
    (0.50, 0.80, 91, True),     # the live model is older than 90 days
    (0.50, 0.80, 90, False),
    (None, 0.80, 10, False),
    (0.70, None, 10, True),
])
def test_publish_rule(candidate_auc: float | None, live_auc: float | None, live_days: int, publish: bool) -> None:
    live = _record(live_auc, days_old=live_days)
    candidate = _record(candidate_auc, version=2, status="Trained", days_old=0)
    assert should_publish(candidate, live, now=NOW) is publish


def test_first_model_is_always_published_and_replacement_retires_the_old_one() -> None:
    first = _record(status="Trained", days_old=0)
    assert should_publish(first, None, now=NOW)
    live = _record(0.8, days_old=20)
    better = _record(0.82, version=2, status="Trained", days_old=0)
    after = apply_publish([live], better, now=NOW)
    assert {r.version: r.status for r in after} == {1: "Retired", 2: "Published"}
    assert live_model(after, "lead").version == 2
    worse = _record(0.5, version=3, status="Trained", days_old=0)
    kept = apply_publish(after, worse, now=NOW)
    assert live_model(kept, "lead").version == 2
    assert {r.version: r.status for r in kept}[3] == "Trained"
    assert next_version(kept, "lead") == 4


def test_retrain_every_15_days_or_on_demand() -> None:
    assert not retrain_due(_record(days_old=14), now=NOW)
    assert retrain_due(_record(days_old=15), now=NOW)
    assert retrain_due(_record(days_old=1), now=NOW, on_demand=True)


def test_a_candidate_that_missed_the_rule_waits_for_new_data_or_the_next_period() -> None:
    live = _record(0.9, version=1, days_old=40)
    stamp = "400 closed, newest 2025-12-30T00:00:00Z"
    missed = replace(_record(0.5, version=2, status="Trained", days_old=1),
                     features={"used": [], "data": stamp})
    # Same data as the failed candidate: no new version this run, nor any run for 15 days.
    assert not retrain_due(live, now=NOW, waiting=missed, stamp=stamp)
    assert not retrain_due(live, now=NOW + timedelta(days=13), waiting=missed, stamp=stamp)
    # New closed records, or the next period: retrain.
    assert retrain_due(live, now=NOW, waiting=missed, stamp="401 closed, newest 2025-12-31T00:00:00Z")
    assert retrain_due(live, now=NOW + timedelta(days=14), waiting=missed, stamp=stamp)
    assert retrain_due(live, now=NOW, waiting=missed, stamp=stamp, on_demand=True)
    assert waiting_candidate([live, missed], "lead") == missed
    assert waiting_candidate([live], "lead") is None


def test_retired_artifacts_expire_after_the_retention_period() -> None:
    old = _record(0.8, version=1, status="Retired", days_old=100)
    live = replace(_record(0.8, version=2, days_old=RETENTION_DAYS + 1))
    unpublished = _record(0.5, version=3, status="Trained", days_old=RETENTION_DAYS - 1)
    assert expired_artifacts([old, live, unpublished], "lead", now=NOW) == [old]
    # Inside the retention period an admin can still go back: nothing expires.
    recent = replace(live, published_on=NOW - timedelta(days=RETENTION_DAYS - 1))
    assert expired_artifacts([old, recent, unpublished], "lead", now=NOW) == []
    # An artifact already deleted (no checksum) is never expired again; the live one never is.
    assert expired_artifacts([replace(old, artifact_sha256=None), live], "lead", now=NOW) == []
    # A candidate that was never published expires once a newer version is that old.
    newer = _record(0.9, version=4, status="Published", days_old=RETENTION_DAYS)
    assert expired_artifacts([live, unpublished, newer], "lead", now=NOW) == [unpublished]


def test_data_stamp_names_the_count_and_the_newest_close() -> None:
    import pandas as pd

    ids = pd.Series(["a", "a", "b"])
    closed = pd.Series(pd.to_datetime(["2025-01-01", "2025-01-01", "2025-02-01"], utc=True))
    assert data_stamp(ids, closed) == "2 closed, newest 2025-02-01T00:00:00Z"


def test_record_for_a_trained_model(boosted_model) -> None:  # noqa: ANN001 (pytest fixture)
    record = record_for(boosted_model, artifact_sha256="cd" * 32)
    assert record.status == "Trained" and record.version == boosted_model.version
    assert record.features["used"] == list(boosted_model.features.columns)
    assert ModelRecord.from_row(record.to_row()).metrics["auc"] == boosted_model.metrics["auc"]


def test_empty_text_read_back_as_nan_is_no_value() -> None:
    # A frame of rows read back holds NaN where some rows have no segment or artifact yet.
    row = {**_record().to_row(), "osi_filtercolumn": float("nan"), "osi_artifactsha256": float("nan"),
           "osi_filtervalues": float("nan")}
    back = ModelRecord.from_row(row)
    assert back.filter_column is None and back.artifact_sha256 is None and back.filter_values == ()
    assert back.segment == "all"


def test_a_segment_with_characters_dataverse_refuses_in_keys_gets_a_safe_key() -> None:
    plain = _record(segment=("retail", "banking"))
    assert plain.key == "lead|industrycode=banking,retail|v1"
    hostile = replace(plain, filter_values=("Retail & Wholesale", "B2B/B2C", "100%"))
    other = replace(plain, filter_values=("Retail & Wholesale", "B2B/B2C"))
    long = replace(plain, filter_values=tuple(f"value number {i}" for i in range(30)))
    for record in (hostile, other, long):
        assert not (schema.KEY_FORBIDDEN_CHARACTERS & set(record.key)) and len(record.key) <= 100
        assert ModelRecord.from_row(record.to_row()).key == record.key
    assert len({hostile.key, other.key, long.key}) == 3
