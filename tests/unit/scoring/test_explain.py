"""Faithfulness: every reason shown moves the score the stated way when its feature is neutralised."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from threadpoolctl import threadpool_limits

from connector.insights.scoring import TrainedModel, score_records
from tests.unit.scoring.conftest import NOW


def _check_faithful(model: TrainedModel, frame: pd.DataFrame) -> int:
    scored = score_records(model, frame, now=NOW)
    x = model.prepare(frame, now=NOW)
    rows, expected = [], []
    for i, raw in enumerate(scored["osi_scorereasons"]):
        reasons = json.loads(raw)
        assert len(reasons["positive"]) <= 5 and len(reasons["negative"]) <= 5
        for sign, key in ((1, "positive"), (-1, "negative")):
            for reason in reasons[key]:
                assert reason["text"] and reason["evidence"]
                changed = x.iloc[[i]].copy()
                changed[reason["feature"]] = pd.Series([model.neutral[reason["feature"]]], index=changed.index,
                                                       dtype=changed[reason["feature"]].dtype)
                rows.append(changed)
                expected.append((i, sign, reason["impact"]))
    with threadpool_limits(limits=1):
        base = model.predict(x)
        neutralised = model.predict(pd.concat(rows))
    for (i, sign, impact), p in zip(expected, neutralised, strict=True):
        moved = base[i] - p
        # Neutralising a positive reason lowers the score, a negative one raises it, by the impact shown.
        assert sign * moved > 0
        assert moved * 100 == pytest.approx(impact, abs=0.051)
    return len(expected)


def test_reasons_of_the_boosted_model_are_faithful(boosted_model: TrainedModel, leads: pd.DataFrame) -> None:
    assert _check_faithful(boosted_model, leads.tail(40)) > 40


def test_reasons_of_the_cold_start_model_are_faithful(cold_model: TrainedModel, leads: pd.DataFrame) -> None:
    assert _check_faithful(cold_model, leads.tail(40)) > 40


def test_reasons_are_ordered_and_carry_evidence_sentences(boosted_model: TrainedModel, leads: pd.DataFrame) -> None:
    scored = score_records(boosted_model, leads.head(20), now=NOW)
    sentences = []
    for raw in scored["osi_scorereasons"]:
        reasons = json.loads(raw)
        impacts = [r["impact"] for r in reasons["positive"]]
        assert impacts == sorted(impacts, reverse=True)
        negatives = [r["impact"] for r in reasons["negative"]]
        assert negatives == sorted(negatives)
        sentences += [r["evidence"] for r in reasons["positive"] + reasons["negative"]]
    assert any("% of leads with" in s and "were qualified, vs" in s and "% overall" in s for s in sentences)
    assert any(s.startswith("leads with ") and "were qualified at" in s for s in sentences)


def test_a_value_at_its_neutral_contributes_nothing(boosted_model: TrainedModel, leads: pd.DataFrame) -> None:
    x = boosted_model.prepare(leads.head(30), now=NOW)
    col = boosted_model.features.categorical[0]
    x[col] = boosted_model.neutral[col]
    with threadpool_limits(limits=1):
        _, deltas = boosted_model.contributions(x)
    assert np.all(deltas[:, 0] == 0.0)


def test_ignored_blanks_are_never_a_reason(leads: pd.DataFrame) -> None:
    from connector.insights.scoring import train_model

    frame = leads.copy()
    frame.loc[frame.index % 3 == 0, "industrycode"] = None
    model = train_model(frame, entity="lead", target="statecode", positive=1, now=NOW, time_column="closedon",
                        id_column="leadid", drop=["salesnote"], ignore_empty=["industrycode"])
    scored = score_records(model, frame[frame["industrycode"].isna()].head(30), now=NOW)
    for raw in scored["osi_scorereasons"]:
        reasons = json.loads(raw)
        assert all(r["feature"] != "industrycode" for r in reasons["positive"] + reasons["negative"])


def test_every_reason_carries_the_numbers_behind_its_sentences(boosted_model: TrainedModel,
                                                               leads: pd.DataFrame) -> None:
    scored = score_records(boosted_model, leads.head(30), now=NOW)
    seen = 0
    for raw in scored["osi_scorereasons"]:
        for r in [*json.loads(raw)["positive"], *json.loads(raw)["negative"]]:
            f = r["facts"]
            assert f["kind"] in ("category", "number") and f["label"] in r["text"]
            if f["rate"] is not None and f["count"]:
                # The panel words the same numbers in French: they must be the ones the English shows.
                assert f"{100 * f['rate']:.0f} %" in r["evidence"] and f"{100 * f['overall']:.0f} %" in r["evidence"]
            if f["kind"] == "number" and f["range"] is not None:
                assert f["range"]["op"] in ("missing", "any", "below", "at_least", "between")
            seen += 1
    assert seen > 30
