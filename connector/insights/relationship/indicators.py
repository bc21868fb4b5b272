"""The yes/no steps health gives points to, grouped into the explained components (a declared table).

Each indicator is one step of one fact (:mod:`.signals`): "last two-way touch under 14 days ago", "at
least 4 touches in 90 days", "2 or more of our e-mails unanswered". Steps of one fact nest (a record
under 7 days is also under 14), so with points of one sign per indicator, health is a monotone staircase
in each fact. The sign says which way a step may move health: ``+1`` steps can only add points (more
two-way contact, more people, faster answers), ``−1`` steps can only take them away (unanswered e-mails,
canceled meetings, a deal older than won deals, a slipped close date). :mod:`.fit` keeps to these signs.

Thresholds follow the settings (the expected contact rhythm ``f`` and the breadth target) and, for
deals, the references a fitted model learnt from the organisation's won deals (:class:`DealReference`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from connector.insights.relationship.settings import RelationshipSettings

COMPONENTS = ("recency", "frequency", "rhythm", "responsiveness", "reciprocity", "breadth", "deal")
DEALS = ("lead", "opportunity")
ALL = ("contact", "account", "lead", "opportunity")
RECENCY_STEPS = (0.5, 1, 2, 4, 8, 13, 26, 52)
"""Recency edges in multiples of the expected rhythm ``f`` (7 days: 4, 7, 14, 28, 56, 91, 182, 364)."""


@dataclass(frozen=True)
class DealReference:
    """What won deals looked like while open, per sales stage (``-1``: leads and unknown stages)."""

    activities_30: dict[int, float]
    rate_30: dict[int, float]
    age: dict[int, float]

    def lookup(self, table: dict[int, float], stage: pd.Series) -> np.ndarray:
        """The reference of each record's stage (the all-stage value where the stage has none)."""
        default = table.get(-1, math.nan)
        keys = stage.fillna(-1).astype(int).to_numpy()
        return np.array([table.get(int(k), default) for k in keys], dtype=float)


NO_REFERENCE = DealReference({-1: 2.0}, {-1: 2.0}, {-1: 90.0})


Test = Callable[[pd.DataFrame, DealReference], np.ndarray]
"""A step's test: the signals (and the deal reference) in, one boolean per record out."""


@dataclass(frozen=True)
class Indicator:
    """One step: ``name`` (unique), its component, its sign, the record types it applies to, its test.

    ``fitted`` false: only the hand-set model gives it points. The sales stage is such a step: a closed
    deal keeps the last stage it reached, so in the history a lost deal's early stage says "lost" before it
    could be known, and a model fitted on it would call every young open deal Poor.
    """

    name: str
    component: str
    sign: int
    types: tuple[str, ...]
    test: Test
    fitted: bool = True


def _ge(col: str, k: float) -> Test:
    def test(sig: pd.DataFrame, ref: DealReference) -> np.ndarray:
        return np.asarray(sig[col].to_numpy(dtype=float) >= k, dtype=bool)
    return test


def _lt(col: str, k: float) -> Test:
    def test(sig: pd.DataFrame, ref: DealReference) -> np.ndarray:
        return np.asarray(sig[col].to_numpy(dtype=float) < k, dtype=bool)
    return test


def _share(num: str, den: str, q: float) -> Test:
    # One more in the denominator: one answered message out of one is evidence, not certainty.
    def test(sig: pd.DataFrame, ref: DealReference) -> np.ndarray:
        return np.asarray(sig[num].to_numpy(dtype=float) >= q * (sig[den].to_numpy(dtype=float) + 1), dtype=bool)
    return test


def _rhythm(r: float) -> Test:
    def test(sig: pd.DataFrame, ref: DealReference) -> np.ndarray:
        recent = sig["touch_90"].to_numpy(dtype=float)
        usual = sig["touch_prior"].to_numpy(dtype=float) * 90 / 275
        return np.asarray((recent > 0) & (recent >= r * usual), dtype=bool)
    return test


def _people_share(q: float) -> Test:
    def test(sig: pd.DataFrame, ref: DealReference) -> np.ndarray:
        contacts = sig["contacts"].to_numpy(dtype=float)
        return np.asarray((contacts > 0) & (sig["people_customer"].to_numpy(dtype=float) >= q * contacts), dtype=bool)
    return test


def _deal_vs_won(q: float, kind: str) -> Test:
    def test(sig: pd.DataFrame, ref: DealReference) -> np.ndarray:
        if kind == "recent":
            value, table = sig["deal_30"].to_numpy(dtype=float), ref.activities_30
        else:
            value = sig["deal_all"].to_numpy(dtype=float) * 30 / np.maximum(sig["age"].to_numpy(dtype=float), 30)
            table = ref.rate_30
        want = ref.lookup(table, sig["stage"])
        return np.asarray((value > 0) & (value >= q * np.nan_to_num(want, nan=np.inf)), dtype=bool)
    return test


def _older_than_won(sig: pd.DataFrame, ref: DealReference) -> np.ndarray:
    return np.asarray(sig["age"].to_numpy(dtype=float) > np.nan_to_num(ref.lookup(ref.age, sig["stage"]), nan=np.inf),
                      dtype=bool)


def _steps(expected: float, fractions: tuple[float, ...]) -> list[int]:
    return sorted({max(1, math.ceil(expected * x - 1e-9)) for x in fractions})


def indicators(s: RelationshipSettings) -> tuple[Indicator, ...]:
    """Every indicator for the settings ``s`` (thresholds scale with the rhythm and breadth target)."""
    f = s.frequency_days
    out: list[Indicator] = []
    for e in sorted({max(1, round(f * x)) for x in RECENCY_STEPS}):
        out.append(Indicator(f"touch_under_{e}d", "recency", 1, ALL, _lt("touch_age", e)))
    for e in sorted({max(1, round(f * x)) for x in (1, 4, 13)}):
        out.append(Indicator(f"contact_under_{e}d", "recency", 1, ALL, _lt("contact_age", e)))
    out.append(Indicator("upcoming", "recency", 1, ALL, _ge("upcoming", 1)))
    for k in _steps(30 / f, (1 / 4, 1 / 2, 1, 2)):
        out.append(Indicator(f"touch30_{k}", "frequency", 1, ALL, _ge("touch_30", k)))
    for k in _steps(s.health_window_days / f, (1 / 12, 1 / 6, 1 / 3, 2 / 3, 1, 2)):
        out.append(Indicator(f"touch90_{k}", "frequency", 1, ALL, _ge("touch_90", k)))
    for k in _steps(365 / f, (1 / 48, 1 / 24, 1 / 12, 1 / 6, 1 / 3, 2 / 3)):
        out.append(Indicator(f"touch365_{k}", "frequency", 1, ALL, _ge("touch_365", k)))
    for k in _steps(30 / f, (1 / 4, 1 / 2, 1, 2, 4)):
        out.append(Indicator(f"contact30_{k}", "frequency", 1, ALL, _ge("contact_30", k)))
    for k in _steps(s.health_window_days / f, (1 / 12, 1 / 6, 1 / 3, 2 / 3, 1, 2, 4)):
        out.append(Indicator(f"contact90_{k}", "frequency", 1, ALL, _ge("contact_90", k)))
    for k in _steps(365 / f, (1 / 48, 1 / 24, 1 / 12, 1 / 6, 1 / 3, 2 / 3, 4 / 3)):
        out.append(Indicator(f"contact365_{k}", "frequency", 1, ALL, _ge("contact_365", k)))
    for r in (0.5, 1.0, 1.5):
        out.append(Indicator(f"rhythm_{r:g}", "rhythm", 1, ALL, _rhythm(r)))
    for q in (0.25, 0.5, 0.75):
        out.append(Indicator(f"customer_answers_{q:g}", "responsiveness", 1, ALL,
                             _share("customer_answered", "customer_asked", q)))
    for q in (0.25, 0.5):
        out.append(Indicator(f"customer_fast_{q:g}", "responsiveness", 1, ALL,
                             _share("customer_fast", "customer_asked", q)))
    for q in (0.25, 0.5, 0.75):
        out.append(Indicator(f"team_answers_{q:g}", "responsiveness", 1, ALL, _share("team_answered", "team_asked", q)))
    for k in (1, 2, 3, 5):
        out.append(Indicator(f"unanswered_{k}", "responsiveness", -1, ALL, _ge("tail", k)))
    out += _reciprocity() + _breadth(s) + _deal()
    return tuple(out)


def _reciprocity() -> list[Indicator]:
    out = [Indicator(f"active_{k}", "reciprocity", 1, ALL, _ge("active", k)) for k in (1, 2, 4, 8)]
    out += [Indicator(f"active_share_{q:g}", "reciprocity", 1, ALL, _share("active", "interactions", q))
            for q in (0.25, 0.5, 0.75)]
    out += [Indicator(f"answered_turns_{k}", "reciprocity", 1, ALL, _ge("answered_turns", k)) for k in (1, 2, 4, 8)]
    out += [Indicator(f"customer_started_{k}", "reciprocity", 1, ALL, _ge("customer_started", k)) for k in (1, 2, 4)]
    out += [Indicator(f"meetings_{k}", "reciprocity", 1, ALL, _ge("meetings", k)) for k in (1, 2, 4)]
    out += [Indicator(f"canceled_{k}", "reciprocity", -1, ALL, _ge("canceled", k)) for k in (1, 2)]
    return out


def _both_sides(k: float) -> Test:
    def test(sig: pd.DataFrame, ref: DealReference) -> np.ndarray:
        return np.asarray((sig["people_customer"] + sig["people_team"]).to_numpy(dtype=float) >= k, dtype=bool)
    return test


def _pace(k: float) -> Test:
    def test(sig: pd.DataFrame, ref: DealReference) -> np.ndarray:
        per_30 = sig["deal_all"].to_numpy(dtype=float) * 30 / np.maximum(sig["age"].to_numpy(dtype=float), 30)
        return np.asarray(per_30 >= k, dtype=bool)
    return test


def _slipped(sig: pd.DataFrame, ref: DealReference) -> np.ndarray:
    return np.asarray(sig["slipped"].to_numpy(dtype=float) > 0, dtype=bool)


def _breadth(s: RelationshipSettings) -> list[Indicator]:
    out = [Indicator(f"people_{k}", "breadth", 1, ALL, _both_sides(k))
           for k in _steps(s.breadth_target, (0.25, 0.5, 0.75, 1))]
    out += [Indicator(f"customer_people_{k}", "breadth", 1, ALL, _ge("people_customer", k)) for k in (2, 3, 5)]
    out += [Indicator(f"contacts_share_{q:g}", "breadth", 1, ("account",), _people_share(q)) for q in (0.1, 0.25, 0.5)]
    return out


def _deal() -> list[Indicator]:
    out = [Indicator(f"stage_{k}", "deal", 1, ("opportunity",), _ge("stage", k), fitted=False) for k in (1, 2, 3)]
    out += [Indicator(f"deal_recent_{k}", "deal", 1, DEALS, _ge("deal_30", k)) for k in (1, 2, 4, 8, 16)]
    out += [Indicator(f"deal_pace_{k}", "deal", 1, DEALS, _pace(k)) for k in (1, 2, 4, 8, 16)]
    out += [Indicator(f"deal30_{q:g}", "deal", 1, DEALS, _deal_vs_won(q, "recent")) for q in (0.5, 1.0, 2.0)]
    out += [Indicator(f"deal_rate_{q:g}", "deal", 1, DEALS, _deal_vs_won(q, "rate")) for q in (0.5, 1.0, 2.0)]
    out.append(Indicator("older_than_won", "deal", -1, DEALS, _older_than_won))
    out.append(Indicator("slipped", "deal", -1, ("opportunity",), _slipped))
    return out


def matrix(sig: pd.DataFrame, specs: tuple[Indicator, ...], ref: DealReference) -> np.ndarray:
    """The 0/1 matrix (records × indicators); NaN facts never pass a test."""
    with np.errstate(invalid="ignore"):
        cols = [np.nan_to_num(np.asarray(spec.test(sig, ref), dtype=float), nan=0.0) for spec in specs]
    return np.column_stack(cols).astype(np.int8) if cols else np.zeros((len(sig), 0), dtype=np.int8)
