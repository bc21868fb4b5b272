"""The scoring producer's models: trained once and reused, replaced when unusable or redefined, per segment."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pandas as pd
import pytest

from connector import canonical
from connector.insights.scoring.registry import ModelRecord
from connector.pipeline.models import PREFIX, ModelStore
from connector.pipeline.scoring_definition import ModelDefinition, Segment, parse_definition
from connector.pipeline.scoring_producer import ENTITIES, score_entity
from connector.sync.state import LocalStateStore
from tests.unit.scoring.conftest import NOW, read_leads

LEAD = ENTITIES[0]


def _frames(registry: list[ModelRecord]) -> dict[str, pd.DataFrame]:
    raw = read_leads()
    leads = raw.rename(columns={"leadid": "lead_id", "statecode": "state_code", "statuscode": "status_code",
                                "closedon": "closed_on", "createdon": "created_on"}).drop(columns=["salesnote"])
    # Forty open leads: copies of closed ones under new ids, not yet closed.
    opened = leads.head(40).assign(lead_id=[f"open-{i}" for i in range(40)], state_code=0, status_code=1,
                                   closed_on=pd.NaT)
    leads = pd.concat([leads, opened], ignore_index=True)
    leads["modified_on"] = leads["closed_on"].fillna(NOW)
    frames = {"leads": leads, "activities": canonical.empty_frame("activities")}
    if registry:
        frames["own_osi_scoringmodel"] = pd.DataFrame([r.to_row() for r in registry])
    return frames


def _run(store: ModelStore, registry: list[ModelRecord], now: pd.Timestamp,
         definition: ModelDefinition | None = None) -> tuple[dict[str, pd.DataFrame], list[ModelRecord], list[str]]:
    problems: list[str] = []
    out = score_entity(_frames(registry), LEAD, now=now.to_pydatetime(), models=store, definition=definition,
                       problems=problems)
    changes = [ModelRecord.from_row(r) for r in out["osi_scoringmodel"].to_dict("records")] \
        if "osi_scoringmodel" in out else []
    keys = {r.key for r in changes}
    return out, [*[r for r in registry if r.key not in keys], *changes], problems


def _status(registry: list[ModelRecord]) -> dict[str, str]:
    return {f"{r.segment} v{r.version}": r.status for r in registry}


@pytest.fixture
def store(tmp_path: Path) -> ModelStore:
    return ModelStore(LocalStateStore(tmp_path))


def test_the_live_model_is_trained_once_then_loaded(store: ModelStore) -> None:
    first, registry, _ = _run(store, [], NOW)
    assert _status(registry) == {"all v1": "Published"}
    assert len(first["lead"]) == 40 and first["lead"]["osi_score"].between(0, 100).all()
    again, registry2, _ = _run(store, registry, NOW + timedelta(days=1))
    assert "osi_scoringmodel" not in again  # loaded, not retrained
    pd.testing.assert_series_equal(first["lead"]["osi_score"], again["lead"]["osi_score"])


def test_an_unusable_live_artifact_is_replaced_by_a_new_model(store: ModelStore, tmp_path: Path) -> None:
    state = LocalStateStore(tmp_path)
    _, registry, _ = _run(store, [], NOW)
    live = registry[0]
    name = f"{PREFIX}{live.entity}-{live.kind}-v{live.version}.skops"
    assert state.read(name) is not None
    state.write(name, b"not the bytes that were trained")  # checksum no longer matches
    _, registry, problems = _run(store, registry, NOW + timedelta(days=1))
    assert _status(registry) == {"all v1": "Retired", "all v2": "Published"}
    # The refusal is reported on the run, not only logged.
    assert len(problems) == 1 and "v1" in problems[0] and "refused" in problems[0] and "checksum" in problems[0]


def test_a_forged_artifact_with_a_matching_checksum_is_refused_reported_and_retrained(
        store: ModelStore, tmp_path: Path) -> None:
    import hashlib
    import os

    import joblib

    class Payload:
        def __reduce__(self) -> tuple[object, tuple[str]]:
            return (os.system, (f"touch {tmp_path}/pwned",))

    state = LocalStateStore(tmp_path)
    _, registry, _ = _run(store, [], NOW)
    live = registry[0]
    name = f"{PREFIX}{live.entity}-{live.kind}-v{live.version}.skops"
    forged = tmp_path / "forged.bin"
    joblib.dump(Payload(), forged)
    state.write(name, forged.read_bytes())
    # Whoever can write the registry row sets the checksum of their own bytes.
    registry = [replace(live, artifact_sha256=hashlib.sha256(forged.read_bytes()).hexdigest())]
    _, registry, problems = _run(store, registry, NOW + timedelta(days=1))
    assert not (tmp_path / "pwned").exists()
    assert _status(registry) == {"all v1": "Retired", "all v2": "Published"}
    assert len(problems) == 1 and "refused" in problems[0] and "pickles are never loaded" in problems[0]


def test_a_candidate_that_misses_the_publish_rule_is_not_retrained_every_run(store: ModelStore) -> None:
    _, registry, _ = _run(store, [], NOW)
    # The live model claims a perfect AUC, so no honest candidate reaches 95 % of it.
    registry = [replace(registry[0], metrics={**registry[0].metrics, "auc": 1.0})]
    later = NOW + timedelta(days=16)
    out, registry, _ = _run(store, registry, later)
    assert _status(registry) == {"all v1": "Published", "all v2": "Trained"}
    for day in (1, 2, 3):
        again, registry2, _ = _run(store, registry, later + timedelta(days=day))
        assert "osi_scoringmodel" not in again  # same data: no v3, v4, v5
        assert _status(registry2) == _status(registry)
    # The next period: one new candidate.
    _, registry3, _ = _run(store, registry, later + timedelta(days=15))
    assert set(_status(registry3)) == {"all v1", "all v2", "all v3"}


def test_artifacts_of_retired_versions_are_deleted_after_the_retention_period(store: ModelStore,
                                                                               tmp_path: Path) -> None:
    from connector.insights.scoring.registry import RETENTION_DAYS

    state = LocalStateStore(tmp_path)
    _, registry, _ = _run(store, [], NOW)
    _, registry, _ = _run(store, registry, NOW + timedelta(days=1), ModelDefinition(exclude=("budgetamount",)))
    old = f"{PREFIX}lead-boosted-blend-v1.skops"
    assert _status(registry) == {"all v1": "Retired", "all v2": "Published"} and state.read(old) is not None
    _, kept, _ = _run(store, registry, NOW + timedelta(days=RETENTION_DAYS),
                      ModelDefinition(exclude=("budgetamount",)))
    assert state.read(old) is not None
    out, registry, _ = _run(store, registry, NOW + timedelta(days=RETENTION_DAYS + 2),
                            ModelDefinition(exclude=("budgetamount",)))
    assert state.read(old) is None
    v1 = [r for r in registry if r.version == 1][0]
    assert v1.status == "Retired" and v1.artifact_sha256 is None
    assert state.read(f"{PREFIX}lead-boosted-blend-v2.skops") is not None


def test_a_changed_definition_retrains_and_publishes_whatever_the_auc(store: ModelStore) -> None:
    _, registry, _ = _run(store, [], NOW)
    assert "budgetamount" in registry[0].features["used"]
    redefined = ModelDefinition(exclude=("budgetamount",))
    _, registry, _ = _run(store, registry, NOW + timedelta(days=1), redefined)
    assert _status(registry) == {"all v1": "Retired", "all v2": "Published"}
    live = [r for r in registry if r.status == "Published"][0]
    assert "budgetamount" not in live.features["used"]
    assert json.loads(live.features["definition"])["exclude"] == ["budgetamount"]
    # The same definition the next day: nothing retrained.
    _, registry2, _ = _run(store, registry, NOW + timedelta(days=2), redefined)
    assert _status(registry2) == _status(registry)


def test_a_segment_gets_its_own_model_and_scores_its_records(store: ModelStore) -> None:
    segment = Segment("industrycode", ("ind4", "ind7", "ind8"))
    out, registry, problems = _run(store, [], NOW, ModelDefinition(segments=(segment,)))
    assert problems == []
    assert _status(registry) == {"all v1": "Published", "industrycode=ind4,ind7,ind8 v1": "Published"}
    seg = [r for r in registry if r.segment != "all"][0]
    assert seg.filter_column == "industrycode" and seg.filter_values == ("ind4", "ind7", "ind8")
    scores = out["lead"].set_index("leadid")
    leads = _frames([])["leads"].set_index("lead_id")
    in_segment = leads.loc[scores.index, "industrycode"].isin(segment.values)
    assert scores.loc[in_segment, "osi_modelversion"].str.contains("industrycode=").all()
    assert not scores.loc[~in_segment, "osi_modelversion"].str.contains("industrycode=").any()
    # The admin removes the segment: its model is retired and all records use the model of all records.
    out, registry, _ = _run(store, registry, NOW + timedelta(days=1), ModelDefinition())
    assert _status(registry)["industrycode=ind4,ind7,ind8 v1"] == "Retired"
    assert not out["lead"]["osi_modelversion"].str.contains("industrycode=").any()


def test_a_segment_that_cannot_be_trained_is_reported_and_its_records_still_scored(store: ModelStore) -> None:
    bad = (Segment("no_such_column", ("x",)), Segment("industrycode", ("nothing-matches",)),
           Segment("status_code", ("3",)))
    out, registry, problems = _run(store, [], NOW, ModelDefinition(segments=bad))
    assert len(problems) == 3
    assert "no_such_column" in problems[0] and "nothing-matches" in problems[1] and "outcome" in problems[2]
    assert _status(registry) == {"all v1": "Published"}
    assert len(out["lead"]) == 40


def test_malformed_settings_are_reported_by_name_and_the_rest_applies() -> None:
    setting = {"lead": {"include": "budgetamount", "exclude": ["revenue"], "grade_cutoffs": {"A": 10, "B": 50, "C": 5},
                        "retrain_requested_on": "yesterday",
                        "segments": [{"column": "industrycode", "values": ["Retail"]}, {"column": ""},
                                     *({"column": "c", "values": [str(i)]} for i in range(12))]},
               "opportunity": "all of them"}
    lead, problems = parse_definition(setting, "lead")
    assert lead.exclude == ("revenue",) and lead.include == () and lead.cutoffs is None
    assert lead.retrain_requested_on is None
    asked, none = parse_definition({"lead": {"retrain_requested_on": "2026-11-27T10:00:00Z"}}, "lead")
    assert none == [] and asked.retrain_requested_on is not None and asked.retrain_requested_on.tzinfo is not None
    assert len(lead.segments) == 9
    joined = " | ".join(problems)
    for part in ("scoring.lead.include", "scoring.lead.grade_cutoffs", "scoring.lead.segments[1]",
                 "more than 9 segments", "scoring.lead.retrain_requested_on"):
        assert part in joined
    opp, problems = parse_definition(setting, "opportunity")
    assert opp == ModelDefinition() and "scoring.opportunity" in problems[0]


def test_retrain_requested_by_the_admin_retrains_once(store: ModelStore) -> None:
    _, registry, _ = _run(store, [], NOW)
    asked = ModelDefinition(retrain_requested_on=(NOW + timedelta(hours=2)).to_pydatetime())
    _, registry, _ = _run(store, registry, NOW + timedelta(hours=1), asked)  # asked for later: nothing yet
    assert _status(registry) == {"all v1": "Published"}
    _, registry, _ = _run(store, registry, NOW + timedelta(hours=3), asked)
    assert set(_status(registry)) == {"all v1", "all v2"}  # published or kept by the 95 % rule
    again, registry2, _ = _run(store, registry, NOW + timedelta(hours=4), asked)
    assert "osi_scoringmodel" not in again  # the request is honoured once


def test_a_version_the_admin_published_by_hand_is_live_and_the_other_is_retired(store: ModelStore) -> None:
    _, registry, _ = _run(store, [], NOW)
    _, registry, _ = _run(store, registry, NOW + timedelta(days=1), ModelDefinition(exclude=("budgetamount",)))
    assert _status(registry) == {"all v1": "Retired", "all v2": "Published"}
    # The admin publishes v1 again from the admin page (status and publication time).
    later = (NOW + timedelta(days=2)).to_pydatetime()
    registry = [replace(r, status="Published", published_on=later) if r.version == 1 else r for r in registry]
    out, registry, _ = _run(store, registry, NOW + timedelta(days=2, hours=1), ModelDefinition())
    assert _status(registry) == {"all v1": "Published", "all v2": "Retired"}
    assert out["lead"]["osi_modelversion"].str.endswith("-v1").all()


def test_scoring_settings_keep_the_default_for_a_bad_field_and_name_it() -> None:
    from connector.pipeline.scoring_definition import ScoringSettings

    raw = {"lead": {"include": ["owner_id"], "exclude": "budgetamount", "grade_cutoffs": {"A": 50, "B": 60, "C": 1}},
           "opportunity": {"ignore_empty": [3], "segments": [{"column": "need", "values": ["Must have"]}]}}
    settings, problems = ScoringSettings.parse(raw)
    assert settings.lead.include == ("owner_id",) and settings.lead.exclude == () and settings.lead.cutoffs is None
    assert settings.opportunity.ignore_empty == () and settings.opportunity.segments[0].column == "need"
    assert [p.split()[1] for p in problems] == ["scoring.lead.exclude", "scoring.lead.grade_cutoffs:",
                                                "scoring.opportunity.ignore_empty"]
    assert ScoringSettings.parse("oops")[0] == ScoringSettings() and "scoring must be an object" in \
        ScoringSettings.parse("oops")[1][0]
    assert ScoringSettings.parse(None) == (ScoringSettings(), [])
