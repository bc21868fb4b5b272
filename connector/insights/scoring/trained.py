"""A trained scoring model: everything needed to turn raw records into probabilities and reasons."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd

from connector.insights.scoring.explain import Evidence, Wording, contributions
from connector.insights.scoring.features import FeatureSet, engineer, featurise
from connector.insights.scoring.grades import GradeCutoffs


@dataclass(frozen=True)
class Preparation:
    """How raw records become model input (the same at training and scoring time).

    Attributes:
        id_column: the record id column, when there is one.
        created_column: creation time (for the engineered record age).
        closed_column: close time (a closed record's age ends there).
        completeness_of: raw columns the engineered completeness is measured over.
        na_values: text values that mean "missing" (e.g. ``Select``).
        stage_started_column: when the record entered its current stage (time in stage).
        lookups: lookup columns whose presence is an engineered feature.
    """

    id_column: str | None = None
    created_column: str | None = None
    closed_column: str | None = None
    completeness_of: tuple[str, ...] = ()
    na_values: tuple[str, ...] = ()
    stage_started_column: str | None = None
    lookups: tuple[str, ...] = ()

    def clean(self, frame: pd.DataFrame) -> pd.DataFrame:
        """``frame`` with the ``na_values`` placeholders turned into missing values."""
        if not self.na_values:
            return frame
        out = frame.copy()
        for col in out.columns:
            if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
                out[col] = out[col].where(~out[col].isin(self.na_values), np.nan)
        return out

    def raw_with_engineered(self, frame: pd.DataFrame, *, now: pd.Timestamp) -> pd.DataFrame:
        """Cleaned records with the engineered ``eng_*`` columns."""
        return engineer(self.clean(frame), now=now, created_column=self.created_column,
                        closed_column=self.closed_column, completeness_of=self.completeness_of,
                        stage_started_column=self.stage_started_column, lookups=self.lookups)


MODEL_FORMAT = 3
"""Bumped whenever a saved model's structure changes (fields, estimator layout); older ones are retrained.

2: the boosted model became a calibrated blend; :class:`Preparation` gained ``lookups``.
3: saved with skops (no pickle); opportunities trained on per-stage samples; confidence in the metrics.
"""


def encode(estimator: Any, features: FeatureSet, x: pd.DataFrame) -> pd.DataFrame:
    """The column-encoding step of a fitted pipeline applied to featurised records (same columns)."""
    z = estimator.named_steps["columns"].transform(x)
    return pd.DataFrame(np.asarray(z, dtype=float), columns=list(features.columns), index=x.index)


def predict_encoded(estimator: Any, z: pd.DataFrame) -> np.ndarray:
    """Positive-class probability of encoded records (see :func:`encode`)."""
    if len(z) == 0:
        return np.zeros(0)
    final = estimator.named_steps["model"]
    proba = final.predict_proba(z.to_numpy(dtype=float))
    return np.asarray(proba[:, list(final.classes_).index(1)], dtype=float)


def measured_contributions(estimator: Any, features: FeatureSet, neutral: Mapping[str, Any],
                           x: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Base probabilities and measured per-feature contributions of featurised records.

    Every encoding step works column by column, so neutralising a feature after encoding is the
    same as neutralising it before, and encodes each record once instead of once per feature.
    """
    z = encode(estimator, features, x)
    neutral_frame = pd.DataFrame([dict(neutral)], columns=list(features.columns))
    for col in features.categorical:
        neutral_frame[col] = neutral_frame[col].astype(object)
    encoded_neutral = encode(estimator, features, neutral_frame).iloc[0].to_dict()
    return contributions(lambda frame: predict_encoded(estimator, frame), z, features, encoded_neutral)


@dataclass
class TrainedModel:
    """A fitted scoring model and its metadata.

    Attributes:
        entity: ``lead``, ``opportunity`` or any record name.
        kind: model kind (see :mod:`connector.insights.scoring.models`).
        version: version number in the registry.
        features: the inputs and the dropped columns with reasons (leaks included).
        preparation: raw → model input.
        estimator: the fitted scikit-learn estimator (``predict_proba`` on featurised frames).
        neutral: neutral value per feature (for faithful reasons).
        evidence: training statistics for evidence sentences.
        cutoffs: grade cut-offs.
        metrics: test metrics (AUC, accuracy, ... see :func:`~connector.insights.scoring.train.metrics`).
        trained_on: when it was trained (the ``now`` given to training).
        low_confidence: trained on too few closed records for the boosted model.
        wording: how evidence sentences name records, outcome and columns.
        influence: features by mean absolute contribution (score points).
        report: extra facts for admins (counts, leak findings, split used).
        model_format: :data:`MODEL_FORMAT` of the code that trained it.
    """

    entity: str
    kind: str
    version: int
    features: FeatureSet
    preparation: Preparation
    estimator: Any
    neutral: dict[str, Any]
    evidence: Evidence
    cutoffs: GradeCutoffs
    metrics: dict[str, Any]
    trained_on: datetime
    low_confidence: bool
    wording: Wording = field(default_factory=Wording)
    influence: list[tuple[str, float]] = field(default_factory=list)
    report: dict[str, Any] = field(default_factory=dict)
    model_format: int = MODEL_FORMAT

    @property
    def model_version(self) -> str:
        """The ``osi_modelversion`` text: entity, kind and version."""
        return f"{self.entity}-{self.kind}-v{self.version}"

    def prepare(self, frame: pd.DataFrame, *, now: pd.Timestamp) -> pd.DataFrame:
        """Featurise raw records exactly as at training time."""
        return featurise(self.preparation.raw_with_engineered(frame, now=now), self.features)

    def contributions(self, x: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        """Base probabilities and measured per-feature contributions of featurised records."""
        return measured_contributions(self.estimator, self.features, self.neutral, x)

    def predict(self, x: pd.DataFrame) -> np.ndarray:
        """Positive-class probability of featurised records."""
        if len(x) == 0:
            return np.zeros(0)
        proba = self.estimator.predict_proba(x)
        classes = list(self.estimator.classes_)
        return np.asarray(proba[:, classes.index(1)], dtype=float)
