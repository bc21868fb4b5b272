"""Compare the insights on a demo organisation with the generator's truth file.

Usage: ``python benchmarks/demo_truth_eval.py [--home .osi/eval] [--size S] [--seed 7] [--parts ...]``

Seeds a fresh demo organisation (the truth sidecar is written next to it), extracts it through the
real client into canonical frames, computes the insights exactly as the sync does (as of the
generator's ``now``), and prints JSON:

- ``health``: AUC of contact health for warming/steady vs cooling/dead relationships, mean health
  and states per class; the states of open opportunities next to the states their latent win
  probability implies (against the fitted model's probability cut-offs) and of accounts; the models
  used; for opportunities closed in the last 90 days, AUC of health 30 days before the close for won
  vs lost next to the AUC of the raw activity count over the same window, and a benchmark-only bracket:
  the AUC a logistic regression on the generator's *exact* hidden engagement, responsiveness and
  velocity reaches on the same deals (fitted on the other closed deals). Activities are generated from
  these three alone, so no score built from activities can be expected above it; the states that
  bracket's probabilities give the open opportunities are printed too. ``done_when`` checks issue
  #18's demo bullets one by one (each with its figure and bound).
- ``lead_scoring`` (leads and opportunities, through the producer's own path: train, publish, score
  the open records): test AUC and readiness; Spearman rank correlation between the score of each
  open record and the generator's true propensity; reasons that contradict their evidence, show a
  raw column name or a sentinel number, or repeat within a record; grades; for opportunities, per
  current stage the true mean propensity, mean score and share graded D, and how many stages at or
  above the open pipeline's mean propensity have more than 60 % D; and a benchmark-only bracket, the
  rank correlation a model fitted to the generator's hidden propensity itself reaches from the same
  observable columns (what the data allows). For leads also the test AUC
  between two brackets on the same test leads (a logistic regression that knows the generator's
  formula but sees only what a seller sees, ``benchmarks/demo_reference_model.py``, and the latent
  propensity, a ceiling no model can reach), and the cold-start model with 10 + 10 leads (AUC on
  the other closed leads, width of its 10th–90th score percentiles, readiness).
- ``notes``: precision and recall of suggestion types against the intents the generator wrote.
- ``talking_points``: precision and recall of topics per inbound e-mail.
- ``who_knows_whom``: share of contacts whose top colleague is the truth's strongest relationship.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import spearmanr
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from threadpoolctl import threadpool_limits

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.demo_reference_model import reference_test_auc  # noqa: E402
from connector import schema  # noqa: E402
from connector.auth import StaticTokenCredential  # noqa: E402
from connector.dataverse.client import DataverseClient  # noqa: E402
from connector.insights.relationship import (  # noqa: E402
    RelationshipSettings,
    compute_relationships,
    relationship_insights,
)
from connector.insights.scoring import Columns, ScoringEstimator  # noqa: E402
from connector.insights.talking_points import analyze_text  # noqa: E402
from connector.pipeline.registry import produce  # noqa: E402
from connector.pipeline.scoring_data import ENTITIES, TIME, excluded, open_rows, training_rows  # noqa: E402
from connector.pipeline.scoring_producer import score_entity  # noqa: E402
from connector.provision import provision  # noqa: E402
from connector.sync.extract import extract  # noqa: E402
from connector.sync.snapshot import Snapshot  # noqa: E402
from emulator.seed import generate, write_truth  # noqa: E402
from emulator.server import Emulator  # noqa: E402

NOTE_TYPES = {"appointment": "Appointment", "phonecall": "Phone call", "task": "Task", "contact": "New contact",
              "content_request": "Content request", "issue": "Issue"}


def _auc(y: Any, s: Any) -> float | None:
    y, s = np.asarray(y), np.asarray(s, dtype=float)
    ok = ~np.isnan(s)
    y, s = y[ok], s[ok]
    return round(float(roc_auc_score(y, s)), 4) if len(set(y)) == 2 else None


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | None]:
    return {"precision": round(tp / (tp + fp), 3) if tp + fp else None,
            "recall": round(tp / (tp + fn), 3) if tp + fn else None, "support": tp + fn}


def _states(frame: pd.DataFrame) -> dict[str, float]:
    labels = frame["osi_healthstate"].map(lambda v: schema.HEALTH_STATE.label(int(v)) if pd.notna(v) else "none")
    return {k: round(float(v), 3) for k, v in labels.value_counts(normalize=True).sort_index().items()}


def _truth_states(opps: pd.DataFrame, truth: dict[str, Any], models: dict[str, Any]) -> dict[str, float] | None:
    """The states the truth implies for open opportunities: the latent win probability against the cut-offs."""
    model = models.get("opportunity")
    if model is None:
        return None
    # A hand-set model states no probabilities: the settings' (what a fitted model would be cut at).
    good = model.good_probability if model.good_probability is not None else RelationshipSettings().good_probability
    fair = model.fair_probability if model.fair_probability is not None else RelationshipSettings().fair_probability
    p = opps.index.to_series().map(lambda i: truth["opportunities"].get(i, {}).get("propensity"))
    p = pd.to_numeric(p, errors="coerce").dropna()
    bands = np.select([p >= good, p >= fair], ["Good", "Fair"], "Poor")
    return {k: round(float(v), 3) for k, v in pd.Series(bands).value_counts(normalize=True).sort_index().items()}


def health_eval(frames: dict[str, pd.DataFrame], truth: dict[str, Any], now: datetime) -> dict[str, Any]:
    result_now = relationship_insights(frames, now=now)
    contacts = result_now.tables["contact"]
    cls = pd.Series({k: v["relationship"] for k, v in truth["contacts"].items()})
    health = pd.to_numeric(contacts["osi_healthscore"], errors="coerce").reindex(cls.index)
    good = cls.isin(["warming", "steady"]).astype(int)
    open_opps = result_now.tables["opportunity"]
    open_ids = frames["opportunities"].loc[frames["opportunities"]["state_code"].fillna(0).eq(0), "opportunity_id"]
    open_opps = open_opps[open_opps.index.isin(open_ids)]
    result: dict[str, Any] = {
        "contacts_auc_warming_steady_vs_cooling_dead": _auc(good, health.fillna(0)),
        "mean_health_by_class": {c: round(float(health[cls == c].fillna(0).mean()), 1)
                                 for c in ("warming", "steady", "cooling", "dead")},
        "contact_states_by_class": {c: _states(contacts.reindex(cls.index[cls == c]))
                                    for c in ("warming", "steady", "cooling", "dead")},
        "open_opportunity_states": _states(open_opps),
        "open_opportunity_states_truth": _truth_states(open_opps, truth, result_now.models),
        "account_states": _states(result_now.tables["account"]),
        "models": {k: {"kind": m.kind, "note": m.note, "good_min": m.good_min, "fair_min": m.fair_min,
                       "held_out": m.metrics.get("held_out")} for k, m in result_now.models.items()},
    }
    opps = frames["opportunities"]
    recent = opps["actual_close_date"] > pd.Timestamp(now) - timedelta(days=90)
    closed = opps[opps["state_code"].isin([1, 2]) & recent]
    acts = frames["activities"]
    rows = []
    # One computation per week of "as of" dates keeps this to a handful of runs. The models are fitted once
    # per month (the product fits on the history before the first of the month, in which these deals were
    # still open, so reopening them changes nothing there).
    as_of = (closed["actual_close_date"] - pd.Timedelta(days=30)).dt.floor("7D")
    fitted: dict[tuple[int, int], Any] = {}
    for when, group in closed.groupby(as_of):
        frames_open = dict(frames)
        o = opps.copy()
        o.loc[o["opportunity_id"].isin(group["opportunity_id"]), "state_code"] = 0  # open as of that date
        frames_open["opportunities"] = o
        month = (when.year, when.month)
        if month not in fitted:
            fitted[month] = relationship_insights(frames_open, now=when.to_pydatetime()).models
        h = compute_relationships(frames_open, now=when.to_pydatetime(), models=fitted[month])["opportunity"][
            "osi_healthscore"]
        for _, opp in group.iterrows():
            window = acts[(acts["regarding_id"] == opp["opportunity_id"]) & (acts["occurred_on"] <= when)]
            rows.append({"won": int(opp["state_code"] == 1), "health": h.get(opp["opportunity_id"]),
                         "count": len(window)})
    df = pd.DataFrame(rows)
    result["opportunities_closed_90d"] = len(df)
    if not df.empty:
        health_before = pd.to_numeric(df["health"], errors="coerce").fillna(0)
        result["opportunity_health_30d_before_close_auc"] = _auc(df["won"], health_before)
        result["opportunity_activity_count_auc"] = _auc(df["won"], df["count"])
        ceiling, oracle_states = _activity_latent_bracket(opps, closed, truth, open_opps)
        result["opportunity_activity_latents_ceiling_auc"] = ceiling
        result["open_opportunity_states_activity_latents"] = oracle_states
    involved = set(frames["parties"]["party_id"].dropna().astype(str))
    result["done_when"] = _done_when(result, cls, contacts, involved)
    return result


LATENTS = ("engagement", "responsiveness", "velocity")
"""The opportunity latents the generator draws activities from (rate, replies, length of the deal)."""


def _activity_latent_bracket(opps: pd.DataFrame, window: pd.DataFrame, truth: dict[str, Any],
                             open_opps: pd.DataFrame) -> tuple[float | None, dict[str, float] | None]:
    """AUC on ``window`` of a logistic regression on the exact latents behind the activities, and its states.

    Fitted on the closed opportunities outside ``window``; benchmark-only (the product never sees latents).
    """
    t = pd.DataFrame.from_dict(truth["opportunities"], orient="index")
    if not set(LATENTS) <= set(t.columns):
        return None, None
    known = opps.loc[opps["state_code"].isin([1, 2]), ["opportunity_id", "state_code"]].set_index("opportunity_id")
    known = known.join(t[list(LATENTS)].astype(float), how="inner")
    test = known.index.isin(window["opportunity_id"])
    if test.all() or len(set(known.loc[~test, "state_code"])) < 2:
        return None, None
    x, won = known[list(LATENTS)], known["state_code"].eq(1)
    model = LogisticRegression(max_iter=1000).fit(x[~test], won[~test])
    auc = _auc(won[test].astype(int), model.predict_proba(x[test])[:, 1])
    live = t.reindex(open_opps.index)[list(LATENTS)].astype(float).dropna()
    if live.empty:
        return auc, None
    p = model.predict_proba(live)[:, 1]
    bands = pd.Series(np.select([p >= 0.7, p >= 0.4], ["Good", "Fair"], "Poor"))
    return auc, {k: round(float(v), 3) for k, v in bands.value_counts(normalize=True).sort_index().items()}


def _done_when(result: dict[str, Any], cls: pd.Series, contacts: pd.DataFrame, involved: set[str]
               ) -> dict[str, Any]:
    """Issue #18's demo bullets: each figure, its bound, whether it holds (``involved``: ids in any activity)."""
    out: dict[str, Any] = {}
    auc = result["contacts_auc_warming_steady_vs_cooling_dead"]
    out["contacts_auc_above_0.779"] = {"value": auc, "holds": auc is not None and auc > 0.779}
    opp = result.get("opportunity_health_30d_before_close_auc")
    out["opportunity_auc_at_least_0.70"] = {"value": opp, "holds": opp is not None and opp >= 0.70,
                                            "activity_latents_ceiling": result.get(
                                                "opportunity_activity_latents_ceiling_auc")}
    states = result["open_opportunity_states"]
    top = max(states, key=lambda k: (states[k], k)) if states else None
    allowed = {name: max(0.2, (result.get(source) or {}).get(top, 0.0))
               for name, source in (("truth", "open_opportunity_states_truth"),
                                    ("activity_latents", "open_opportunity_states_activity_latents"))}
    out["open_opportunities_at_most_20pct_per_state"] = {
        "largest_state": top, "share": states.get(top), "allowed_by_truth": allowed["truth"],
        "allowed_by_activity_latents": allowed["activity_latents"],
        "holds": top is not None and states[top] <= allowed["truth"]}
    dead = contacts.reindex(cls.index[cls == "dead"])
    state = dead["osi_healthstate"].map(lambda v: schema.HEALTH_STATE.label(int(v)) if pd.notna(v) else "none")
    unknown = state.eq("Not enough info")
    with_activity = dead.index.isin(involved)
    out["dead_relationships_poor"] = {
        "poor_share": round(float(state.eq("Poor").mean()), 3) if len(state) else None,
        "not_enough_info": int(unknown.sum()),
        "not_enough_info_with_any_activity": int((unknown & with_activity).sum()),
        "holds": bool(len(state)) and not bool(unknown.any())}
    return out


_RAW_NAME = re.compile(r"\b\w+_\w+\b")
_SENTINEL = re.compile(r"\b8,?760\b|\b365(\.0)? days\b|\b0\.\d{3,}")
"""Capped "never" values (8,760 hours, 365 days) and unrounded fractions ("below 0.983")."""


def _reason_checks(scores: pd.DataFrame) -> dict[str, int]:
    """Reasons that contradict their evidence, show a raw name or a sentinel, or repeat within a record."""
    out = {"reasons": 0, "with_evidence": 0, "contradict_evidence": 0, "raw_names": 0, "sentinels": 0,
           "duplicates": 0}
    for raw in scores["osi_scorereasons"]:
        payload = json.loads(raw)
        reasons = payload["positive"] + payload["negative"]
        texts = [r["text"] for r in reasons]
        out["duplicates"] += len(texts) - len(set(texts))
        for r in reasons:
            out["reasons"] += 1
            words = r["text"] + " " + r["evidence"]
            out["raw_names"] += bool(_RAW_NAME.search(words))
            out["sentinels"] += bool(_SENTINEL.search(words))
            f = r["facts"]
            if f.get("compare") is None:
                continue
            out["with_evidence"] += 1
            other = f["overall"] if f["compare"] == "overall" else f["reference_rate"]
            gap = round(100 * f["rate"]) - round(100 * other)
            out["contradict_evidence"] += gap == 0 or (gap > 0) != (r["impact"] > 0)
    return out


def _entity_eval(frames: dict[str, pd.DataFrame], truth: dict[str, Any], now: datetime,
                 spec: Any) -> dict[str, Any]:
    """The production path for one entity (train, publish, score open records) against the generator's truth."""
    out = score_entity(frames, spec, now=now, models=None)
    scores = out[spec.entity].set_index(spec.dataverse_id)
    model = json.loads(out["osi_scoringmodel"]["osi_metrics"].iloc[0])
    propensity = pd.Series({k: v["propensity"] for k, v in truth[spec.frame].items()})
    score = scores["osi_score"].astype(float)
    rho = spearmanr(score, propensity.reindex(score.index)).statistic
    grade = pd.Series([schema.GRADE.label(int(g)) for g in scores["osi_grade"]], index=scores.index)
    result = {"open": len(scores), "test_auc": model.get("auc"), "readiness": model.get("readiness"),
              "n_test": model.get("n_test"), "leaks": [x["feature"] for x in model.get("leaks", [])],
              "spearman_score_vs_true_propensity": round(float(rho), 4),
              "grades": {g: int((grade == g).sum()) for g in "ABCD"}, **_reason_checks(scores)}
    if spec.entity == "opportunity":
        opps = frames["opportunities"].set_index("opportunity_id")
        stage = opps["salesstage"].reindex(scores.index).astype("string")
        mean_p = float(propensity.reindex(scores.index).mean())
        per = {}
        for name, ids in stage.groupby(stage).groups.items():
            p = float(propensity.reindex(ids).mean())
            d_share = float((grade.reindex(ids) == "D").mean())
            per[str(name)] = {"open": len(ids), "true_mean_propensity": round(p, 3),
                              "mean_score": round(float(score.reindex(ids).mean()), 1), "share_D": round(d_share, 3)}
        result["by_stage"] = per
        result["open_mean_true_propensity"] = round(mean_p, 3)
        result["stages_at_or_above_mean_with_over_60pct_D"] = sum(
            v["true_mean_propensity"] >= mean_p and v["share_D"] > 0.6 for v in per.values())
    result["observable_ceiling_spearman"] = _observable_ceiling(frames, truth, now, spec)
    return result


def _observable_ceiling(frames: dict[str, pd.DataFrame], truth: dict[str, Any], now: datetime, spec: Any,
                        given: tuple[pd.DataFrame, pd.DataFrame] | None = None) -> float:
    """What the observable data allows: rank correlation on open records of a model fitted to the true logit.

    Benchmark-only bracket (it learns from the generator's hidden propensity, which no organisation has):
    gradient boosting regresses the true logit on the same featurised rows our model sees (closed rows
    as of their moments, open rows now), 5-fold cross-validated by record; its out-of-fold predictions for
    the open records, ranked against the truth, bound what any model of the observable columns can reach.
    ``given`` (closed rows without ``outcome``, open rows) replaces the production rows, so a candidate
    column set gets its own ceiling (``benchmarks/scoring_trace_probe.py``).
    """
    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.model_selection import GroupKFold, cross_val_predict

    from connector.insights.scoring.features import featurise
    from connector.insights.scoring.stages import MOMENT, STAGE_STARTED
    from connector.insights.scoring.train import prepare_features
    from connector.insights.scoring.trained import Preparation

    closed, opened = given or (training_rows(frames, spec).drop(columns=["outcome"]), open_rows(frames, spec, now))
    rows = pd.concat([closed, opened], ignore_index=True)
    prep = Preparation(spec.id_column, "created_on", MOMENT, (), (), STAGE_STARTED if spec.staged else None)
    full, features, _ = prepare_features(rows, prep, time_column=TIME, now=pd.Timestamp(now),
                                         drop=[c for c in excluded(()) if c in rows.columns], include=(),
                                         ignore_empty=())
    x = featurise(full, features)
    for col in features.categorical:
        x[col] = x[col].astype("category")
    p = rows[spec.id_column].map({k: v["propensity"] for k, v in truth[spec.frame].items()}).to_numpy(dtype=float)
    logit = np.log(np.clip(p, 1e-6, 1 - 1e-6) / np.clip(1 - p, 1e-6, 1))
    model = HistGradientBoostingRegressor(categorical_features="from_dtype", max_iter=200, learning_rate=0.05,
                                          random_state=0)
    with threadpool_limits(limits=1):  # OpenMP threads spinning on a busy host cost tenfold
        pred = cross_val_predict(model, x, logit, cv=GroupKFold(n_splits=5), groups=rows[spec.id_column].astype(str))
    is_open = np.arange(len(rows)) >= len(closed)
    return round(float(spearmanr(pred[is_open], p[is_open]).statistic), 4)


def scoring_eval(frames: dict[str, pd.DataFrame], truth: dict[str, Any], now: datetime) -> dict[str, Any]:
    with threadpool_limits(limits=1):
        result: dict[str, Any] = {spec.entity: _entity_eval(frames, truth, now, spec) for spec in ENTITIES}
        result["lead"].update(_lead_brackets(frames, truth, now))
    return result


def _lead_brackets(frames: dict[str, pd.DataFrame], truth: dict[str, Any], now: datetime) -> dict[str, Any]:
    """Lead test AUC between the generator-aware reference and the latent ceiling, and the 10 + 10 cold start."""
    spec = ENTITIES[0]
    closed = training_rows(frames, spec)
    ordered = closed.sort_values(TIME, kind="stable")
    test = ordered.iloc[int(len(ordered) * 0.8):]
    latent = test["lead_id"].map({k: v["propensity"] for k, v in truth["leads"].items()})
    result = {"closed_leads": len(closed),
              "generator_aware_reference_test_auc": reference_test_auc(closed.assign(_cutoff=closed[TIME])),
              "latent_propensity_test_auc": _auc(test["outcome"], latent)}
    cold, spread = [], []
    x_all = closed.drop(columns=["outcome"])
    for seed in range(5):
        rng = np.random.default_rng(seed)
        pos = closed[closed["outcome"] == 1].sample(10, random_state=int(rng.integers(1e9)))
        neg = closed[closed["outcome"] == 0].sample(10, random_state=int(rng.integers(1e9)))
        small = pd.concat([pos, neg])
        m = ScoringEstimator(entity="lead", columns=Columns(id="lead_id", created="created_on", closed="_cutoff"),
                             drop=tuple(excluded(())), refit=False).fit(
            small.drop(columns=["outcome"]), small["outcome"].to_numpy(), now=pd.Timestamp(now)).model_
        rest = x_all[~closed["lead_id"].isin(small["lead_id"])]
        p = m.predict(m.prepare(rest, now=pd.Timestamp(now)))
        cold.append(_auc(closed.loc[rest.index, "outcome"], p))
        spread.append(float(np.percentile(100 * p, 90) - np.percentile(100 * p, 10)))
        readiness = m.metrics["readiness"]
    result.update(cold_start_10_10_auc_mean=round(float(np.mean([c for c in cold if c is not None])), 4),
                  cold_start_score_p10_p90_width=round(float(np.mean(spread)), 1), cold_start_readiness=readiness,
                  cold_start_kind=m.kind)
    return result


def notes_eval(frames: dict[str, pd.DataFrame], truth: dict[str, Any], now: datetime) -> dict[str, Any]:
    users = frames["users"].copy()
    zones = {u: v["timezone"] for u, v in truth["sellers"].items()}
    users["timezone"] = users["user_id"].map(zones)
    got = produce("notes", {**frames, "users": users}, now=now).frames["osi_notesuggestion"]
    from zoneinfo import ZoneInfo

    got = got.assign(label=[schema.SUGGESTION_TYPE.label(int(v)) for v in got["osi_suggestiontype"]])
    found = got.groupby("osi_noteid")["label"].agg(Counter)
    # The n-th suggestion of a type (text order) is paired with the n-th truth intent of that type.
    rows = {k: g.sort_values("osi_spanstart") for k, g in got.groupby("osi_noteid")}
    per: dict[str, list[int]] = {t: [0, 0, 0] for t in NOTE_TYPES.values()}
    dates: dict[str, list[int]] = {t: [0, 0, 0] for t in NOTE_TYPES.values()}  # paired, exact, same local day
    for note_id, note in truth["notes"].items():
        want = Counter(NOTE_TYPES[i["type"]] for i in note["intents"])
        have = found.get(note_id, Counter())
        for t in per:
            tp = min(want[t], have[t])
            per[t][0] += tp
            per[t][1] += have[t] - tp
            per[t][2] += want[t] - tp
            if not tp:
                continue
            ours = rows[note_id][rows[note_id]["label"] == t]
            theirs = [i for i in note["intents"] if NOTE_TYPES[i["type"]] == t]
            zone = ZoneInfo(note["timezone"])
            for (_, row), intent in zip(ours.iterrows(), theirs, strict=False):
                label = intent.get("start") or intent.get("due")
                if not label:
                    continue
                value = row["osi_due"] if t in ("Task", "Content request") else row["osi_start"]
                expected = pd.Timestamp(label)
                dates[t][0] += 1
                if pd.notna(value):
                    dates[t][1] += pd.Timestamp(value) == expected
                    dates[t][2] += pd.Timestamp(value).tz_convert(zone).date() == expected.tz_convert(zone).date()
    return {t: {**_prf(*v), "dated": dates[t][0],
                "datetime_exact": round(dates[t][1] / dates[t][0], 3) if dates[t][0] else None,
                "same_local_day": round(dates[t][2] / dates[t][0], 3) if dates[t][0] else None}
            for t, v in per.items()}


def talking_points_eval(frames: dict[str, pd.DataFrame], truth: dict[str, Any]) -> dict[str, Any]:
    acts = frames["activities"].set_index("activity_id")
    topics = {k: set(v) for k, v in truth["email_topics"].items()}
    ids = list(topics) + [t for t in truth["email_traps"] if t not in topics]
    per: dict[str, list[int]] = {}
    for email_id in ids:
        if email_id not in acts.index:
            continue
        found = {p.topic for p in analyze_text(acts.at[email_id, "description"])}
        want = topics.get(email_id, set())
        for t in found | want:
            c = per.setdefault(t, [0, 0, 0])
            c[0] += t in found and t in want
            c[1] += t in found and t not in want
            c[2] += t in want and t not in found
    total = [sum(v[i] for v in per.values()) for i in range(3)]
    return {"all": _prf(*total), **{t: _prf(*v) for t, v in sorted(per.items())}}


def wkw_eval(frames: dict[str, pd.DataFrame], truth: dict[str, Any], now: datetime) -> dict[str, Any]:
    rows = produce("who_knows_whom", frames, now=now).frames["osi_connection"]
    top = rows[rows["osi_rank"] == 1].set_index("osi_personid")["osi_userid"]
    want = {k: v["strongest_user"] for k, v in truth["contacts"].items() if v.get("strongest_user")}
    scored = [c for c in want if c in top.index]
    hits = sum(top[c] == want[c] for c in scored)
    return {"contacts_with_truth": len(want), "contacts_with_a_connection": len(scored),
            "top_colleague_matches_truth": round(hits / len(scored), 3) if scored else None}


PARTS = {
    "health": health_eval,
    "lead_scoring": scoring_eval,
    "notes": notes_eval,
    "talking_points": lambda frames, truth, now: talking_points_eval(frames, truth),
    "who_knows_whom": wkw_eval,
}


def seeded_frames(home: Path, size: str, seed: int, now: datetime) -> tuple[dict[str, pd.DataFrame], dict[str, Any]]:
    """A demo organisation seeded at ``now`` (database and truth under ``home``), extracted through the real
    client from the emulator into canonical frames; and the generator's truth."""
    from connector.sync.streams import REFERENCE_STREAMS, STAGE_STREAMS, STREAMS

    org = generate(size, seed=seed, now=now)
    truth = json.loads(write_truth(org, home / "org.db").read_text())
    with Emulator(home / "org.db", token="t") as em:
        em.store.load_org(org)
        client = DataverseClient(em.url, StaticTokenCredential("t"))
        provision(client)
        snap = Snapshot()
        extract(client, snap, streams=STREAMS + REFERENCE_STREAMS + STAGE_STREAMS)
    return snap.frames, truth


def main() -> None:
    """Seed, extract, compute, compare; print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", default=".osi/eval")
    parser.add_argument("--size", default="S")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--now", default="2026-11-02T09:00:00+00:00")
    parser.add_argument("--parts", nargs="+", choices=sorted(PARTS), default=sorted(PARTS),
                        help="which comparisons to run (default: all)")
    args = parser.parse_args()
    home = Path(args.home)
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    now = datetime.fromisoformat(args.now)
    frames, truth = seeded_frames(home, args.size, args.seed, now)
    report: dict[str, Any] = {"size": args.size, "seed": args.seed}
    for part in args.parts:
        report[part] = PARTS[part](frames, truth, now)
    print(json.dumps(report, indent=1, sort_keys=True, default=str))


if __name__ == "__main__":
    main()
