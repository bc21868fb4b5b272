"""Similar won deals (spec §1.2): for each open opportunity, the closest won ones and what they had at this point.

Closeness is a weighted match of what both opportunities carry: the account's industry (same or not),
the deal's size (estimated value, on a log scale) and the account's size (employees, log scale). The
closest ``top_n`` are kept, ties broken by id. The stage path is not a factor: the sync reads no stage
history, and every won deal ends at the last stage. For each, the facts a seller compares with: how many
activities it had by the same age as the open one has now, how many in all, and how many days it took to
close; and the open one's own activities so far.

The sync reads no stage history, so "at this stage" is "at the same age since creation".
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from pydantic import Field

from connector import canonical
from connector.feature_settings import FeatureSettings
from connector.pipeline.contract import Frames, Output, Produced, Producer, RunContext

OPEN, WON = 0, 1
_WEIGHTS = {"industry": 0.45, "value": 0.4, "employees": 0.15}


class SimilarDealsSettings(FeatureSettings):
    """How many won deals are shown, from how far back, and how similar they must be."""

    top_n: int = Field(default=5, ge=1, le=10, description="Similar won deals kept per open opportunity.")
    lookback_days: int = Field(default=730, ge=30, le=3650, description="Only deals won in this many days count.")
    min_similarity: float = Field(default=0.5, ge=0, le=1, description="Deals less similar than this (0–1) are "
                                                                       "not shown.")


def _log_closeness(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """1 when equal, 0 when a factor of 100 apart or either is unknown (log10 distance / 2)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        d = np.abs(np.log10(np.maximum(a, 1.0)) - np.log10(np.maximum(b, 1.0)))
    out = np.clip(1 - d / 2, 0, 1)
    return np.where(np.isnan(a) | np.isnan(b), 0.0, out)


def _with_account(opps: pd.DataFrame, accounts: pd.DataFrame) -> pd.DataFrame:
    cols = {"account_id": accounts["account_id"].astype("string")}
    for name in ("industrycode", "numberofemployees"):
        cols[name] = accounts[name] if name in accounts.columns else pd.Series(pd.NA, index=accounts.index)
    acc = pd.DataFrame(cols).drop_duplicates("account_id")
    return opps.assign(account_id=opps["account_id"].astype("string")).merge(acc, on="account_id", how="left")


def closeness(open_opps: pd.DataFrame, won: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Closeness 0–1 of each won deal (columns) to each open opportunity (rows), and whether the two share an
    industry (known on both sides)."""
    ind, won_ind = open_opps["industrycode"].astype("string"), won["industrycode"].astype("string")
    same = ind.fillna("").to_numpy(dtype=object)[:, None] == won_ind.fillna("").to_numpy(dtype=object)[None, :]
    known = ~(ind.isna().to_numpy()[:, None] | won_ind.isna().to_numpy()[None, :])
    same = np.logical_and(same, known)

    def numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
        values: np.ndarray = pd.to_numeric(frame[column], errors="coerce").to_numpy(float)
        return values

    value = _log_closeness(numbers(open_opps, "estimated_value")[:, None], numbers(won, "estimated_value")[None, :])
    employees = _log_closeness(numbers(open_opps, "numberofemployees")[:, None],
                               numbers(won, "numberofemployees")[None, :])
    scores: np.ndarray = (_WEIGHTS["industry"] * same.astype(float) + _WEIGHTS["value"] * value
                          + _WEIGHTS["employees"] * employees)
    return scores, same


@dataclass(frozen=True)
class _Activity:
    """Completed activities per opportunity: how many, and each won deal's times (the others are not listed)."""

    counts: Mapping[str, int]
    won_times: Mapping[str, pd.Series]

    def count(self, opp: str) -> int:
        return int(self.counts.get(opp, 0))


def _activity_times(frames: Frames, won_ids: Iterable[str]) -> _Activity:
    # Grouped once: looking each deal up in every activity made this producer quadratic at size M.
    acts = frames.get("activities", canonical.empty_frame("activities"))
    done = acts[acts["state_code"].eq(1).fillna(False).astype(bool) & acts["occurred_on"].notna()]
    regarding = done["regarding_id"].astype("string")
    counts = regarding.value_counts()
    won = done[regarding.isin(set(won_ids))]
    times = {str(k): g for k, g in won["occurred_on"].groupby(won["regarding_id"].astype("string"))}
    return _Activity({str(k): int(v) for k, v in counts.items()}, times)


_MAX_DAYS_LISTED = 200
"""Activity days kept per similar deal (its first ones: a seller compares the start of a deal)."""


def _activity_days(times: _Activity, opp: str, created: pd.Timestamp) -> list[int]:
    """Whole days from ``created`` to each of the won deal's completed activities, in order."""
    mine = times.won_times.get(opp, pd.Series([], dtype="datetime64[ns, UTC]"))
    if pd.isna(created):
        return []
    days = sorted(int(d) for d in ((mine - created).dt.total_seconds() // 86400).clip(lower=0))
    return days[:_MAX_DAYS_LISTED]


ROWS, WON_IDS = "rows", "won"
"""State: the rows of the last computation and the won deals in its look-back window."""


def _compute(frames: Frames, ctx: RunContext[SimilarDealsSettings]) -> Produced:
    s = ctx.settings
    now = pd.Timestamp(ctx.now)
    opps = _with_account(frames.get("opportunities", canonical.empty_frame("opportunities")),
                         frames.get("accounts", canonical.empty_frame("accounts")))
    won = opps[opps["state_code"].eq(WON).fillna(False).astype(bool) & opps["actual_close_date"].notna()
               & (opps["actual_close_date"] > now - pd.Timedelta(days=s.lookback_days)).fillna(False)]
    won = won.sort_values("opportunity_id", kind="stable").reset_index(drop=True)
    open_opps = opps[opps["state_code"].eq(OPEN).fillna(False).astype(bool)]
    won_ids = pd.DataFrame({"opportunity_id": won["opportunity_id"].astype(str)})
    held, held_won = ctx.state.get(ROWS), ctx.state.get(WON_IDS)
    # The rows hold no clock: they still hold while the deals, accounts and activities are unchanged and
    # no won deal entered or left the look-back window.
    if (not ctx.recompute_all and held is not None and held_won is not None
            and not ctx.changes.touched("opportunities", "accounts", "activities")
            and held_won["opportunity_id"].astype(str).tolist() == won_ids["opportunity_id"].tolist()):
        return Produced(frames={"osi_similardeal": held}, state={ROWS: held, WON_IDS: won_ids}, evaluated=0)
    times = _activity_times(frames, won_ids["opportunity_id"])
    open_opps = open_opps.sort_values("opportunity_id", kind="stable").reset_index(drop=True)
    rows = _similar_rows(open_opps, won, times, s) if not won.empty else []
    out = pd.DataFrame(rows, columns=["osi_key", "osi_name", "osi_opportunityid", "osi_similarid", "osi_rank",
                                      "osi_similarity", "osi_details"])
    return Produced(frames={"osi_similardeal": out}, state={ROWS: out, WON_IDS: won_ids}, evaluated=len(open_opps))


_BLOCK = 512
"""Open opportunities ranked at once: a block's closeness matrix is 512 × the won deals (a few MB at size M)."""


def _similar_rows(open_opps: pd.DataFrame, won: pd.DataFrame, times: _Activity,
                  s: SimilarDealsSettings) -> list[dict[str, Any]]:
    """The rows of every open opportunity's closest won deals (``won`` sorted by id, so a stable sort of the
    closeness breaks ties by id)."""
    won_facts = [_won_facts(w, times) for w in won.to_dict("records")]
    rows: list[dict[str, Any]] = []
    for start in range(0, len(open_opps), _BLOCK):
        block = open_opps.iloc[start:start + _BLOCK]
        scores, same = closeness(block, won)
        order = np.argsort(-scores, axis=1, kind="stable")[:, : s.top_n]
        for j, o in enumerate(block.to_dict("records")):
            chosen = [int(i) for i in order[j] if scores[j, i] >= s.min_similarity]
            rows.extend(_rows_of(o, [(i, float(scores[j, i]), bool(same[j, i])) for i in chosen], won_facts, times))
    return rows


def _won_facts(w: Mapping[str, Any], times: _Activity) -> dict[str, Any]:
    """What a seller compares with, of one won deal (the same in every row listing it)."""
    took = (w["actual_close_date"] - w["created_on"]).days if not pd.isna(w["created_on"]) else None
    return {"id": str(w["opportunity_id"]), "label": w["name"],
            "name": str(w["name"]) if isinstance(w["name"], str) else None,
            "estimated_value": None if pd.isna(w["estimated_value"]) else float(w["estimated_value"]),
            "industry": None if pd.isna(w["industrycode"]) else str(w["industrycode"]),
            "won_on": w["actual_close_date"].strftime("%Y-%m-%d"), "days_to_close": took,
            "activity_days": _activity_days(times, str(w["opportunity_id"]), w["created_on"]),
            "activities_total": times.count(str(w["opportunity_id"]))}


def _rows_of(o: Mapping[str, Any], chosen: list[tuple[int, float, bool]], won_facts: list[dict[str, Any]],
             times: _Activity) -> list[dict[str, Any]]:
    mine = times.count(str(o["opportunity_id"]))
    created = o["created_on"]
    rows = []
    for rank, (i, score, same_industry) in enumerate(chosen, start=1):
        w = won_facts[i]
        facts = {k: v for k, v in w.items() if k not in ("id", "label")}
        facts.update({"same_industry": same_industry, "this_activities": mine,
                      "this_created_on": None if pd.isna(created) else created.strftime("%Y-%m-%dT%H:%M:%SZ")})
        rows.append({"osi_key": f"{o['opportunity_id']}|{w['id']}",
                     "osi_name": f"{o['name']} ~ {w['label']}"[:200], "osi_opportunityid": str(o["opportunity_id"]),
                     "osi_similarid": w["id"], "osi_rank": rank, "osi_similarity": round(score, 4),
                     "osi_details": json.dumps(facts, sort_keys=True, ensure_ascii=False)})
    return rows


PRODUCER: Producer[Any] = Producer(
    name="similar_deals",
    description="Similar won deals: top_n won opportunities closest to each open one (industry, deal and account "
                "size), "
                "won in the last lookback_days, at least min_similarity (0-1).",
    settings=SimilarDealsSettings,
    outputs=(Output("osi_similardeal"),),
    compute=_compute,
)
