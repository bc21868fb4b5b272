"""Fit each record type's health model on the organisation's own history, with a time split.

As of twelve past days, 30 days apart, before the anchor (the first day of the current month in the
organisation's zone; nothing from the anchor on is read, so a refit within the month gives the same model):

- contacts and accounts: of the records with enough history then (the ones that would be graded), which
  were still in two-way contact in the 90 days after (as-of days at least 90 days before the anchor);
  for an account, with two or more of its people (breadth: an account held by one person is at risk);
- leads and opportunities: of the records open then whose outcome is known by the anchor, which were
  qualified / won.

The indicators as of each day (:mod:`.signals`, :mod:`.indicators`) are the inputs; the weights are fitted
with their signs fixed (:mod:`.logistic`). Held-out evaluation first: relationships as of the latest
as-of day (deals that closed in the last 90 days) against a model fitted on the earlier ones, next to
the hand-set default and the two baselines (completed activities in 90 days; days since the last one).
Then the final model is fitted on every example. Below ``fit_min_examples`` examples or 30 of either
class, or when the fitted weights rank the held-out split clearly worse than the default (by more than
:data:`FALLBACK_MARGIN` AUC), the default is used and its ``note`` says why.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from connector.insights.relationship.clock import day_start, day_text
from connector.insights.relationship.health import enough_history
from connector.insights.relationship.indicators import ALL, DealReference, Indicator, indicators, matrix
from connector.insights.relationship.kpis import Linked
from connector.insights.relationship.logistic import auc, calibrate, cut_off, fit_signed, integer_scores, to_points
from connector.insights.relationship.model import HealthModel, applicable, hand_set
from connector.insights.relationship.settings import RelationshipSettings
from connector.insights.relationship.signals import engaged, signals

AS_OF_STEP, AS_OF_COUNT, DEAL_STEP, DEAL_COUNT, HORIZON, MIN_PER_CLASS = 30, 12, 7, 52, 90, 30
FALLBACK_MARGIN = 0.02
MIN_POINTS = 3
"""The fitted model is dropped for the default when it ranks the held-out examples worse by more than this."""


@dataclass(frozen=True)
class Examples:
    """Training rows of one record type: signals as of a day, the label, the as-of day and the close day."""

    sig: pd.DataFrame
    y: np.ndarray
    as_of: np.ndarray
    closed: np.ndarray


def end_of(day: int, tz: str) -> pd.Timestamp:
    """The last instant of local ``day``."""
    return day_start(day + 1, tz) - pd.Timedelta(1, "ns")


def fit_models(lk: Linked, records: pd.DataFrame, anchor: int, s: RelationshipSettings,
               members: pd.DataFrame | None = None) -> dict[str, HealthModel]:
    """A health model per record type, fitted on the history before local day ``anchor`` (see module doc).

    ``records`` is indexed by record key with ``record_type, stage, created_day, est_close_day, close_day``
    (the local day the record closed, NaN while open) and ``outcome`` (1 won / qualified, 0 lost /
    disqualified, NaN otherwise).
    """
    specs = indicators(s)
    if not s.health_fit:
        note = "weights set by an administrator (health_fit is off)"
        return {e: hand_set(e, specs, s, "fixed", note) for e in ALL}
    out = {}
    for group in (("contact", "account"), ("lead", "opportunity")):
        possible = _possible(records, group, anchor)
        if max(possible.values()) < s.fit_min_examples:  # not worth reading the history: too little of it
            for entity in group:
                out[entity] = _fallback(entity, specs, s, _too_few_note(possible[entity], None, s),
                                        {"fallback": "too_little_history", "examples": possible[entity]})
            continue
        views = _views(lk, records, group, anchor, s, members)
        for entity in group:
            ex = _examples(views, lk, records, entity, anchor, s)
            out[entity] = _fit_one(entity, applicable(specs, entity), ex, anchor, s)
    return out


def _possible(records: pd.DataFrame, group: tuple[str, ...], anchor: int) -> dict[str, int]:
    """At most how many examples each record type of ``group`` can give (records × as-of days they existed)."""
    out = {}
    for entity in group:
        mine = records[records["record_type"].eq(entity).to_numpy(dtype=bool)]
        created = mine["created_day"].fillna(-1e9).to_numpy(dtype=float)
        if entity in ("lead", "opportunity"):
            days = anchor - 1 - DEAL_STEP * np.arange(1, DEAL_COUNT + 1)
            close = mine["close_day"].to_numpy(dtype=float)
            ok = (close < anchor) & mine["outcome"].notna().to_numpy(dtype=bool)
            alive = (created[:, None] <= days[None, :]) & (close[:, None] > days[None, :]) & ok[:, None]
        else:
            days = anchor - 1 - AS_OF_STEP * np.arange(1, AS_OF_COUNT + 1)
            days = days[days + HORIZON < anchor]
            alive = created[:, None] <= days[None, :]
        out[entity] = int(alive.sum())
    return out


def _views(lk: Linked, records: pd.DataFrame, group: tuple[str, ...], anchor: int, s: RelationshipSettings,
           members: pd.DataFrame | None) -> list[tuple[int, pd.DataFrame]]:
    """Signals as of each as-of day of the records of ``group`` that can be examples then.

    Relationships: every 30 days; deals (fewer records, each open a short while): every 7 days, only the
    deals whose outcome was known by the anchor.
    """
    deal = group[0] in ("lead", "opportunity")
    mine = records[records["record_type"].isin(group).to_numpy(dtype=bool)]
    if deal:
        mine = mine[(mine["close_day"] < anchor).to_numpy(dtype=bool) & mine["outcome"].notna().to_numpy(bool)]
    sub = _only(lk, mine.index.to_numpy())
    step, count = (DEAL_STEP, DEAL_COUNT) if deal else (AS_OF_STEP, AS_OF_COUNT)
    views = []
    for k in range(1, count + 1):
        day = anchor - 1 - step * k
        alive = ~(mine["created_day"] > day).to_numpy(dtype=bool)
        if deal:
            alive &= (mine["close_day"] > day).to_numpy(dtype=bool)
        elif day + HORIZON >= anchor:
            continue
        if alive.any():
            views.append((day, signals(sub, mine[alive], end_of(day, s.timezone), day, s, members)))
    return views


def _only(lk: Linked, keys: np.ndarray) -> Linked:
    def keep(df: pd.DataFrame) -> pd.DataFrame:
        return df[df["rec"].isin(keys)].reset_index(drop=True)
    return Linked(keep(lk.acts), keep(lk.turns), keep(lk.threads), keep(lk.people))


def _examples(views: list[tuple[int, pd.DataFrame]], lk: Linked, records: pd.DataFrame, entity: str, anchor: int,
              s: RelationshipSettings) -> Examples:
    deal = entity in ("lead", "opportunity")
    parts, ys, days, closes = [], [], [], []
    if not deal:
        touches = lk.acts[lk.acts["done"] & lk.acts["two_way"] & (lk.acts["day"] < anchor).fillna(False)]
        touch_rec, touch_day = touches["rec"].to_numpy(), touches["day"].to_numpy(dtype=np.int64)
        who_rec, who_day, who = _touches(lk, anchor)
    for day, sig in views:
        kind = records["record_type"].reindex(sig.index).eq(entity).to_numpy(dtype=bool)
        if deal:
            close = records["close_day"].reindex(sig.index).to_numpy(dtype=float)
            outcome = records["outcome"].reindex(sig.index).to_numpy(dtype=float)
            keep = kind & (close > day) & (close < anchor) & ~np.isnan(outcome)
            label = outcome[keep] == 1
            closed = close[keep]
        else:
            if day + HORIZON >= anchor:
                continue
            keep = kind & enough_history(sig, s) & (sig["last_age"].to_numpy(dtype=float) < s.max_record_age_days)
            if entity == "account":  # breadth: two or more of its people, not one
                window = (who_day > day) & (who_day <= day + HORIZON)
                pairs = pd.DataFrame({"rec": who_rec[window], "person": who[window]}).drop_duplicates()
                counts = pairs.groupby("rec").size()
                later = counts.index[counts >= 2].to_numpy()
            else:
                later = np.unique(touch_rec[(touch_day > day) & (touch_day <= day + HORIZON)])
            label = np.isin(sig.index.to_numpy()[keep], later)
            closed = np.full(int(keep.sum()), np.nan)
        parts.append(sig[keep])
        ys.append(label)
        days.append(np.full(int(keep.sum()), day))
        closes.append(closed)
    if not parts:
        return Examples(pd.DataFrame(), np.zeros(0, dtype=bool), np.zeros(0, dtype=np.int64), np.zeros(0))
    return Examples(pd.concat(parts), np.concatenate(ys), np.concatenate(days), np.concatenate(closes))


def _touches(lk: Linked, anchor: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Record, day and customer person of every engaged customer in a two-way activity before ``anchor``."""
    p = engaged(lk.people)
    p = p[~p["internal"].to_numpy(dtype=bool) & (p["day"] < anchor).fillna(False).to_numpy(dtype=bool)]
    return (p["rec"].to_numpy(), p["day"].to_numpy(dtype=np.int64), p["person"].to_numpy(dtype=np.int64))


def reference(ex: Examples, rows: np.ndarray) -> DealReference:
    """What the won deals among ``rows`` looked like while open, per stage and overall (``-1``)."""
    won = rows & ex.y
    if not won.any():
        return DealReference({}, {}, {})
    sig = ex.sig[won]
    frame = pd.DataFrame({
        "stage": sig["stage"].fillna(-1).astype(int).to_numpy(),
        "recent": sig["deal_30"].to_numpy(dtype=float),
        "rate": (sig["deal_all"] * 30 / np.maximum(sig["age"], 30)).to_numpy(dtype=float),
        "life": ex.closed[won] - ex.as_of[won] + sig["age"].to_numpy(dtype=float),
    })
    tables = []
    for col, how in (("recent", 0.5), ("rate", 0.5), ("life", 0.75)):
        by_stage = frame.groupby("stage")[col].quantile(how)
        counts = frame["stage"].value_counts()
        table = {int(k): round(float(v), 2) for k, v in by_stage.items() if k >= 0 and counts.get(k, 0) >= 10}
        table[-1] = round(float(frame[col].quantile(how)), 2)
        tables.append(table)
    return DealReference(*tables)


def _split(entity: str, ex: Examples, anchor: int) -> np.ndarray:
    if entity in ("lead", "opportunity"):
        return np.asarray(ex.closed >= anchor - HORIZON, dtype=bool)
    return np.asarray(ex.as_of == ex.as_of.max(), dtype=bool)


def _too_few(y: np.ndarray, s: RelationshipSettings) -> str | None:
    n, pos = len(y), int(y.sum())
    if n < s.fit_min_examples or min(pos, n - pos) < MIN_PER_CLASS:
        return _too_few_note(n, pos, s)
    return None


def _fallback(entity: str, specs: tuple[Indicator, ...], s: RelationshipSettings, note: str,
              metrics: Mapping[str, object]) -> HealthModel:
    """The hand-set model used instead of a fitted one: ``note`` says why, ``metrics`` holds the reason's code
    (``fallback``: too_little_history, fitted_ranked_worse, no_information) and its figures, for the registry."""
    return replace(hand_set(entity, specs, s, "default", note),
                   metrics={**metrics, "min_examples": s.fit_min_examples, "min_per_class": MIN_PER_CLASS})


def _too_few_note(n: int, pos: int | None, s: RelationshipSettings) -> str:
    found = f"{n} examples" if pos is None else f"{n} examples ({pos} positive)"
    return (f"hand-set weights: {found} in the organisation's history, fewer than {s.fit_min_examples} or "
            f"fewer than {MIN_PER_CLASS} of either outcome")


def _train(specs: tuple[Indicator, ...], ex: Examples, rows: np.ndarray, ref: DealReference
           ) -> tuple[list[int], float, float] | None:
    """Points (0 for dropped steps), and the calibration ``(a, b)`` of the integer score on ``rows``.

    Steps worth fewer than :data:`MIN_POINTS` are dropped and the rest refitted: each step is a date on
    which the score can move with nothing happening, so a step that hardly matters costs more (a rewrite,
    a line in the explanation) than it explains.
    """
    x = matrix(ex.sig[rows], specs, ref)
    keep = np.ones(len(specs), dtype=bool)
    points: list[int] | None = None
    for _round in range(2):
        b0, w = fit_signed(x[:, keep], ex.y[rows], [sp.sign for sp, k in zip(specs, keep, strict=True) if k])
        got = to_points(b0, w)
        if got is None:
            return None
        points = [0] * len(specs)
        for j, p in zip(np.flatnonzero(keep), got, strict=True):
            points[j] = p
        small = np.array([0 < abs(p) < MIN_POINTS for p in points])
        if not small.any():
            break
        keep &= ~small & np.array([p != 0 for p in points])
    assert points is not None
    a, b = calibrate(integer_scores(x, points), ex.y[rows])
    return points, a, b


def _evaluate(entity: str, specs: tuple[Indicator, ...], ex: Examples, anchor: int, default: HealthModel,
              s: RelationshipSettings) -> dict[str, object]:
    """Held-out AUCs: a model fitted on the earlier examples, the default, and the two baselines.

    The default is scored without its unfitted steps (the sales stage), as the fitted model is: in the
    history they hold the stage a deal ended at, which says how it ended.
    """
    test = _split(entity, ex, anchor)
    train = ~test
    if _too_few(ex.y[train], s) or len(set(ex.y[test].tolist())) < 2:
        return {"held_out": None}
    deal = entity in ("lead", "opportunity")
    ref = reference(ex, train) if deal else default.reference
    mine = tuple(sp for sp in specs if sp.fitted)
    fitted = _train(mine, ex, train, ref)
    y = ex.y[test]
    ours = auc(y, integer_scores(matrix(ex.sig[test], mine, ref), fitted[0])) if fitted else None
    # Only what was known on the as-of day: a closed deal's stage is the last it reached, not the one it
    # was at then, so the default's stage steps would be judged with the outcome half-known.
    base = [default.points.get(sp.name, 0) if sp.fitted else 0 for sp in specs]
    sig = ex.sig[test]
    return {"held_out": {
        "examples": int(test.sum()), "positives": int(y.sum()), "auc": ours,
        "default_auc": auc(y, integer_scores(matrix(sig, specs, default.reference), base)),
        "activities_90d_auc": auc(y, sig["n_90"].to_numpy(dtype=float)),
        "recency_auc": auc(y, -sig["last_age"].fillna(10_000).to_numpy(dtype=float)),
    }}


def _fit_one(entity: str, specs: tuple[Indicator, ...], ex: Examples, anchor: int,
             s: RelationshipSettings) -> HealthModel:
    default = hand_set(entity, specs, s, "default", "")
    counts: dict[str, object] = {"examples": int(len(ex.y)), "positives": int(ex.y.sum())}
    why = _too_few(ex.y, s)
    if why:
        return _fallback(entity, specs, s, why, {"fallback": "too_little_history", **counts})
    metrics = {**counts, "as_of": [day_text(d) for d in sorted(set(ex.as_of.tolist()))]}
    metrics.update(_evaluate(entity, specs, ex, anchor, default, s))
    held = metrics.get("held_out")
    if isinstance(held, Mapping) and held["auc"] is not None and held["default_auc"] is not None \
            and held["auc"] < held["default_auc"] - FALLBACK_MARGIN:
        return _fallback(entity, specs, s, f"hand-set weights: fitted weights ranked the held-out examples worse "
                         f"(AUC {held['auc']}) than the defaults ({held['default_auc']})",
                         {"fallback": "fitted_ranked_worse", **metrics})
    everything = np.ones(len(ex.y), dtype=bool)
    ref = reference(ex, everything) if entity in ("lead", "opportunity") else default.reference
    specs = tuple(sp for sp in specs if sp.fitted)
    fitted = _train(specs, ex, everything, ref)
    if fitted is None:
        return _fallback(entity, specs, s, "hand-set weights: no indicator carried information",
                         {"fallback": "no_information", **metrics})
    points, a, b = fitted
    good = cut_off(a, b, s.good_probability)
    fair = min(cut_off(a, b, s.fair_probability), max(good - 1, 0))
    return HealthModel(
        entity=entity, kind="fitted", points={sp.name: p for sp, p in zip(specs, points, strict=True) if p},
        good_min=good, fair_min=fair, logit_at_0=round(a, 6), logit_per_point=round(b, 6),
        good_probability=s.good_probability, fair_probability=s.fair_probability, reference=ref,
        fitted_on=day_text(anchor), metrics=metrics,
        note=f"fitted on {len(ex.y)} examples of the organisation's history before {day_text(anchor)}")
