"""Predictive lead and opportunity scoring: trained per organisation, explained, graded, tracked.

Pure computation (pandas in, pandas out, ``now`` passed in); only :mod:`.artifacts` touches files.
The pipeline calls three functions:

``train_model(frame, *, entity, target, now, positive=1, time_column=None, id_column=None,
created_column=None, closed_column=None, stage_started_column=None, drop=(), include=(), ignore_empty=(),
na_values=(), version=1, cutoffs=None, ..., threads=1) -> TrainedModel``
    ``frame`` holds *closed* records (leads or opportunities, optionally joined with contact/account
    columns and with relationship-analytics activity columns computed as of each record's close).
    Features are discovered from the columns (:mod:`.features`), engineered fields added, outcome
    fields and caller drops removed, and any single feature that alone predicts the label almost
    perfectly is refused and named (:mod:`.leakage`). Oldest 80 % train, newest 20 % test
    (``time_column``, else row order); with 40 positive and 40 negative records or more the model
    is gradient boosting blended with a logistic regression (weight chosen out of fold, probabilities
    calibrated; :mod:`.blend`), below that a smoothed naive Bayes labelled low-confidence
    (:mod:`.models`). Metrics, threshold and readiness: :mod:`.train`. Raises
    :class:`~connector.errors.InsightError` when the data cannot train a model.

``score_records(model, frame, *, now, id_column=None) -> pd.DataFrame``
    One row per record with the id column and ``osi_score`` (0–100 ≈ probability × 100),
    ``osi_grade`` (option value), ``osi_scorereasons`` (JSON with the top 5 positive and top 5
    negative reasons, each with a sentence and evidence, measured faithfully by neutralising the
    feature: :mod:`.explain`), ``osi_scoredon`` and ``osi_modelversion``.

``score_trend(history, *, now, dead_band=5.0, max_gap_days=30) -> pd.DataFrame``
    ``osi_scorehistory`` rows (``osi_recordid``, ``osi_day``, ``osi_score``) → ``osi_recordid``,
    ``osi_scoretrend`` (option value: Improving / Steady / Declining / Not enough info) and ``delta``.

Registry rules (records ↔ ``osi_scoringmodel`` rows, at most 10 models, retrain every 15 days,
publish if AUC ≥ 95 % of the live model's or the live model is older than 90 days):
:mod:`.registry`. Saving and checksum-verified loading of models: :mod:`.artifacts`. Evaluation
against a logistic and an Odoo naive Bayes baseline: :mod:`.evaluate`.
"""

from __future__ import annotations

from connector.insights.scoring.grades import GradeCutoffs, score_trend
from connector.insights.scoring.score import score_records
from connector.insights.scoring.train import train_model
from connector.insights.scoring.trained import TrainedModel

__all__ = ["GradeCutoffs", "TrainedModel", "score_records", "score_trend", "train_model"]
