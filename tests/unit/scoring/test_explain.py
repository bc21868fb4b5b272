"""Faithfulness: every reason shown moves the score the stated way when its feature is neutralised."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from threadpoolctl import threadpool_limits

from connector.insights.scoring import TrainedModel, score_records
from tests.unit.scoring.conftest import NOW, fit_leads


def _check_faithful(model: TrainedModel, frame: pd.DataFrame) -> int:
    scored = score_records(model, frame, now=NOW)
    x = model.prepare(frame, now=NOW)
    rows, expected = [], []
    for i, raw in enumerate(scored["osi_scorereasons"]):
        reasons = json.loads(raw)
        assert len(reasons["positive"]) <= 5 and len(reasons["negative"]) <= 5
        for sign, key in ((1, "positive"), (-1, "negative")):
            for reason in reasons[key]:
                assert reason["text"]
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
    assert any(" or more were qualified" in s or " to under " in s or " below " in s for s in sentences)


def test_a_value_at_its_neutral_contributes_nothing(boosted_model: TrainedModel, leads: pd.DataFrame) -> None:
    x = boosted_model.prepare(leads.head(30), now=NOW)
    col = boosted_model.features.categorical[0]
    x[col] = boosted_model.neutral[col]
    with threadpool_limits(limits=1):
        _, deltas = boosted_model.contributions(x)
    assert np.all(deltas[:, 0] == 0.0)


def test_ignored_blanks_are_never_a_reason(leads: pd.DataFrame) -> None:
    frame = leads.copy()
    frame.loc[frame.index % 3 == 0, "industrycode"] = None
    model = fit_leads(frame, drop=("salesnote",), ignore_empty=("industrycode",))
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
            if f["compare"] is not None:
                # The panel words the same numbers in French: they must be the ones the English shows.
                other = f["overall"] if f["compare"] == "overall" else f["reference_rate"]
                assert f"{100 * f['rate']:.0f} %" in r["evidence"] and f"{100 * other:.0f} %" in r["evidence"]
            else:
                assert r["evidence"] == ""
            if f["kind"] == "number" and f["range"] is not None:
                assert f["range"]["op"] in ("missing", "any", "below", "at_least", "between")
            seen += 1
    assert seen > 30


def _compared(f: dict) -> float:
    return f["overall"] if f["compare"] == "overall" else f["reference_rate"]


def _agree(reason: dict) -> bool:
    """A reason's evidence, when it has one, points the way its impact does (in the percentages shown)."""
    f = reason["facts"]
    if f["compare"] is None:
        return reason["evidence"] == ""
    gap = round(100 * f["rate"]) - round(100 * _compared(f))
    return gap != 0 and (gap > 0) == (reason["impact"] > 0)


@pytest.mark.parametrize("which", ["boosted_model", "cold_model"])
def test_no_reason_contradicts_its_evidence(which: str, request: pytest.FixtureRequest,
                                            leads: pd.DataFrame) -> None:
    model = request.getfixturevalue(which)
    scored = score_records(model, leads, now=NOW)
    reasons = [r for raw in scored["osi_scorereasons"] for key in ("positive", "negative")
               for r in json.loads(raw)[key]]
    assert len(reasons) > 500
    assert all(_agree(r) for r in reasons)
    # Most reasons still carry evidence: dropping every sentence would agree trivially.
    assert sum(bool(r["evidence"]) for r in reasons) > 0.5 * len(reasons)
    texts = [r["text"] + r["evidence"] for r in reasons]
    assert not any("eng_" in t or "act_" in t or "_value" in t for t in texts)


rates = st.floats(min_value=0.0, max_value=1.0)


@settings(max_examples=300, deadline=None)
@given(value_rate=rates, neutral_rate=rates, overall=st.floats(min_value=0.01, max_value=0.99),
       impact=st.floats(min_value=-0.5, max_value=0.5).filter(lambda v: abs(v) >= 0.001),
       numeric=st.booleans(), value=st.floats(min_value=0, max_value=100),
       neutral=st.floats(min_value=0, max_value=100))
def test_reason_and_evidence_always_agree(value_rate: float, neutral_rate: float, overall: float, impact: float,
                                          numeric: bool, value: float, neutral: float) -> None:
    """Property: whatever the training rates and the measured impact, the evidence never says the opposite."""
    from connector.insights.scoring.explain import Evidence, facts
    from connector.insights.scoring.features import FeatureSet
    from connector.insights.scoring.wording import Wording, english

    if numeric:
        features = FeatureSet((), ("n",))
        evidence = Evidence(overall, 100, {}, {"n": (50.0,)}, {"n": ((value_rate, 40), (neutral_rate, 40), (0.5, 0))})
        v, n = min(value, 49.0), max(neutral, 50.0)
    else:
        features = FeatureSet(("c",), ())
        evidence = Evidence(overall, 100, {"c": {"a": (value_rate, 40), "b": (neutral_rate, 60)}}, {}, {})
        v, n = "a", "b"
    f = facts(features.columns[0], v, features, evidence, Wording(), n, impact=impact)
    text, ev = english(f, Wording())
    assert _agree({"facts": f, "impact": impact, "evidence": ev})
    assert text.startswith(f["label"])
