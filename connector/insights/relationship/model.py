"""A health model: integer points per indicator, state cut-offs and a calibration; a small JSON value.

A record's health is the sum of its components' points, each between 0 and the component's maximum,
the maxima adding up to 100. An indicator with ``+p`` points adds ``p`` when it holds; one with ``−p``
points adds ``p`` when it does *not* hold (no unanswered e-mails earns the points a tail of them loses).
So the score is an integer 0–100 with no rounding of its own, and the state comes from that integer.

Three kinds, all of this one shape:

- ``fitted``: points, cut-offs and calibration learnt from the organisation's own history (:mod:`.fit`);
  ``logit = logit_at_0 + logit_per_point · score`` is the probability of the model's ``target``; Good is
  ``P ≥ good_probability``, Fair ``P ≥ fair_probability``.
- ``default``: the hand-set weights of the settings spread over the indicators, used below the history
  minimum; ``note`` says why.
- ``fixed``: the same, because an administrator turned fitting off (``health_fit`` false).

:meth:`HealthModel.to_dict` / :meth:`HealthModel.from_dict` round-trip it through JSON (for the model
registry); :func:`score` applies it to an indicator matrix.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from connector.errors import InsightError
from connector.insights.relationship.indicators import COMPONENTS, NO_REFERENCE, DealReference, Indicator
from connector.insights.relationship.settings import RelationshipSettings

TARGETS = {
    "contact": "still in two-way contact in the next 90 days",
    "account": "two or more of its people still in two-way contact in the next 90 days",
    "lead": "qualified",
    "opportunity": "won",
}


@dataclass(frozen=True)
class HealthModel:
    """One record type's health model (see the module docstring for the three kinds)."""

    entity: str
    kind: str
    points: Mapping[str, int]
    good_min: int
    fair_min: int
    logit_at_0: float | None = None
    logit_per_point: float | None = None
    good_probability: float | None = None
    fair_probability: float | None = None
    reference: DealReference = NO_REFERENCE
    fitted_on: str | None = None
    note: str = ""
    metrics: Mapping[str, Any] = field(default_factory=dict)

    @property
    def target(self) -> str:
        """What the probability is the probability of."""
        return TARGETS[self.entity]

    def probability(self, score: int) -> float | None:
        """The calibrated probability of the target at ``score`` (None when not calibrated)."""
        if self.logit_at_0 is None or self.logit_per_point is None:
            return None
        return 1 / (1 + math.exp(-(self.logit_at_0 + self.logit_per_point * score)))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serialisable dict (keys sorted where order carries no meaning)."""
        return {
            "entity": self.entity, "kind": self.kind, "target": self.target,
            "points": dict(sorted(self.points.items())), "good_min": self.good_min, "fair_min": self.fair_min,
            "logit_at_0": self.logit_at_0, "logit_per_point": self.logit_per_point,
            "good_probability": self.good_probability, "fair_probability": self.fair_probability,
            "reference": {name: {str(k): v for k, v in sorted(getattr(self.reference, name).items())}
                          for name in ("activities_30", "rate_30", "age")},
            "fitted_on": self.fitted_on, "note": self.note, "metrics": dict(self.metrics),
        }

    @classmethod
    def from_dict(cls, value: Mapping[str, Any]) -> HealthModel:
        """The model a :meth:`to_dict` value describes.

        Raises:
            InsightError: the value is not a health model (a field missing or of the wrong type).
        """
        try:
            ref = value.get("reference") or {}
            reference = DealReference(*({int(k): float(v) for k, v in (ref.get(name) or {}).items()}
                                        for name in ("activities_30", "rate_30", "age")))
            model = cls(
                entity=str(value["entity"]), kind=str(value["kind"]),
                points={str(k): int(v) for k, v in dict(value["points"]).items()},
                good_min=int(value["good_min"]), fair_min=int(value["fair_min"]),
                logit_at_0=_opt_float(value.get("logit_at_0")),
                logit_per_point=_opt_float(value.get("logit_per_point")),
                good_probability=_opt_float(value.get("good_probability")),
                fair_probability=_opt_float(value.get("fair_probability")),
                reference=reference if ref else NO_REFERENCE, fitted_on=value.get("fitted_on"),
                note=str(value.get("note") or ""), metrics=dict(value.get("metrics") or {}))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InsightError(f"health model: not a stored health model ({type(exc).__name__}: {exc})") from exc
        if model.entity not in TARGETS or model.kind not in ("fitted", "default", "fixed"):
            raise InsightError(f"health model: unknown entity or kind ({model.entity!r:.20}, {model.kind!r:.20})")
        return model

    def fits(self, specs: Sequence[Indicator]) -> bool:
        """Whether every indicator the model gives points to exists under the current settings."""
        names = {s.name for s in specs}
        return all(name in names for name in self.points)


def _opt_float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


def largest_remainder(values: Sequence[float], total: int) -> list[int]:
    """Non-negative integers proportional to ``values`` that add up to ``total`` exactly (ties: first)."""
    v = np.clip(np.asarray(values, dtype=float), 0, None)
    if v.sum() <= 0:
        return [0] * len(v)
    share = v / v.sum() * total
    out = np.floor(share).astype(int)
    order = np.lexsort((np.arange(len(v)), -(share - out)))
    out[order[: total - int(out.sum())]] += 1
    return [int(x) for x in out]


def applicable(specs: Sequence[Indicator], entity: str) -> tuple[Indicator, ...]:
    """The indicators that apply to records of type ``entity``."""
    return tuple(spec for spec in specs if entity in spec.types)


def score(model: HealthModel, specs: Sequence[Indicator], z: np.ndarray) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Health score (integers 0–100) and points per component of each row of the indicator matrix ``z``."""
    per: dict[str, np.ndarray] = {}
    for j, spec in enumerate(specs):
        p = model.points.get(spec.name, 0)
        if not p:
            continue
        got = p * z[:, j] if p > 0 else -p * (1 - z[:, j])
        per[spec.component] = per.get(spec.component, 0) + got.astype(np.int64)
    total = sum(per.values(), np.zeros(len(z), dtype=np.int64))
    return np.clip(total, 0, 100), per


def component_max(model: HealthModel, specs: Sequence[Indicator]) -> dict[str, int]:
    """Each component's maximum points (components without points left out)."""
    out: dict[str, int] = {}
    for spec in specs:
        p = abs(model.points.get(spec.name, 0))
        if p:
            out[spec.component] = out.get(spec.component, 0) + p
    return {c: out[c] for c in COMPONENTS if c in out}


def hand_set(entity: str, specs: Sequence[Indicator], s: RelationshipSettings, kind: str, note: str) -> HealthModel:
    """The settings' component weights spread over the indicators (today's defaults, as steps).

    Recency's weight is shared equally by the "last touch under …" steps, frequency's by the 90-day
    count steps in proportion to the rise of ``1 − 2^(−2r)`` (``r``: touches over the expected number),
    responsiveness's by the customer's and our answer shares, reciprocity's by the active shares,
    breadth's by the people steps and, for opportunities, stage's by the stage steps.
    """
    mine = applicable(specs, entity)
    expected = s.health_window_days / s.frequency_days
    shares: dict[str, dict[str, float]] = {}  # component → step → share of the component's weight
    for comp, prefixes in (("recency", ("touch_under_",)), ("responsiveness", ("customer_answers_", "team_answers_")),
                           ("reciprocity", ("active_share_",)), ("breadth", ("people_",)), ("deal", ("stage_",))):
        names = [x.name for x in mine if x.name.startswith(prefixes)]
        shares[comp] = {name: 1 / len(names) for name in names}
    steps = [(int(x.name.split("_")[1]), x.name) for x in mine if x.name.startswith("touch90_")]
    shares["frequency"], prev = {}, 0.0
    for i, (k, name) in enumerate(steps):
        level = 1.0 if i == len(steps) - 1 else 1 - 2 ** (-2 * k / expected)
        shares["frequency"][name], prev = level - prev, level
    weights = {"recency": s.weight_recency, "frequency": s.weight_frequency, "responsiveness": s.weight_responsiveness,
               "reciprocity": s.weight_reciprocity, "breadth": s.weight_breadth,
               "deal": s.weight_stage if entity == "opportunity" else 0.0}
    comps = [c for c in weights if shares.get(c)]
    # Whole points per component first (so 20/50/10/10/10 stay exactly that), then per step within each.
    totals = dict(zip(comps, largest_remainder([weights[c] for c in comps], 100), strict=True))
    points: dict[str, int] = {}
    for comp in comps:
        names = list(shares[comp])
        points.update(zip(names, largest_remainder([shares[comp][n] for n in names], totals[comp]), strict=True))
    return HealthModel(entity=entity, kind=kind, points={k: v for k, v in sorted(points.items()) if v},
                       good_min=s.good_min, fair_min=s.fair_min, note=note)
