"""The one entry point: :func:`compute_relationships` (canonical frames in, one frame per record type out)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from connector import canonical, schema
from connector.errors import InsightError
from connector.insights.relationship import explain, health, history
from connector.insights.relationship.facts import (
    INTERNAL_ROLES,
    activity_facts,
    conform_all,
    qualifying,
    resolve_parties,
)
from connector.insights.relationship.kpis import Linked, build_linked, last_next, window_kpis
from connector.insights.relationship.linking import RECORD_TYPES, link_activities, record_key
from connector.insights.relationship.settings import RelationshipSettings
from connector.insights.relationship.threads import assign_threads

_DTYPES = {"integer": "Int64", "picklist": "Int64", "decimal": "Float64", "datetime": canonical.UTC_DT,
           "string": "string", "memo": "string"}
THREAD_COLUMNS = ["thread", "turn", "turn_time", "answered_at", "thread_side", "thread_time", "first_other_at",
                  "opener"]


def _utc(now: object) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(now)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise InsightError("relationship analytics: `now` is not a valid time") from exc
    if pd.isna(ts):
        raise InsightError("relationship analytics: `now` is not a valid time")
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def empty_output(record_type: str) -> pd.DataFrame:
    """An output frame with no rows: the ``osi_`` relationship columns, indexed by the record id."""
    key = RECORD_TYPES[record_type][1]
    frame = pd.DataFrame({c.logical_name: pd.Series(dtype=_DTYPES[c.kind]) for c in schema.RELATIONSHIP_COLUMNS})
    frame.index = pd.Index([], dtype="string", name=key)
    return frame


def _records(f: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Every record, indexed by record key: record_type, record_id (code), stage, closed, created_on."""
    parts = []
    for rtype, (frame, key) in RECORD_TYPES.items():
        df = f[frame]
        df = df[df[key].notna()].drop_duplicates(key)
        closed = df["state_code"].fillna(0).ne(0) if rtype in ("lead", "opportunity") else False
        stage = (df["sales_stage"].astype(float).clip(0, 3) / 3).fillna(0.0) if rtype == "opportunity" else np.nan
        parts.append(pd.DataFrame({"rec": record_key(rtype, df[key].astype("int64")),
                                   "record_type": pd.Categorical([rtype] * len(df), categories=list(RECORD_TYPES)),
                                   "record_id": df[key].astype("int64").to_numpy(), "stage": stage,
                                   "closed": closed, "created_on": df["created_on"]}))
    out = pd.concat(parts, ignore_index=True)
    out["closed"] = out["closed"].astype(bool)
    return out.set_index("rec")


def _linked(f: Mapping[str, pd.DataFrame], s: RelationshipSettings) -> Linked:
    parties = resolve_parties(f)
    facts = activity_facts(f, parties, s)
    mail = facts[facts["activity_type"].eq("email") & facts["done"] & ~facts["internal_only"]
                 & facts["when"].notna()]
    threaded = assign_threads(mail)[["activity_id", *THREAD_COLUMNS]]
    text = ["subject", "parent_activity_id", "message_id", "in_reply_to", "conversation_id", "counterpart"]
    facts = facts.drop(columns=text).merge(threaded, on="activity_id", how="left")
    facts["opener"] = facts["opener"].astype("boolean").fillna(False).astype(bool)
    links = link_activities(f, parties)
    people = qualifying(parties, f["activities"], INTERNAL_ROLES)
    return build_linked(links, facts, people)


def _meta(lk: Linked, records: pd.DataFrame, t: pd.Timestamp) -> pd.DataFrame:
    done = lk.acts[lk.acts["done"] & (lk.acts["when"] <= t).fillna(False)]
    last = done.groupby("rec")["when"].max()
    return records.assign(last_activity=last.reindex(records.index))


def _previous_trend(previous: Mapping[str, pd.DataFrame] | None, vocab: pd.Index,
                    records: pd.Index) -> pd.Series:
    """Last run's trend per record (records unknown to this run are dropped)."""
    out = pd.Series(pd.NA, index=records, dtype="Int64")
    for rtype, frame in (previous or {}).items():
        if rtype in RECORD_TYPES and "osi_healthtrend" in frame.columns:
            codes = vocab.get_indexer(frame.index.astype(str).to_numpy(dtype=object))
            prev = pd.Series(frame["osi_healthtrend"].to_numpy(), index=record_key(rtype, codes))
            prev = prev[(codes >= 0) & ~prev.index.duplicated()]
            hit = records.isin(prev.index)
            out[hit] = prev.reindex(records[hit]).to_numpy()
    return out


def compute_relationships(frames: Mapping[str, pd.DataFrame], *, now: object,
                          settings: RelationshipSettings | None = None,
                          previous: Mapping[str, pd.DataFrame] | None = None) -> dict[str, pd.DataFrame]:
    """Relationship KPIs, health, trend and analytics of every contact, account, lead and opportunity.

    Args:
        frames: the canonical frames (``users, accounts, contacts, leads, opportunities, activities,
            parties``); missing ones count as empty.
        now: the time the insights are computed as of (naive means UTC).
        settings: administrator settings (defaults when ``None``).
        previous: the last run's outputs (same shape as the result), used for the trend's hysteresis.

    Returns:
        ``{"contact": df, "account": df, "lead": df, "opportunity": df}``: one row per record, indexed by
        its id, with the ``osi_`` relationship columns of :data:`connector.schema.RELATIONSHIP_COLUMNS`.
        Empty frames when the settings turn the feature off.

    Raises:
        InsightError: ``now`` is not a time.
    """
    s = settings or RelationshipSettings()
    now = _utc(now)
    if not s.enabled:
        return {t: empty_output(t) for t in RECORD_TYPES}
    f, words = conform_all(frames)
    vocab = pd.Index(words)
    lk = _linked(f, s)
    records = _records(f)
    year = pd.Timedelta(days=365)
    current = window_kpis(lk, now - year, now, s).reindex(records.index)
    prior = window_kpis(lk, now - 2 * year, now - year, s).reindex(records.index)
    for frame in (current, prior):
        counts = [c for c in frame.columns if not c.startswith(("osi_responsehours", "osi_responserate"))]
        frame[counts] = frame[counts].fillna(0)
    past = now - pd.Timedelta(days=s.trend_days)
    comp_now = health.components(lk, records, now, s)
    comp_past = health.components(lk, records, past, s)
    state_now = health.state(comp_now, _meta(lk, records, now), now, s)
    state_past = health.state(comp_past, _meta(lk, records, past), past, s)
    trend = health.trend(comp_now["score"], state_now, comp_past["score"], state_past,
                         _previous_trend(previous, vocab, records.index), s)
    graded = state_now.isin([health.STATE[g] for g in ("Good", "Fair", "Poor")])
    labels = state_now.map(schema.HEALTH_STATE.label)
    out = current.join(last_next(lk, now).reindex(records.index))
    out["osi_lastactivityid"] = _decode(out["osi_lastactivityid"], words)
    out["osi_nextactivityid"] = _decode(out["osi_nextactivityid"], words)
    out["osi_healthscore"] = comp_now["score"].round().where(graded)
    out["osi_healthstate"] = state_now
    out["osi_healthtrend"] = trend
    out["osi_healthreasons"] = explain.reasons_json(comp_now, labels, s, now)
    names = _names(f)
    out["osi_analytics"] = history.analytics_json(
        records.index, now, s.timezone, history.daily(lk, now, s.history_days, s.timezone),
        history.kpi_dict(current), history.kpi_dict(prior), history.most_contacted(lk, now, names, words))
    out["osi_insightscomputedon"] = now
    out.index = pd.Index(records["record_id"].to_numpy())
    types = records["record_type"].to_numpy()
    return {rtype: _shape(out[types == rtype], rtype, words) for rtype in RECORD_TYPES}


def _decode(codes: pd.Series, words: np.ndarray) -> pd.Series:
    """Integer codes back to the ids they stand for (NA stays NA)."""
    known = codes.notna().to_numpy()
    out = np.full(len(codes), None, dtype=object)
    out[known] = words[codes[known].astype("int64").to_numpy()]
    return pd.Series(out, index=codes.index, dtype="string")


def _names(f: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    parts = [f["users"].set_index("user_id")["fullname"], f["contacts"].set_index("contact_id")["fullname"],
             f["leads"].set_index("lead_id")["fullname"], f["accounts"].set_index("account_id")["name"]]
    names = pd.concat(parts).dropna()
    return names[~names.index.duplicated()].to_dict()


def _shape(frame: pd.DataFrame, rtype: str, words: np.ndarray) -> pd.DataFrame:
    ids = _decode(pd.Series(frame.index, dtype="Int64"), words)
    out = empty_output(rtype).reindex(pd.Index(ids.to_numpy(), dtype="string"))
    for col in schema.RELATIONSHIP_COLUMNS:
        name = col.logical_name
        values = frame[name] if name in frame.columns else pd.Series(pd.NA, index=frame.index)
        if col.kind == "datetime":
            out[name] = pd.to_datetime(values, utc=True).astype(canonical.UTC_DT).to_numpy()
        else:
            out[name] = pd.array(values.to_numpy(), dtype=_DTYPES[col.kind]) if len(values) else out[name]
    out.index.name = RECORD_TYPES[rtype][1]
    return out


def first_responses(frames: Mapping[str, pd.DataFrame], *, now: object,
                    settings: RelationshipSettings | None = None) -> pd.DataFrame:
    """Every e-mail turn of the year before ``now`` with the first response to it, for evaluations.

    Returns:
        one row per turn: ``side`` (team | customer: who wrote it), ``hours`` (to the first answer from the
        other side; NaN when unanswered by ``now``) and ``counted`` (answered, or an unanswered thread
        opener past the grace period: the turns a response rate counts).
    """
    s = settings or RelationshipSettings()
    now = _utc(now)
    f, _words = conform_all(frames)
    lk = _linked(f, s)
    t = lk.turns.drop_duplicates("turn")
    t = t[(t["turn_time"] > now - pd.Timedelta(days=365)) & (t["turn_time"] <= now)]
    answered = (t["answered_at"] <= now).fillna(False).astype(bool)
    hours = ((t["answered_at"] - t["turn_time"]).dt.total_seconds() / 3600).where(answered)
    counted = answered | (t["opener"].astype(bool) & ((now - t["turn_time"]) > pd.Timedelta(
        hours=s.response_grace_hours)))
    return pd.DataFrame({"side": t["side"].to_numpy(), "hours": hours.to_numpy(), "counted": counted.to_numpy()})
