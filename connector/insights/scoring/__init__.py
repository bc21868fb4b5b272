"""Predictive lead and opportunity scoring: trained per organisation, explained, graded, tracked.

Pure computation (pandas in, pandas out, ``now`` passed in); only :mod:`.artifacts` touches files.
The pipeline calls three functions:

``ScoringEstimator(entity=..., columns=Columns(...), drop=..., ...).fit(frame, y, now=now).model_``
    ``frame`` holds *closed* records (leads, or opportunities sampled once per stage they passed,
    optionally joined with contact/account columns and with activity columns computed as of each
    row's moment), ``y`` their 0/1 outcomes. Features are discovered from the columns
    (:mod:`.features`), engineered fields added, outcome fields and caller drops removed, and any
    single feature that alone predicts the label almost perfectly, judged against the base rate, is
    refused and named (:mod:`.leakage`). Oldest 80 % of the records train, newest 20 % test; with
    40 positive and 40 negative records or more the model is gradient boosting blended with a
    logistic regression (weight chosen out of fold, probabilities calibrated; :mod:`.blend`), below
    that a smoothed naive Bayes shrunk towards the base rate and labelled low-confidence
    (:mod:`.models`). Metrics, threshold, readiness and confidence: :mod:`.train`; the estimator:
    :mod:`.scorer`. Raises :class:`~connector.errors.InsightError` when the data cannot train a model.

``score_records(model, frame, *, now, id_column=None) -> pd.DataFrame``
    One row per record with the id column and ``osi_score`` (0–100 ≈ probability × 100),
    ``osi_grade`` (option value), ``osi_scorereasons`` (JSON with the top 5 positive and top 5
    negative reasons, each with a sentence and evidence, measured faithfully by neutralising the
    feature: :mod:`.explain`), ``osi_scoredon`` and ``osi_modelversion``.

``score_trend(history, *, now, dead_band=5.0, max_gap_days=30) -> pd.DataFrame``
    ``osi_scorehistory`` rows (``osi_recordid``, ``osi_day``, ``osi_score``) → ``osi_recordid``,
    ``osi_scoretrend`` (option value: Improving / Steady / Declining / Not enough info) and ``delta``.

Registry rules (records ↔ ``osi_scoringmodel`` rows, at most 10 models, retrain every 15 days,
publish if AUC ≥ 95 % of the live model's or the live model is older than 90 days, a candidate
that missed the rule waits for new data or the next period, retired artifacts are deleted after a
retention period): :mod:`.registry`. Saving and loading models without pickle (skops, an explicit
list of trusted types, checksum-verified): :mod:`.artifacts`. Evaluation against independent
baselines on the raw columns: :mod:`.evaluate`.
"""

from __future__ import annotations

from connector.insights.scoring.grades import GradeCutoffs, score_trend
from connector.insights.scoring.score import score_records
from connector.insights.scoring.scorer import Columns, ScoringEstimator
from connector.insights.scoring.trained import TrainedModel
from connector.insights.scoring.wording import Vocabulary

__all__ = ["Columns", "GradeCutoffs", "ScoringEstimator", "TrainedModel", "Vocabulary", "score_records",
           "score_trend"]
