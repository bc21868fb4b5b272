"""Which sales signals would raise scoring's rank correlation on demo organisations: candidate columns, measured.

Usage: ``python benchmarks/scoring_trace_probe.py [--size S] [--seeds 7 8 9 10] [--ceiling]``

The generator draws each outcome from visible attributes and hidden factors (buying intent,
engagement, responsiveness, deal velocity) that leave noisy traces in Dataverse. Each candidate
below is a signal a seller would recognise, computed from Dataverse columns *as of* each row's moment
(a closed opportunity's sampled stage moment, a closed lead's close, ``now`` for an open record; an
activity after that moment never counts). For each candidate the probe adds its columns to the
production rows (:mod:`connector.pipeline.scoring_data`), trains the production model on the closed
rows exactly as the producer does, and prints the rank correlation (Spearman) between the open
records' predicted probability and the generator's true propensity; with ``--ceiling`` also the
benchmark-only observable ceiling (gradient boosting fitted to the true logit) *over the same column
set*, so a candidate that carries new information raises the ceiling even when outcomes are too few
to learn it. Candidates:

- ``budget_share``: the opportunity's budget as a share of its estimated revenue ("the budget covers
  the deal").
- ``plan``: the planned sales cycle (creation to estimated close date) and the share of it elapsed at
  the moment ("past its expected close date").
- ``pace``: days per sales stage so far (age at the moment over the stages reached: a deal that moves).
- ``conversations``: conversations per week of life (e-mail threads, not messages, plus calls,
  meetings and tasks), so a long back-and-forth counts as one touch.
- ``reply_smoothed``: the customer's reply share as (answered + 1) / (sent + 2), so one unanswered
  e-mail is not "0 %".
- ``reply_missing``: the reply share missing (not 0 %) when we never e-mailed.

Prints JSON: per entity, variant and seed the open-record Spearman (and ceiling), and means.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.demo_truth_eval import _observable_ceiling, seeded_frames  # noqa: E402
from connector.insights.scoring.features import calendar_days  # noqa: E402
from connector.insights.scoring.stages import MOMENT, STAGE  # noqa: E402
from connector.pipeline.scoring_data import ENTITIES, open_rows, training_rows  # noqa: E402
from connector.pipeline.scoring_definition import ModelDefinition  # noqa: E402
from connector.pipeline.scoring_producer import _train  # noqa: E402

Frames = dict[str, pd.DataFrame]


def organisation(size: str, seed: int, now: datetime) -> tuple[Frames, dict[str, Any]]:
    """A freshly seeded demo organisation extracted through the real client, and its truth."""
    home = Path(tempfile.mkdtemp(prefix="osi-probe-"))
    try:
        return seeded_frames(home, size, seed, now)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _before(frames: Frames, rows: pd.DataFrame, id_column: str) -> pd.DataFrame:
    """The activities regarding each row's record up to the row's moment, with the row's position."""
    rec = pd.DataFrame({"rid": rows[id_column].astype("string"), "cutoff": rows[MOMENT]}).rename_axis("row")
    acts = frames["activities"]
    joined = acts.merge(rec.reset_index(), left_on="regarding_id", right_on="rid", how="inner")
    return joined[joined["occurred_on"] <= joined["cutoff"]]


def _weeks(rows: pd.DataFrame) -> np.ndarray:
    return np.asarray((calendar_days(rows["created_on"], rows[MOMENT]) / 7).clip(lower=1 / 7), dtype=float)


def budget_share(frames: Frames, rows: pd.DataFrame, id_column: str) -> dict[str, Any]:
    """Budget over estimated revenue (both are the record's current values)."""
    return {"probe_budget_share": pd.to_numeric(rows["budgetamount"], errors="coerce")
            / pd.to_numeric(rows["estimatedvalue"], errors="coerce")}


def plan(frames: Frames, rows: pd.DataFrame, id_column: str) -> dict[str, Any]:
    """Days from creation to the estimated close date, and the share of them elapsed at the moment."""
    cycle = calendar_days(rows["created_on"], rows["estimated_close_date"]).astype(float)
    age = calendar_days(rows["created_on"], rows[MOMENT]).astype(float)
    return {"probe_planned_cycle_days": cycle, "probe_plan_elapsed": age / cycle.clip(lower=1)}


def pace(frames: Frames, rows: pd.DataFrame, id_column: str) -> dict[str, Any]:
    """Days from creation to the moment per stage reached (the sampled stage counts as reached)."""
    stages = frames["process_stages"].dropna(subset=["name"])
    order = dict(zip(stages["name"], stages["category"].astype(float), strict=True))
    reached = rows[STAGE].map(order).astype(float) + 1
    return {"probe_days_per_stage": calendar_days(rows["created_on"], rows[MOMENT]).astype(float) / reached}


def conversations(frames: Frames, rows: pd.DataFrame, id_column: str) -> dict[str, Any]:
    """Conversations (e-mail threads, calls, meetings, tasks) before the moment, per week of life."""
    b = _before(frames, rows, id_column)
    starts = b[(b["activity_type"] != "email").fillna(True) | b["in_reply_to"].isna()]
    n = starts.groupby("row").size().reindex(range(len(rows)), fill_value=0).to_numpy()
    return {"probe_conversations_per_week": n / _weeks(rows)}


def _sent_answered(frames: Frames, rows: pd.DataFrame, id_column: str) -> tuple[np.ndarray, np.ndarray]:
    sent = _before(frames, rows, id_column)
    sent = sent[(sent["activity_type"] == "email").fillna(False) & (sent["direction"] == "outgoing").fillna(False)]
    n = sent.groupby("row").size().reindex(range(len(rows)), fill_value=0).to_numpy(dtype=float)
    return n, np.round(rows["act_customer_reply_rate"].fillna(0).to_numpy(dtype=float) * n)


def reply_smoothed(frames: Frames, rows: pd.DataFrame, id_column: str) -> dict[str, Any]:
    """The customer's reply share before the moment, as (answered + 1) / (sent + 2)."""
    sent, answered = _sent_answered(frames, rows, id_column)
    return {"act_customer_reply_rate": (answered + 1) / (sent + 2)}


def reply_missing(frames: Frames, rows: pd.DataFrame, id_column: str) -> dict[str, Any]:
    """The customer's reply share before the moment; missing when we sent nothing."""
    sent, answered = _sent_answered(frames, rows, id_column)
    return {"act_customer_reply_rate": np.where(sent > 0, answered / np.maximum(sent, 1), np.nan)}


Candidate = Callable[[Frames, pd.DataFrame, str], dict[str, Any]]
CANDIDATES: dict[str, tuple[tuple[Candidate, ...], tuple[str, ...]]] = {
    "base": ((), ("lead", "opportunity")),
    "budget_share": ((budget_share,), ("opportunity",)),
    "plan": ((plan,), ("opportunity",)),
    "pace": ((pace,), ("opportunity",)),
    "conversations": ((conversations,), ("lead", "opportunity")),
    "reply_smoothed": ((reply_smoothed,), ("lead", "opportunity")),
    "reply_missing": ((reply_missing,), ("lead", "opportunity")),
    "all": ((budget_share, plan, pace, conversations, reply_smoothed), ("opportunity",)),
}


def _with(frames: Frames, rows: pd.DataFrame, id_column: str, candidates: tuple[Candidate, ...]) -> pd.DataFrame:
    out = rows.reset_index(drop=True).copy()
    for candidate in candidates:
        for name, values in candidate(frames, out, id_column).items():
            out[name] = np.asarray(values, dtype=float)
    return out


def measure(frames: Frames, truth: dict[str, Any], now: datetime, spec: Any, candidates: tuple[Candidate, ...],
            ceiling: bool) -> dict[str, float]:
    """Open-record Spearman of the production model trained with the candidate columns (and the ceiling)."""
    train = _with(frames, training_rows(frames, spec), spec.id_column, candidates)
    opened = _with(frames, open_rows(frames, spec, now), spec.id_column, candidates)
    model = _train(spec, train, now, ModelDefinition(), 1)
    p = model.predict(model.prepare(opened, now=pd.Timestamp(now)))
    true = opened[spec.id_column].map({k: v["propensity"] for k, v in truth[spec.frame].items()}).astype(float)
    out = {"spearman": round(float(spearmanr(p, true).statistic), 4), "test_auc": model.metrics.get("auc")}
    if ceiling:
        out["ceiling"] = _observable_ceiling(frames, truth, now, spec,
                                             given=(train.drop(columns=["outcome"]), opened))
    return out


def main() -> None:
    """Seed each organisation, measure every candidate, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="S")
    parser.add_argument("--seeds", nargs="+", type=int, default=[7, 8, 9, 10])
    parser.add_argument("--now", default="2026-11-02T09:00:00+00:00")
    parser.add_argument("--variants", nargs="+", choices=sorted(CANDIDATES), default=list(CANDIDATES))
    parser.add_argument("--ceiling", action="store_true", help="also the observable ceiling per column set")
    args = parser.parse_args()
    now = datetime.fromisoformat(args.now)
    report: dict[str, Any] = {}
    for seed in args.seeds:
        frames, truth = organisation(args.size, seed, now)
        for spec in ENTITIES:
            for variant in args.variants:
                candidates, entities = CANDIDATES[variant]
                if spec.entity not in entities:
                    continue
                with threadpool_limits(limits=1):
                    result = measure(frames, truth, now, spec, candidates, args.ceiling)
                report.setdefault(spec.entity, {}).setdefault(variant, {})[str(seed)] = result
                print(json.dumps({"seed": seed, "entity": spec.entity, "variant": variant, **result}),
                      file=sys.stderr, flush=True)
    for variants in report.values():
        for per_seed in variants.values():
            per_seed["mean"] = {k: round(float(np.mean([r[k] for r in per_seed.values() if r.get(k) is not None])), 4)
                                for k in ("spearman", "ceiling") if any(k in r for r in per_seed.values())}
    print(json.dumps({"size": args.size, "seeds": args.seeds, **report}, indent=1, sort_keys=True))


if __name__ == "__main__":
    main()
