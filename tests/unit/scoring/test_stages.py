"""As-of stage samples: a closed opportunity gives one training row per stage it passed, featurised then."""

from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd

from connector import canonical
from connector.insights.scoring.stages import MOMENT, STAGE, STAGE_STARTED, current_stages, stage_samples
from connector.pipeline.scoring_data import ENTITIES, open_rows, training_rows

NOW = datetime(2026, 3, 1, tzinfo=UTC)
Q, D, P, C = "aaaa0000-0000-0000-0000-000000000001", "aaaa0000-0000-0000-0000-000000000002", \
    "aaaa0000-0000-0000-0000-000000000003", "aaaa0000-0000-0000-0000-000000000004"


def _t(text: str) -> pd.Timestamp:
    return pd.Timestamp(text, tz="UTC")


def _stages() -> pd.DataFrame:
    return canonical.conform(pd.DataFrame({"stage_id": [Q, D, P, C], "name": ["Qualify", "Develop", "Propose",
                                                                               "Close"]}), "process_stages")


def _paths() -> pd.DataFrame:
    return canonical.conform(pd.DataFrame({
        "instance_id": ["i1", "i2", "i3-old", "i3"],
        "opportunity_id": ["won", "lost", "open", "open"],
        "active_stage_id": [C, Q, Q, P],
        "active_stage_started_on": [_t("2026-01-21"), _t("2026-01-01"), _t("2026-01-01"), _t("2026-02-20")],
        "traversed_path": [f"{Q},{D},{P},{C}", Q, Q, f"{Q},{D},{P}"],
        "modified_on": [_t("2026-02-01"), _t("2026-01-11"), _t("2026-01-02"), _t("2026-02-20")],
    }), "stage_paths")


def test_a_closed_record_gives_one_row_per_stage_it_passed_sampled_inside_each() -> None:
    closed = pd.DataFrame({"opportunity_id": ["won", "lost", "no-process"],
                           "created_on": [_t("2026-01-01")] * 3,
                           "_closed_at": [_t("2026-02-01"), _t("2026-01-11"), _t("2026-01-05")]})
    rows = stage_samples(closed, _paths(), _stages(), id_column="opportunity_id", created_column="created_on",
                         closed_column="_closed_at")
    won = rows[rows["opportunity_id"] == "won"]
    assert won[STAGE].tolist() == ["Qualify", "Develop", "Propose", "Close"]
    # Earlier stages' entries are spread between creation and the last stage's recorded start.
    assert won[STAGE_STARTED].tolist() == [_t("2026-01-01"), _t("2026-01-07 16:00"), _t("2026-01-14 08:00"),
                                           _t("2026-01-21")]
    # Each stage is sampled half-way to the next stage (or to the close), never at the close itself.
    assert won[MOMENT].tolist()[0] == _t("2026-01-04 08:00") and won[MOMENT].tolist()[-1] == _t("2026-01-26 12:00")
    assert (won[MOMENT] < _t("2026-02-01")).all()
    lost = rows[rows["opportunity_id"] == "lost"]
    assert lost[STAGE].tolist() == ["Qualify"] and lost[MOMENT].tolist() == [_t("2026-01-06")]
    unknown = rows[rows["opportunity_id"] == "no-process"]
    assert len(unknown) == 1 and pd.isna(unknown[STAGE].iloc[0]) and unknown[MOMENT].iloc[0] == _t("2026-01-05")


def test_an_organisation_without_closed_opportunities_gives_no_rows() -> None:
    none = pd.DataFrame({"opportunity_id": pd.Series([], dtype="string"),
                         "created_on": pd.Series([], dtype="datetime64[ns, UTC]"),
                         "_closed_at": pd.Series([], dtype="datetime64[ns, UTC]")})
    for paths in (_paths(), _paths().iloc[0:0]):
        rows = stage_samples(none, paths, _stages(), id_column="opportunity_id", created_column="created_on",
                             closed_column="_closed_at")
        assert rows.empty


def test_an_open_record_is_at_its_current_stage_now_from_its_latest_process_instance() -> None:
    opened = pd.DataFrame({"opportunity_id": ["open", "no-process"]})
    rows = current_stages(opened, _paths(), _stages(), id_column="opportunity_id", now=pd.Timestamp(NOW))
    assert rows[STAGE].tolist()[0] == "Propose" and pd.isna(rows[STAGE].iloc[1])
    assert rows[STAGE_STARTED].iloc[0] == _t("2026-02-20") and (rows[MOMENT] == pd.Timestamp(NOW)).all()


def test_a_path_that_went_back_ends_at_the_active_stage() -> None:
    paths = _paths().copy()
    paths.loc[0, "active_stage_id"] = D  # went back from Close to Develop, then won
    closed = pd.DataFrame({"opportunity_id": ["won"], "created_on": [_t("2026-01-01")],
                           "_closed_at": [_t("2026-02-01")]})
    rows = stage_samples(closed, paths, _stages(), id_column="opportunity_id", created_column="created_on",
                         closed_column="_closed_at")
    assert rows[STAGE].tolist() == ["Qualify", "Develop"]


def test_activity_features_of_each_stage_count_only_what_happened_before_its_moment() -> None:
    opps = canonical.conform(pd.DataFrame({
        "opportunity_id": ["won", "open"], "state_code": [1, 0], "created_on": [_t("2026-01-01")] * 2,
        "actual_close_date": [_t("2026-02-01"), pd.NaT], "modified_on": [_t("2026-02-01"), _t("2026-02-20")],
        "salesstage": [3, 2]}), "opportunities")
    acts = canonical.conform(pd.DataFrame({
        "activity_id": ["a1", "a2", "a3"], "activity_type": ["email"] * 3, "direction": ["outgoing"] * 3,
        "regarding_id": ["won"] * 3, "occurred_on": [_t("2026-01-02"), _t("2026-01-10"), _t("2026-01-25")]}),
        "activities")
    frames = {"opportunities": opps, "activities": acts, "stage_paths": _paths(), "process_stages": _stages()}
    spec = ENTITIES[1]
    train = training_rows(frames, spec)
    assert train[STAGE].tolist() == ["Qualify", "Develop", "Propose", "Close"]
    assert train["act_total_before"].tolist() == [1, 2, 2, 3]
    assert (train["outcome"] == 1).all() and "salesstage" in train.columns  # the final stage stays a raw column
    opened = open_rows(frames, spec, NOW)
    assert opened[STAGE].tolist() == ["Propose"]
