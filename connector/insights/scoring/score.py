"""Scoring open records: score, grade, reasons, scored-on and model version, keyed by record id."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from threadpoolctl import threadpool_limits

from connector.errors import InsightError
from connector.insights.scoring.explain import reasons_for
from connector.insights.scoring.grades import grade_option
from connector.insights.scoring.trained import TrainedModel

OUTPUT_COLUMNS = ("osi_score", "osi_grade", "osi_scorereasons", "osi_scoredon", "osi_modelversion")


def score_records(model: TrainedModel, frame: pd.DataFrame, *, now: pd.Timestamp,
                  id_column: str | None = None, threads: int | None = 1) -> pd.DataFrame:
    """Score records with a trained model.

    A value that does not fit its feature (text in a number column, an unseen category, a huge
    string) is treated as missing or unknown for that record only; it never stops the others.
    Rows without an id cannot be written back and are left out.

    Args:
        model: the trained model.
        frame: the records to score (raw columns by logical name).
        now: scoring time (UTC): ``osi_scoredon`` and the end of open records' age.
        id_column: the record id column; default the model's.
        threads: native threads while predicting (see ``ScoringEstimator``); None leaves the default.

    Returns:
        One row per record with the id column, ``osi_score`` (int 0–100), ``osi_grade`` (option
        value), ``osi_scorereasons`` (JSON: ``{"positive": [...], "negative": [...], "low_confidence",
        "readiness", "confidence": {"reasons", "n_test", "min_test"}}``),
        ``osi_scoredon`` and ``osi_modelversion``.

    Raises:
        InsightError: the id column is not in ``frame``.
    """
    key = id_column or model.preparation.id_column
    if key is None or key not in frame.columns:
        raise InsightError(f"the record id column {key!r} is not in the records to score")
    records = frame[frame[key].notna()]
    columns = [key, *OUTPUT_COLUMNS]
    if records.empty:
        return pd.DataFrame(columns=columns)
    now = pd.Timestamp(now)
    x = model.prepare(records, now=now)
    with threadpool_limits(limits=threads):
        base, deltas = model.contributions(x)
    reasons = reasons_for(x, deltas, model.features, model.evidence, model.wording, model.neutral)
    scores = np.clip(np.round(100 * base), 0, 100).astype(int)
    grades = [grade_option(g) for g in model.cutoffs.grade(scores)]
    trust = model.metrics.get("confidence") or {}
    about = {"low_confidence": model.low_confidence, "readiness": model.metrics.get("readiness"),
             "confidence": {k: trust.get(k) for k in ("reasons", "n_test", "min_test")} if trust else None}
    payload = [json.dumps({**r, **about}, ensure_ascii=False) for r in reasons]
    return pd.DataFrame({
        key: records[key].to_numpy(),
        "osi_score": scores,
        "osi_grade": grades,
        "osi_scorereasons": payload,
        "osi_scoredon": pd.Series([now] * len(records), dtype="datetime64[ns, UTC]").to_numpy(),
        "osi_modelversion": model.model_version,
    }, columns=columns)
