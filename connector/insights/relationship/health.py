"""Relationship health: score, state and trend of every record (spec §1.3 step 4, §9 item 6).

The score is the model's integer (:mod:`.model`): the sum of the components' points. The state comes
from that same integer (a displayed 60 is Good when Good starts at 60), so the number and the state never
disagree. Records without enough history are "Not enough info"; a relationship that went quiet is graded
(usually Poor), not unknown. The trend compares the score with the score ``trend_days`` before the start
of the current week (Monday, organisation zone): 14 to 20 days earlier by default, a reference that moves
once a week rather than every day.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from connector import schema
from connector.insights.relationship.indicators import Indicator, matrix
from connector.insights.relationship.model import HealthModel, applicable, score
from connector.insights.relationship.settings import RelationshipSettings

STATE = {label: schema.HEALTH_STATE.value(label) for _v, label, _fr in schema.HEALTH_STATE.options}
TREND = {label: schema.TREND.value(label) for _v, label, _fr in schema.TREND.options}
GRADED = (STATE["Good"], STATE["Fair"], STATE["Poor"])
NEW_DAYS = 90
"""A record created fewer days ago than this with fewer than ``min_activities`` activities is "Not enough info"."""


def grade(points: pd.Series, good_min: int, fair_min: int) -> pd.Series:
    """Good / Fair / Poor option value of each integer score."""
    return pd.Series(np.select([points >= good_min, points >= fair_min], [STATE["Good"], STATE["Fair"]],
                               STATE["Poor"]), index=points.index)


def scores(sig: pd.DataFrame, types: pd.Series, models: Mapping[str, HealthModel], specs: Sequence[Indicator]
           ) -> tuple[pd.Series, pd.DataFrame]:
    """Integer score and points per component of every record (rows of ``sig``), each with its type's model."""
    total = pd.Series(0, index=sig.index, dtype="int64")
    parts = pd.DataFrame(index=sig.index)
    for entity, model in models.items():
        rows = types.eq(entity).to_numpy(dtype=bool)
        if not rows.any():
            continue
        mine = applicable(specs, entity)
        z = matrix(sig[rows], mine, model.reference)
        value, per = score(model, mine, z)
        total[rows] = value
        for component, points in per.items():
            if component not in parts.columns:
                parts[component] = 0
            parts.loc[rows, component] = points
    return total, parts.fillna(0).astype("int64")


def enough_history(sig: pd.DataFrame, s: RelationshipSettings) -> np.ndarray:
    """Records with enough history to grade: all but new records (or of unknown age) with few activities.

    A relationship that went quiet, or never started although the record has long been there, is graded
    (Poor), not unknown: time without contact is information.
    """
    n = sig["n_history"].to_numpy()
    young = ~(sig["age"].to_numpy(dtype=float) >= NEW_DAYS)
    return np.asarray(~((n < s.min_activities) & young), dtype=bool)


def state(points: pd.Series, sig: pd.DataFrame, meta: pd.DataFrame, d: int, models: Mapping[str, HealthModel],
          s: RelationshipSettings) -> pd.Series:
    """Health state as of local day ``d``: Not applicable, Older than two years, Not enough info, or the grade.

    Not enough info: fewer than ``min_activities`` completed e-mails, meetings and calls on a record created
    less than :data:`NEW_DAYS` days ago (or of unknown creation date).

    ``meta`` has per record ``record_type``, ``closed`` (a lead or opportunity no longer open),
    ``created_day`` and ``last_day`` (day of the last completed linked activity).
    """
    limit = d - s.max_record_age_days
    owned = meta["record_type"].isin(["lead", "opportunity"]).to_numpy()
    created = meta["created_day"].astype(float).to_numpy()
    last = meta["last_day"].astype(float).to_numpy()
    old = np.where(owned, created < limit, np.where(np.isnan(last), created < limit, last < limit))
    few = ~enough_history(sig, s)
    graded = pd.Series(STATE["Poor"], index=points.index)
    for entity, model in models.items():
        rows = meta["record_type"].eq(entity).to_numpy(dtype=bool)
        graded[rows] = grade(points[rows], model.good_min, model.fair_min).to_numpy()
    return pd.Series(np.select([meta["closed"].to_numpy(dtype=bool), old, few],
                               [STATE["Not applicable"], STATE["Older than two years"], STATE["Not enough info"]],
                               graded.to_numpy()), index=points.index)


def trend(now_score: pd.Series, now_state: pd.Series, past_score: pd.Series, past_state: pd.Series,
          previous: pd.Series, s: RelationshipSettings) -> pd.Series:
    """Trend option values: the score now against the earlier score (see the module doc), with a dead-band.

    A change smaller than ``trend_dead_band`` is Steady, unless the last run's trend was already
    Improving (Declining) and the change is at least half the band in that direction: the hysteresis
    keeps the trend from flickering. Not applicable when the state is; Not enough info when either
    score is not graded.
    """
    delta = now_score - past_score
    band = s.trend_dead_band
    prev = previous.reindex(now_score.index)
    keep_up = prev.eq(TREND["Improving"]).fillna(False) & (delta >= band / 2)
    keep_down = prev.eq(TREND["Declining"]).fillna(False) & (delta <= -band / 2)
    values = np.select(
        [now_state.eq(STATE["Not applicable"]) | now_state.eq(STATE["Older than two years"]),
         ~now_state.isin(GRADED) | ~past_state.isin(GRADED),
         (delta >= band) | keep_up, (delta <= -band) | keep_down],
        [TREND["Not applicable"], TREND["Not enough info"], TREND["Improving"], TREND["Declining"]],
        TREND["Steady"])
    return pd.Series(values, index=now_score.index)
