"""The health model registry: one ``osi_healthmodel`` row per record type, what an administrator reads.

A row says which model grades that record type's health and why: fitted on the organisation's history (its
weights, cut-offs, the probability Good stands for, and the held-out evaluation against the hand-set default
and the two baselines), the hand-set default because the history is too short or the fit did not beat it
(the reason, with the history's size against the minimum), or set by an administrator (``health_fit`` off).

Models are refitted once per local calendar month (:func:`fit_period`): the KPI windows move on the first
of the month anyway, so a refit then rewrites no record that month's move did not already rewrite. Every
value of a row is a fact of the model and its month, nothing of the run's time, so a run an hour later
computes the same row and writes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pandas as pd

from connector import schema
from connector.insights.relationship.clock import day_text, month_start
from connector.insights.relationship.indicators import indicators
from connector.insights.relationship.model import HealthModel, applicable, component_max
from connector.insights.relationship.settings import RelationshipSettings

TABLE = "osi_healthmodel"
KIND_LABEL = {"fitted": "Fitted", "fixed": "Set by an administrator", "default": "Default"}
"""Model kind (:class:`HealthModel`) → the English label of its ``osi_healthmodelkind`` choice."""
ORDER = ("contact", "account", "lead", "opportunity")


def fit_period(day: int) -> int:
    """The first local day of the fitting period of local ``day`` (the models of a period are fitted on the
    history before it): the first day of its calendar month."""
    return month_start(day)


def next_fit(period: int) -> int:
    """The first local day of the period after the one starting on ``period``: when models are fitted again."""
    return month_start(period, -1)


def registry_row(model: HealthModel, *, period: int, s: RelationshipSettings) -> dict[str, Any]:
    """The ``osi_healthmodel`` row of one record type's model, used in the period starting on local day ``period``.

    Raises:
        KeyError: the model's kind is not one of :data:`KIND_LABEL`.
    """
    fitted, fixed = model.kind == "fitted", model.kind == "fixed"
    metrics: dict[str, Any] = dict(model.metrics)
    if fitted:
        metrics["calibration"] = {"logit_at_0": model.logit_at_0, "logit_per_point": model.logit_per_point,
                                  "fair_probability": model.fair_probability}
    steps = applicable(indicators(s), model.entity)
    weights = {"components": component_max(model, steps), "steps": dict(sorted(model.points.items()))}
    examples = metrics.get("examples")
    return {
        "osi_key": model.entity, "osi_name": f"{model.entity} health model", "osi_entityname": model.entity,
        "osi_healthmodelkind": schema.HEALTH_MODEL_KIND.value(KIND_LABEL[model.kind]),
        "osi_target": model.target, "osi_note": model.note[:400],
        "osi_examples": int(examples) if isinstance(examples, int) and not fixed else None,
        "osi_minexamples": None if fixed else s.fit_min_examples,
        "osi_fittedon": model.fitted_on if fitted else None,
        "osi_nextfiton": None if fixed else day_text(next_fit(period)),
        "osi_goodmin": model.good_min, "osi_fairmin": model.fair_min,
        "osi_goodprobability": model.good_probability if fitted else None,
        "osi_weights": json.dumps(weights, sort_keys=True),
        "osi_metrics": json.dumps(metrics, sort_keys=True),
    }


def registry_rows(models: Mapping[str, HealthModel], *, period: int, s: RelationshipSettings) -> pd.DataFrame:
    """One ``osi_healthmodel`` row per record type of ``models`` (:func:`registry_row`), in a fixed order."""
    rows = [registry_row(models[t], period=period, s=s) for t in ORDER if t in models]
    return pd.DataFrame(rows, columns=[c.logical_name for c in (schema.table(TABLE).primary_name,
                                                                 *schema.table(TABLE).columns)])
