"""Relationship health: components, score 0–100, state and trend (spec §1.3 step 4, §9 item 6).

Every component is a number in [0, 1], computed as of a time ``t`` from activities completed by ``t``
in the health window ``(t − window, t]``:

- recency: days since the last *two-way* touchpoint (an e-mail from the customer, a meeting a customer
  attended, a call) against the expected rhythm ``f``: 1 within ``f`` days, then ``exp(−(Δ − f)/τ)``
  with ``τ = decay_factor · f``. Our own e-mails do not count: writing to a silent customer is not
  contact.
- frequency: two-way touchpoints weighted by type (1 ± influence) and decayed by ``exp(−age/τ)``,
  as a ratio ``r`` to the same sum for one touchpoint every ``f`` days; ``1 − 2^(−2r)``: 0.75 on
  rhythm, 0.94 at twice the rhythm.
- reciprocity: share of interactions (threads, meetings, calls) in which the customer took an active
  part: started it, or answered our thread. ``active/(interactions + 1)``: credit grows with evidence,
  one data point does not make it 1. The customer-initiated share is part of the numerator and is
  shown in the explanation.
- responsiveness: each side's turns score 1 when answered within ``response_target_hours``,
  ``target/h`` when answered after ``h`` hours, 0 when a thread opener is still unanswered after the
  grace period; ``Σ/(n + 1)`` per side (0 without turns), averaged over the two sides.
- breadth: distinct people actively engaged (customer senders and attendees, our recipients of their
  e-mails, attendees and callers) against ``breadth_target``.
- stage (opportunities only): sales stage / 3.

These choices make two properties hold (see the property tests): adding recent two-way engagement
answered within the target time never lowers the score, and adding an unanswered outbound e-mail never
raises it.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from connector import schema
from connector.insights.relationship.facts import CC, FROM, OPTIONAL, ORGANIZER, REQUIRED, TO
from connector.insights.relationship.kpis import KEY, Linked
from connector.insights.relationship.settings import RelationshipSettings

COMPONENTS = ("recency", "frequency", "responsiveness", "reciprocity", "breadth", "stage")
STATE = {label: schema.HEALTH_STATE.value(label) for _v, label, _fr in schema.HEALTH_STATE.options}
TREND = {label: schema.TREND.value(label) for _v, label, _fr in schema.TREND.options}


def _group(df: pd.DataFrame, values: pd.Series, how: str) -> pd.Series:
    return values.groupby(df["rec"].to_numpy()).agg(how)


def _in(times: pd.Series, start: pd.Timestamp, end: pd.Timestamp) -> pd.Series:
    return ((times > start) & (times <= end)).fillna(False).astype(bool)


def components(lk: Linked, records: pd.DataFrame, t: pd.Timestamp, s: RelationshipSettings) -> pd.DataFrame:
    """Health components and their evidence as of ``t`` for every record.

    Args:
        lk: the linked data (:func:`kpis.build_linked`).
        records: indexed by record key, with ``stage`` (0–1, NA when not an opportunity).
        t: the time the health is computed as of.
        s: settings.

    Returns:
        ``records``' index with one column per component (0–1), ``score`` (0–100 float) and the evidence
        the explanation quotes (``days_since``, ``touchpoints``, ``expected``, ``interactions``, ``active``,
        ``customer_started``, ``customer_hours``, ``team_hours``, ``unanswered_tail``, ``people_customer``,
        ``people_team``, ``n_activities``).
    """
    idx = records.index
    f, tau = s.frequency_days, s.tau_days
    start = t - pd.Timedelta(days=s.health_window_days)
    a = lk.acts[lk.acts["done"] & (lk.acts["when"] <= t).fillna(False)]
    out = pd.DataFrame(index=idx)
    counted = a["activity_type"].isin(["email", "appointment", "phonecall"]) & _in(a["when"], start, t)
    out["n_activities"] = _group(a, counted.astype(int), "sum")

    tw = a[a["two_way"]]
    age_days = (t - tw["when"]).dt.total_seconds() / 86400
    out["days_since"] = _group(tw, age_days, "min")
    out["recency"] = np.exp(-np.clip(out["days_since"] - f, 0, None) / tau).fillna(0.0)

    recent = _in(tw["when"], start, t)
    type_weights = {t: s.type_weight(t) for t in ("email", "appointment", "phonecall", "task")}
    weight = tw["activity_type"].map(type_weights).astype(float) * np.exp(-age_days / tau)
    out["touchpoints"] = _group(tw, recent.astype(int), "sum")
    steps = np.arange(0, s.health_window_days, f)
    out["expected"] = len(steps)
    raw = _group(tw, weight.where(recent, 0.0), "sum")
    # 0.75 at the expected rhythm, approaching 1 above it: busier relationships still rank higher.
    out["frequency"] = 1 - np.exp2(-2 * raw / np.exp(-steps / tau).sum())

    th = lk.threads[_in(lk.threads["thread_time"], start, t)]
    cust_started = th["thread_side"].eq("customer")
    answered_ours = th["thread_side"].eq("team") & (th["first_other_at"] <= t).fillna(False)
    meet = tw[recent & tw["activity_type"].isin(["appointment", "phonecall"])]
    out["interactions"] = _group(th, pd.Series(1, index=th.index), "sum").add(
        _group(meet, pd.Series(1, index=meet.index), "sum"), fill_value=0)
    out["active"] = _group(th, (cust_started | answered_ours).astype(int), "sum").add(
        _group(meet, pd.Series(1, index=meet.index), "sum"), fill_value=0)
    out["customer_started"] = _group(th, cust_started.astype(int), "sum").add(
        _group(meet, meet["side"].eq("customer").astype(int), "sum"), fill_value=0)
    out[["interactions", "active", "customer_started"]] = out[["interactions", "active", "customer_started"]].fillna(0)
    out["reciprocity"] = out["active"] / (out["interactions"] + 1)

    sides = []
    for side, who in (("team", "customer"), ("customer", "team")):
        score, hours = _responsiveness(lk.turns, side, start, t, s)
        out[f"{who}_hours"] = hours
        sides.append(score.reindex(idx).fillna(0.0))
    out["responsiveness"] = (sides[0] + sides[1]) / 2
    out["unanswered_tail"] = _unanswered_tail(a, t, s)

    ppl = lk.people[lk.people["two_way"] & lk.people["done"] & _in(lk.people["when"], start, t)]
    role, typ, internal = ppl["participation"], ppl["activity_type"], ppl["internal"]
    engaged = ((typ.eq("email") & ((role.eq(FROM) & ~internal) | (role.isin([TO, CC]) & internal)))
               | (typ.eq("appointment") & role.isin([REQUIRED, OPTIONAL, ORGANIZER]))
               | (typ.eq("phonecall") & role.isin([FROM, TO])))
    ppl = ppl[engaged].drop_duplicates([*KEY, "person"])
    out["people_customer"] = _group(ppl, (~ppl["internal"]).astype(int), "sum")
    out["people_team"] = _group(ppl, ppl["internal"].astype(int), "sum")
    evidence = ["n_activities", "touchpoints", "frequency", "unanswered_tail", "people_customer", "people_team"]
    out[evidence] = out[evidence].fillna(0)
    out["breadth"] = ((out["people_customer"] + out["people_team"]) / s.breadth_target).clip(upper=1.0)
    out["stage"] = records["stage"].astype(float)
    out["score"] = blend(out, s)
    return out


def weights(s: RelationshipSettings, with_stage: pd.Series) -> pd.DataFrame:
    """Normalised component weights per record (the stage weight only where a stage applies)."""
    w = pd.DataFrame({c: float(getattr(s, f"weight_{c}")) for c in COMPONENTS}, index=with_stage.index)
    w.loc[~with_stage, "stage"] = 0.0
    return w.div(w.sum(axis=1), axis=0)


def blend(comp: pd.DataFrame, s: RelationshipSettings) -> pd.Series:
    """Score 0–100: the weighted mean of the components."""
    w = weights(s, comp["stage"].notna())
    return 100 * (w * comp[list(COMPONENTS)].fillna(0.0)).sum(axis=1)


def _responsiveness(turns: pd.DataFrame, side: str, start: pd.Timestamp, t: pd.Timestamp,
                    s: RelationshipSettings) -> tuple[pd.Series, pd.Series]:
    """Per record: how promptly ``side``'s turns were answered (score, median hours of the answers)."""
    tt = turns[turns["side"].eq(side) & _in(turns["turn_time"], start, t)]
    answered = (tt["answered_at"] <= t).fillna(False).astype(bool)
    hours = (tt["answered_at"] - tt["turn_time"]).dt.total_seconds() / 3600
    q = np.where(hours <= s.response_target_hours, 1.0, s.response_target_hours / hours.clip(lower=1e-9))
    q = pd.Series(np.where(answered, q, 0.0), index=tt.index)
    counts = answered | (tt["opener"].astype(bool) & ((t - tt["turn_time"]) > pd.Timedelta(
        hours=s.response_grace_hours)))
    total = _group(tt, counts.astype(int), "sum")
    score = _group(tt, q.where(counts, 0.0), "sum") / (total + 1)
    return score, _group(tt, hours.where(answered), "median")


def _unanswered_tail(a: pd.DataFrame, t: pd.Timestamp, s: RelationshipSettings) -> pd.Series:
    """Per record: our e-mails sent after the customer's last e-mail and older than the grace period."""
    mail = a[a["activity_type"].eq("email")]
    last_in = _group(mail, mail["when"].where(mail["side"].eq("customer")), "max")
    ours = mail[mail["side"].eq("team")]
    after = ours.join(last_in.rename("last_in"), on=KEY)
    late = (after["when"] > after["last_in"]).fillna(True) & ((t - after["when"]) > pd.Timedelta(
        hours=s.response_grace_hours))
    return _group(after, late.astype(int), "sum")


def grade(score: pd.Series, s: RelationshipSettings) -> pd.Series:
    """Good / Fair / Poor option value of each score."""
    return pd.Series(np.select([score >= s.good_min, score >= s.fair_min], [STATE["Good"], STATE["Fair"]],
                               STATE["Poor"]), index=score.index)


def state(comp: pd.DataFrame, meta: pd.DataFrame, t: pd.Timestamp, s: RelationshipSettings) -> pd.Series:
    """Health state as of ``t``: Not applicable, Older than two years, Not enough info, or the grade.

    ``meta`` has per record ``closed`` (a lead or opportunity no longer open), ``created_on`` and
    ``last_activity`` (last completed linked activity).
    """
    limit = t - pd.Timedelta(days=s.max_record_age_days)
    owned = meta["record_type"].isin(["lead", "opportunity"]).to_numpy()
    old = np.where(owned, (meta["created_on"] < limit).fillna(False),
                   (meta["last_activity"].fillna(meta["created_on"]) < limit).fillna(False))
    few = comp["n_activities"] < s.min_activities
    return pd.Series(np.select(
        [meta["closed"].to_numpy(), old, few.to_numpy()],
        [STATE["Not applicable"], STATE["Older than two years"], STATE["Not enough info"]],
        grade(comp["score"], s).to_numpy()), index=comp.index)


def trend(now_score: pd.Series, now_state: pd.Series, past_score: pd.Series, past_state: pd.Series,
          previous: pd.Series, s: RelationshipSettings) -> pd.Series:
    """Trend option values: the score now against the score ``trend_days`` earlier, with a dead-band.

    A change smaller than ``trend_dead_band`` is Steady, unless the last run's trend was already
    Improving (Declining) and the change is at least half the band in that direction: the hysteresis
    keeps the trend from flickering. Not applicable when the state is; Not enough info when either
    score is not graded.
    """
    graded = {STATE["Good"], STATE["Fair"], STATE["Poor"]}
    delta = now_score - past_score
    band = s.trend_dead_band
    prev = previous.reindex(now_score.index)
    keep_up = prev.eq(TREND["Improving"]).fillna(False) & (delta >= band / 2)
    keep_down = prev.eq(TREND["Declining"]).fillna(False) & (delta <= -band / 2)
    values = np.select(
        [now_state.eq(STATE["Not applicable"]) | now_state.eq(STATE["Older than two years"]),
         ~now_state.isin(graded) | ~past_state.isin(graded),
         (delta >= band) | keep_up, (delta <= -band) | keep_down],
        [TREND["Not applicable"], TREND["Not enough info"], TREND["Improving"], TREND["Declining"]],
        TREND["Steady"])
    return pd.Series(values, index=now_score.index)
