"""An e-mail log (the interactions CSV) turned into canonical frames, for evaluating relationship health.

The evaluation runs the product's own code (:func:`relationship_insights`) on relationships built from
the log as of a split time, and asks whether the health at the split predicts that the relationship is
still alive in the ``horizon`` days after it: at least one message either way, and messages both ways.

Two protocols, chosen by whether an internal domain is known:

- **team vs customers** (``internal_domain`` given): addresses in that domain are system users, every
  other address is a contact; a relationship is one contact with our team. Evaluated: contacts that
  exchanged at least one message with the team in the year before the split.
- **pairs** (no domain, e.g. a corpus of one company's staff): every unordered pair of people who
  exchanged a message is its own relationship. Each pair gets its own user and contact, so nothing
  leaks between pairs; its member who sent more of the pair's messages before the split plays "our
  team" (ties: the alphabetically first address), the other the customer. Evaluated: pairs with a
  message in the year before the split whose two members both appear in the log after the split
  (someone whose mailbox ends at the split cannot be said to have let the relationship die).

Only messages up to the split are given to the product; later ones only make the label.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from connector.insights.relationship.compute import first_responses, relationship_insights
from connector.insights.relationship.settings import RelationshipSettings

YEAR = pd.Timedelta(days=365)


def _explode(log: pd.DataFrame) -> pd.DataFrame:
    """One row per (message, recipient): ``msg, when, sender, recipient, role`` (2 To, 3 Cc)."""
    parts = []
    for col, role in (("recipients", 2), ("cc", 3)):
        lists = pd.Series([list(v) if isinstance(v, (list, tuple, np.ndarray)) else [] for v in log[col]],
                          index=log.index, dtype=object)
        ex = pd.DataFrame({"timestamp": log["timestamp"], "sender": log["sender"], col: lists}).explode(col)
        ex = ex.dropna(subset=[col])
        parts.append(pd.DataFrame({"msg": ex.index.to_numpy(), "when": ex["timestamp"].to_numpy(),
                                   "sender": ex["sender"].to_numpy(), "recipient": ex[col].to_numpy(),
                                   "role": role}))
    out = pd.concat(parts, ignore_index=True)
    out = out[out["sender"] != out["recipient"]]
    return out.drop_duplicates(["msg", "recipient"]).reset_index(drop=True)


SEP = "\x1f"  # joins the two addresses of a pair; cannot occur in an address


def _activities(log: pd.DataFrame, msg: np.ndarray, suffix: np.ndarray) -> pd.DataFrame:
    """One e-mail activity per (message, suffix); ids and Message-IDs get the suffix so pairs stay apart."""
    rows = log.loc[msg]
    sfx = pd.Series(np.asarray(suffix, dtype=object), index=rows.index, dtype="string")
    return pd.DataFrame({
        "activity_id": ("m" + pd.Series(msg, index=rows.index).astype("string") + sfx).to_numpy(),
        "activity_type": "email", "subject": rows["subject"].to_numpy(), "state_code": 1,
        "occurred_on": rows["timestamp"].to_numpy(), "created_on": rows["timestamp"].to_numpy(),
        "message_id": (rows["message_id"].astype("string") + sfx).to_numpy(),
        "in_reply_to": (rows["in_reply_to"].astype("string") + sfx).to_numpy(),
    })


def _table(ex: pd.DataFrame, key: str, split: pd.Timestamp, horizon: pd.Timedelta, side: str) -> pd.DataFrame:
    """Per relationship ``key`` with a message in the year before the split: baselines before, labels after.

    ``side`` names the column of ``ex`` that says which of the two sides sent a message (a boolean): the
    "both ways" label needs a message from each.
    """
    ex = ex.drop_duplicates(["msg", key])
    before = ex[(ex["when"] > split - YEAR) & (ex["when"] <= split)]
    after = ex[(ex["when"] > split) & (ex["when"] <= split + horizon)]
    out = pd.DataFrame({
        "messages_365d": before.groupby(key).size(),
        "messages_90d": before[before["when"] > split - pd.Timedelta(days=90)].groupby(key).size(),
    }).fillna(0)
    last = before.groupby(key)["when"].max().reindex(out.index)
    out["days_since_last"] = (split - last).dt.total_seconds() / 86400
    out["label"] = out.index.isin(set(after[key]))
    sides = after.groupby(key)[side].agg(["any", "all"])
    both = sides.index[sides["any"] & ~sides["all"]]
    out["label_both"] = out.index.isin(set(both))
    wrote = before.groupby(key)[side].agg(["any", "all"]).reindex(out.index)
    out["side_wrote_all"] = wrote["all"].fillna(False).astype(bool)
    out["side_wrote_none"] = ~wrote["any"].fillna(False).astype(bool)
    return out


def build(log: pd.DataFrame, split: pd.Timestamp, horizon: pd.Timedelta, internal_domain: str | None = None
          ) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Canonical frames as of ``split`` and the evaluation table of the protocol (see the module doc).

    Returns:
        ``(frames, table)``: ``table`` is indexed by contact id with ``messages_90d``, ``messages_365d``
        and ``days_since_last`` (before the split), ``label`` (a message during the horizon),
        ``label_both`` (messages both ways during the horizon) and ``evaluated`` (in the protocol's
        population).
    """
    ex = _explode(log)
    if internal_domain:
        return _team(log, ex, split, horizon, internal_domain.lower().lstrip("@"))
    return _pairs(log, ex, split, horizon)


def _team(log: pd.DataFrame, ex: pd.DataFrame, split: pd.Timestamp, horizon: pd.Timedelta, domain: str
          ) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    ours_sender = ex["sender"].str.endswith("@" + domain)
    ours_recipient = ex["recipient"].str.endswith("@" + domain)
    cross = ex[ours_sender != ours_recipient]
    cross = cross.assign(customer=np.where(ours_sender[cross.index], cross["recipient"], cross["sender"]),
                         from_us=ours_sender[cross.index].to_numpy())
    table = _table(cross, "customer", split, horizon, "from_us")
    table["evaluated"] = True
    table["one_way"] = table["side_wrote_all"]
    msgs = np.unique(cross.loc[cross["when"] <= split, "msg"].to_numpy())
    rows = ex[ex["msg"].isin(msgs)]
    acts = _activities(log, msgs, np.full(len(msgs), "", dtype=object))
    parties = pd.concat([
        pd.DataFrame({"activity_id": acts["activity_id"].to_numpy(), "party_id": log.loc[msgs, "sender"].to_numpy(),
                      "participation": 1}),
        pd.DataFrame({"activity_id": ("m" + rows["msg"].astype(str)).to_numpy(),
                      "party_id": rows["recipient"].to_numpy(), "participation": rows["role"].to_numpy()}),
    ], ignore_index=True)
    people = pd.Series(pd.unique(parties["party_id"]))
    ours = people.str.endswith("@" + domain)
    frames = {
        "users": pd.DataFrame({"user_id": people[ours].to_numpy(), "email": people[ours].to_numpy()}),
        "contacts": pd.DataFrame({"contact_id": people[~ours].to_numpy(), "email": people[~ours].to_numpy(),
                                  "created_on": split - YEAR}),
        "activities": acts, "parties": parties,
    }
    return frames, table


def _pairs(log: pd.DataFrame, ex: pd.DataFrame, split: pd.Timestamp, horizon: pd.Timedelta
           ) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    lo = np.where(ex["sender"] < ex["recipient"], ex["sender"], ex["recipient"])
    hi = np.where(ex["sender"] < ex["recipient"], ex["recipient"], ex["sender"])
    ex = ex.assign(pair=pd.Series(lo, dtype=object) + SEP + pd.Series(hi, dtype=object), lo=lo, hi=hi)
    ex = ex.assign(from_lo=(ex["sender"] == ex["lo"]).to_numpy())
    table = _table(ex, "pair", split, horizon, "from_lo")
    after = ex[(ex["when"] > split) & (ex["when"] <= split + horizon)]
    active = set(after["sender"]) | set(after["recipient"])
    members = table.index.to_series().str.split(SEP, n=1, expand=True)
    table["evaluated"] = (members[0].isin(active) & members[1].isin(active)).to_numpy() if len(table) else []
    table.index = "c" + SEP + table.index

    past = ex[ex["when"] <= split].drop_duplicates(["msg", "pair"])
    sent_by_lo = (past["sender"] == past["lo"]).groupby(past["pair"]).mean()
    # The member who wrote more of the pair's messages plays "our team" (ties: the first address).
    lo_is_team = (sent_by_lo >= 0.5).reindex(table.index.str.removeprefix("c" + SEP)).fillna(True).to_numpy(bool)
    table["one_way"] = np.where(lo_is_team, table["side_wrote_all"], table["side_wrote_none"])
    team_is_lo = (sent_by_lo >= 0.5).reindex(past["pair"]).to_numpy()
    team = np.where(team_is_lo, past["lo"], past["hi"])
    pair = past["pair"].to_numpy(dtype=object)
    uid, cid = "u" + SEP + pair, "c" + SEP + pair
    acts = _activities(log, past["msg"].to_numpy(), SEP + pair)
    parties = pd.concat([
        pd.DataFrame({"activity_id": acts["activity_id"].to_numpy(),
                      "party_id": np.where(past["sender"] == team, uid, cid), "participation": 1}),
        pd.DataFrame({"activity_id": acts["activity_id"].to_numpy(),
                      "party_id": np.where(past["recipient"] == team, uid, cid),
                      "participation": past["role"].to_numpy()}),
    ], ignore_index=True)
    pairs = pd.Series(pd.unique(pair), dtype=object)
    frames = {
        "users": pd.DataFrame({"user_id": ("u" + SEP + pairs).to_numpy()}),
        "contacts": pd.DataFrame({"contact_id": ("c" + SEP + pairs).to_numpy(), "created_on": split - YEAR}),
        "activities": acts, "parties": parties,
    }
    return frames, table


def _auc(label: pd.Series, score: pd.Series) -> float | None:
    if label.nunique() < 2:
        return None
    return round(float(roc_auc_score(label.astype(int), score.astype(float))), 4)


def _median(values: pd.Series) -> float | None:
    values = values.dropna()
    return None if values.empty else round(float(values.median()), 2)


def tied_block_auc(label: pd.Series, score: pd.Series, block: pd.Series) -> float | None:
    """The best AUC of ``score`` with every row of ``block`` given one common value, at its best place.

    What a score that may not rise with the rows' only facts can reach at most when those facts are
    the ones that predict (see :func:`evaluate_health`). None with a single class.
    """
    if label.nunique() < 2:
        return None
    y = label.astype(int).to_numpy()
    inside = block.to_numpy(dtype=bool)
    values = np.unique(score.to_numpy(dtype=float)[~inside])
    places = np.concatenate([[-np.inf], (values[:-1] + values[1:]) / 2, [np.inf]]) if len(values) else np.zeros(1)
    filled = np.where(inside, np.nan, score.to_numpy(dtype=float))
    best = max(roc_auc_score(y, np.where(inside, np.clip(c, -1e18, 1e18), filled)) for c in places)
    return round(float(best), 4)


def _aucs(table: pd.DataFrame) -> dict[str, object]:
    """Health against the baselines, for both targets."""
    health = table["reasons"].map(lambda r: r["score"]).astype(float)
    recency = -table["days_since_last"].fillna(10_000)
    one_way = table["one_way"].astype(bool)
    out: dict[str, object] = {"relationships_evaluated": int(len(table)), "one_way": int(one_way.sum())}
    for target, col in (("either_way", "label"), ("both_ways", "label_both")):
        out[target] = {
            "still_communicating": int(table[col].sum()),
            "still_communicating_one_way": int(table.loc[one_way, col].sum()),
            "health_auc": _auc(table[col], health),
            "message_count_90d_auc": _auc(table[col], table["messages_90d"]),
            "recency_auc": _auc(table[col], recency),
            "message_count_365d_auc": _auc(table[col], table["messages_365d"]),
            "message_count_90d_one_way_tied_auc": tied_block_auc(table[col], table["messages_90d"], one_way),
        }
    return out


def evaluate_health(log: pd.DataFrame, split: pd.Timestamp, horizon: pd.Timedelta, internal_domain: str | None,
                    settings: RelationshipSettings) -> dict[str, object]:
    """Response times, reply rates and the AUCs of health and of the baselines (see the module doc).

    Two targets: ``either_way`` (the relationship still exchanges a message in the ``horizon`` after the
    split) and ``both_ways`` (each side writes at least one). Baselines: the message count of the 90 days
    before the split and the recency of the last message (days since it, fewer is better). ``health_auc``
    uses the health score the product computes (the ``score`` of ``osi_healthreasons``), also where the
    state is "Not enough info" and the form would show no number, so that every evaluated relationship is
    ranked; the model is fitted, as in production, on the history before the first day of the split's
    month. ``two_way`` repeats the AUCs for the relationships in which both sides wrote before the split.

    ``one_way`` counts the relationships in which only our side wrote in the year before the split:
    every fact health has of them is an unanswered e-mail of ours, which may never raise it, so health
    ranks them all alike (or lower with more of them). ``message_count_90d_one_way_tied_auc`` is the
    90-day count with those relationships tied at the value that suits it best: the most a score bound
    by that rule can reach with the count's own ranking of the others.
    """
    frames, table = build(log, split, horizon, internal_domain)
    result = relationship_insights(frames, now=split, settings=settings)
    out = result.tables["contact"]
    table = table[table["evaluated"]].join(out["osi_healthreasons"].map(json.loads).rename("reasons"), how="inner")
    received = out["osi_emailsreceived"].reindex(table.index).fillna(0)
    sent = out["osi_emailssent"].reindex(table.index).fillna(0)
    turns = first_responses(frames, now=split, settings=settings)
    # Team turns are answered by the customer, customer turns by the team.
    answers = {"team": turns[turns["side"] == "customer"], "customer": turns[turns["side"] == "team"]}
    model = result.models["contact"]
    return {
        "protocol": "team vs customers" if internal_domain else "pairs", "split_time": split.isoformat(),
        "horizon_days": horizon.days,
        "median_first_response_hours": {who: _median(t["hours"]) for who, t in answers.items()},
        "reply_rate": {who: (round(float(t["hours"].notna().sum() / t["counted"].sum()), 4)
                             if t["counted"].sum() else None) for who, t in answers.items()},
        "model": {"kind": model.kind, "note": model.note, "held_out": model.metrics.get("held_out")},
        **_aucs(table),
        "two_way": _aucs(table[(received > 0) & (sent > 0)]),
    }
