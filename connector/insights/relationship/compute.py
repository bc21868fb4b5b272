"""The entry points: :func:`relationship_insights` and :func:`compute_relationships` (frames in, frames out)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from connector import canonical, schema
from connector.errors import InsightError
from connector.insights.relationship import explain, health, history
from connector.insights.relationship.clock import day_of, local_days, month_start, week_start
from connector.insights.relationship.facts import (
    INTERNAL_ROLES,
    activity_facts,
    conform_all,
    qualifying,
    resolve_parties,
)
from connector.insights.relationship.fit import end_of, fit_models
from connector.insights.relationship.indicators import indicators
from connector.insights.relationship.kpis import Linked, build_linked, last_next, window_kpis
from connector.insights.relationship.linking import RECORD_TYPES, link_activities, record_key
from connector.insights.relationship.model import HealthModel
from connector.insights.relationship.records import decode, members, previous_trend, records_frame
from connector.insights.relationship.registry import fit_period
from connector.insights.relationship.settings import RelationshipSettings
from connector.insights.relationship.signals import signals
from connector.insights.relationship.threads import assign_threads
from connector.insights.relationship.validity import valid_until

_DTYPES = {"integer": "Int64", "picklist": "Int64", "decimal": "Float64", "datetime": canonical.UTC_DT,
           "string": "string", "memo": "string"}
THREAD_COLUMNS = ["thread", "turn", "turn_time", "answered_at", "thread_side", "thread_time", "first_other_at",
                  "opener"]


@dataclass(frozen=True)
class RelationshipResult:
    """What one computation produces.

    Attributes:
        tables: record type → the ``osi_`` relationship columns, one row per record, indexed by its id.
        valid_until: record type → per record id, the UTC instant before which none of its stored values
            can change without new data (NaT: not until the data changes); see :mod:`.validity`.
        models: record type → the health model used (fitted, default or fixed): what the model registry
            stores (:meth:`HealthModel.to_dict`).
        links: one row per (activity, record computed) it counts for: ``activity_id, record_type,
            record_id``; what a later run needs to know which records an activity deleted or moved
            away from was counted for.
    """

    tables: dict[str, pd.DataFrame]
    valid_until: dict[str, pd.Series]
    models: dict[str, HealthModel]
    links: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["activity_id", "record_type",
                                                                              "record_id"]))


def _utc(now: object) -> pd.Timestamp:
    try:
        ts = pd.Timestamp(now)
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
    return build_linked(links, facts, people, s.timezone)


def _only(lk: Linked, keys: np.ndarray) -> Linked:
    """The linked data of the records ``keys`` only."""
    def keep(df: pd.DataFrame) -> pd.DataFrame:
        return df[df["rec"].isin(keys)].reset_index(drop=True)
    return Linked(keep(lk.acts), keep(lk.turns), keep(lk.threads), keep(lk.people))


def _keys(only: Mapping[str, Iterable[str]], vocab: pd.Index, lk: Linked,
          touched_activities: Iterable[str] | None) -> np.ndarray:
    """The record keys named in ``only`` and those linked to ``touched_activities``."""
    parts = [np.zeros(0, dtype=np.int64)]
    for rtype, ids in only.items():
        if rtype not in RECORD_TYPES:
            raise InsightError(f"relationship analytics: unknown record type {rtype!r:.30} in `only`")
        codes = vocab.get_indexer(pd.Index([str(i) for i in ids], dtype=object))
        parts.append(record_key(rtype, codes[codes >= 0]))
    if touched_activities is not None:
        codes = vocab.get_indexer(pd.Index([str(i) for i in touched_activities], dtype=object))
        parts.append(lk.acts.loc[lk.acts["activity_id"].isin(codes[codes >= 0]), "rec"].to_numpy(dtype=np.int64))
    return np.unique(np.concatenate(parts))


def relationship_insights(frames: Mapping[str, pd.DataFrame], *, now: object,
                          settings: RelationshipSettings | None = None,
                          previous: Mapping[str, pd.DataFrame] | None = None,
                          models: Mapping[str, HealthModel] | None = None,
                          only: Mapping[str, Iterable[str]] | None = None,
                          touched_activities: Iterable[str] | None = None) -> RelationshipResult:
    """Relationship KPIs, health, trend and analytics of every contact, account, lead and opportunity.

    Args:
        frames: the canonical frames (``users, accounts, contacts, leads, opportunities, activities,
            parties``); missing ones count as empty.
        now: the time the insights are computed as of (naive means UTC).
        settings: administrator settings (defaults when ``None``).
        previous: the last run's outputs (same shape as the tables), used for the trend's hysteresis.
        models: the health models to use, per record type (from the registry). ``None``, a missing type
            or a model made for other settings: fitted here on the history before the first day of the
            current month (:mod:`.fit`), so every run of a month fits the same one.
        only: record type → ids: compute these records only (the others are left out of the result);
            the models are still fitted on everything when they have to be.
        touched_activities: activity ids created or changed since the last run: the records they are
            linked to are computed too (with ``only``, or alone when ``only`` is ``None``).

    Returns:
        the tables, each record's ``valid_until`` and the models used (:class:`RelationshipResult`).

    Raises:
        InsightError: ``now`` is not a time, or ``only`` names an unknown record type.
    """
    s = settings or RelationshipSettings()
    now = _utc(now)
    if not s.enabled:
        return RelationshipResult({t: empty_output(t) for t in RECORD_TYPES}, {}, {})
    f, words = conform_all(frames)
    vocab = pd.Index(words)
    today = day_of(now, s.timezone)
    lk = _linked(f, s)
    records = records_frame(f, s.timezone)
    team = members(f, s.timezone)
    specs = indicators(s)
    given = {k: v for k, v in (models or {}).items() if v.fits(specs)}
    inline = len(given) < len(RECORD_TYPES)
    if inline:
        given = {**fit_models(lk, records, fit_period(today), s, team), **given}
    used = {t: given[t] for t in RECORD_TYPES}
    if only is not None or touched_activities is not None:
        keys = _keys(only or {}, vocab, lk, touched_activities)
        lk, records = _only(lk, keys), records[records.index.isin(keys)]
    out = _health(lk, records, team, now, today, s, used, previous, vocab)
    out = out.join(_kpis(lk, records, f, words, now, today, s))
    until = valid_until(lk, records, now, today, s, specs, used, monthly=True)
    out.index = pd.Index(records["record_id"].to_numpy())
    until.index = out.index
    types = records["record_type"].to_numpy()
    tables, validity = {}, {}
    for rtype in RECORD_TYPES:
        tables[rtype] = _shape(out[types == rtype], rtype, words)
        validity[rtype] = pd.Series(until[types == rtype].to_numpy(), index=tables[rtype].index, name="valid_until")
    return RelationshipResult(tables, validity, used, _links(lk, records, words))


def _links(lk: Linked, records: pd.DataFrame, words: np.ndarray) -> pd.DataFrame:
    pairs = lk.acts[["activity_id", "rec"]].drop_duplicates()
    pairs = pairs[pairs["rec"].isin(records.index)]
    linked = records.loc[pairs["rec"]]
    return pd.DataFrame({"activity_id": words[pairs["activity_id"].to_numpy(dtype=np.int64)].astype(str),
                         "record_type": linked["record_type"].to_numpy().astype(str),
                         "record_id": words[linked["record_id"].to_numpy(dtype=np.int64)].astype(str)})


def compute_relationships(frames: Mapping[str, pd.DataFrame], *, now: object,
                          settings: RelationshipSettings | None = None,
                          previous: Mapping[str, pd.DataFrame] | None = None,
                          models: Mapping[str, HealthModel] | None = None,
                          only: Mapping[str, Iterable[str]] | None = None) -> dict[str, pd.DataFrame]:
    """The tables of :func:`relationship_insights` (same arguments): record type → ``osi_`` columns by id.

    Raises:
        InsightError: ``now`` is not a time, or ``only`` names an unknown record type.
    """
    return relationship_insights(frames, now=now, settings=settings, previous=previous, models=models,
                                 only=only).tables


def _health(lk: Linked, records: pd.DataFrame, team: pd.DataFrame, now: pd.Timestamp, today: int,
            s: RelationshipSettings, models: Mapping[str, HealthModel],
            previous: Mapping[str, pd.DataFrame] | None, vocab: pd.Index) -> pd.DataFrame:
    specs = indicators(s)
    types = records["record_type"].astype(str)
    # The trend looks back from the start of the week: its reference moves once a week, not every day.
    then = week_start(today) - s.trend_days
    # Closed leads and opportunities are "Not applicable" whatever their history: no facts to compute.
    live = records[~records["closed"].to_numpy(dtype=bool)]
    lk_live = _only(lk, live.index.to_numpy()) if len(live) < len(records) else lk
    sig_now = signals(lk_live, live, now, today, s, team).reindex(records.index)
    sig_past = signals(lk_live, live, end_of(then, s.timezone), then, s, team).reindex(records.index)
    last_done = lk.acts[lk.acts["done"] & (lk.acts["when"] <= now).fillna(False)].groupby("rec")["day"].max()
    meta = records.assign(last_day=last_done.reindex(records.index).astype(float))
    points, parts = health.scores(sig_now, types, models, specs)
    past_points, _ = health.scores(sig_past, types, models, specs)
    state_now = health.state(points, sig_now, meta, today, models, s)
    past_meta = meta.assign(closed=meta["closed"] & ~(meta["close_day"] > then).fillna(False).to_numpy(bool))
    state_past = health.state(past_points, sig_past, past_meta, then, models, s)
    trend = health.trend(points, state_now, past_points, state_past, previous_trend(previous, vocab, records.index), s)
    graded = state_now.isin(health.GRADED)
    labels = state_now.map(schema.HEALTH_STATE.label)
    shown = sig_now.assign(created_on=records["created_text"], estimated_close_on=records["est_close_text"])
    out = pd.DataFrame(index=records.index)
    out["osi_healthscore"] = points.where(graded).astype("Int64")
    out["osi_healthstate"] = state_now
    out["osi_healthtrend"] = trend
    explained = (graded | state_now.eq(health.STATE["Not enough info"])).to_numpy(dtype=bool)
    out["osi_healthreasons"] = explain.reasons_json(shown, parts, points, labels, types, models, specs, s, explained)
    out["osi_insightscomputedon"] = now
    return out


def _kpis(lk: Linked, records: pd.DataFrame, f: Mapping[str, pd.DataFrame], words: np.ndarray,
          now: pd.Timestamp, today: int, s: RelationshipSettings) -> pd.DataFrame:
    cur_from, prev_from = month_start(today, 12), month_start(today, 24)
    current = window_kpis(lk, cur_from, today, now).reindex(records.index)
    prior = window_kpis(lk, prev_from, cur_from - 1, now).reindex(records.index)
    for frame in (current, prior):
        counts = [c for c in frame.columns if not c.startswith(("osi_responsehours", "osi_responserate"))]
        frame[counts] = frame[counts].fillna(0)
    out = current.join(last_next(lk, now).reindex(records.index))
    out["osi_lastactivityid"] = decode(out["osi_lastactivityid"], words)
    out["osi_nextactivityid"] = decode(out["osi_nextactivityid"], words)
    last_done = lk.acts[lk.acts["done"] & (lk.acts["when"] <= now).fillna(False)].groupby("rec")["day"].max()
    days = history.daily(lk, now, last_done, s.history_days)
    people = history.most_contacted(lk, now, cur_from, today, _names(f), words)
    out["osi_analytics"] = history.analytics_json(
        records.index, s.timezone, days, history.kpi_dict(current), history.kpi_dict(prior), people,
        (prev_from, cur_from, today))
    return out


def _names(f: Mapping[str, pd.DataFrame]) -> dict[int, str]:
    parts = [f["users"].set_index("user_id")["fullname"], f["contacts"].set_index("contact_id")["fullname"],
             f["leads"].set_index("lead_id")["fullname"], f["accounts"].set_index("account_id")["name"]]
    names = pd.concat(parts).dropna()
    return {int(k): str(v) for k, v in names[~names.index.duplicated()].items() if pd.notna(k)}


def _shape(frame: pd.DataFrame, rtype: str, words: np.ndarray) -> pd.DataFrame:
    ids = decode(pd.Series(frame.index, dtype="Int64"), words)
    out = empty_output(rtype).reindex(pd.Index(ids.to_numpy(), dtype="string"))
    for col in schema.RELATIONSHIP_COLUMNS:
        name = col.logical_name
        values = frame[name] if name in frame.columns else pd.Series(pd.NA, index=frame.index)
        if col.kind == "datetime":
            out[name] = pd.to_datetime(values, utc=True).astype(canonical.UTC_DT).array
        else:
            out[name] = pd.array(values.to_numpy(), dtype=_DTYPES[col.kind]) if len(values) else out[name]
    out.index.name = RECORD_TYPES[rtype][1]
    return out


def record_signals(frames: Mapping[str, pd.DataFrame], *, now: object, record_type: str,
                   settings: RelationshipSettings | None = None) -> pd.DataFrame:
    """The health facts (:mod:`.signals`) of every record of ``record_type`` as of ``now``, indexed by its id.

    For evaluations: what the indicators are computed from, without scoring.

    Raises:
        InsightError: ``now`` is not a time, or ``record_type`` is unknown.
    """
    if record_type not in RECORD_TYPES:
        raise InsightError(f"relationship analytics: unknown record type {record_type!r:.30}")
    s = settings or RelationshipSettings()
    now = _utc(now)
    f, words = conform_all(frames)
    lk = _linked(f, s)
    records = records_frame(f, s.timezone)
    records = records[records["record_type"].eq(record_type).to_numpy(dtype=bool)]
    sig = signals(_only(lk, records.index.to_numpy()), records, now, day_of(now, s.timezone), s, members(f, s.timezone))
    sig.index = pd.Index(decode(pd.Series(records["record_id"].to_numpy(), dtype="Int64"), words).to_numpy())
    return sig


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
    today = day_of(now, s.timezone)
    f, _words = conform_all(frames)
    lk = _linked(f, s)
    t = lk.turns.drop_duplicates("turn")
    t = t[(t["turn_day"] > today - 365) & (t["turn_time"] <= now)]
    answered = (t["answered_at"] <= now).fillna(False).astype(bool)
    hours = ((t["answered_at"] - t["turn_time"]).dt.total_seconds() / 3600).where(answered)
    counted = answered | (t["opener"].astype(bool) & (today - t["turn_day"] >= s.grace_days))
    return pd.DataFrame({"side": t["side"].to_numpy(), "hours": hours.to_numpy(), "counted": counted.to_numpy()})


__all__ = ["RelationshipResult", "compute_relationships", "empty_output", "local_days", "record_signals",
           "relationship_insights"]
