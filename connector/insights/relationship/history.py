"""The ``osi_analytics`` JSON: daily activity breakdown, KPIs by year and most-contacted people.

Stable facts only, nothing relative to the moment of the run:

- ``daily``: the ``history_days`` calendar days (``settings.timezone``) up to the record's last completed
  activity, under their dates: ``{"YYYY-MM-DD": {"emails_sent": 2, ...}}``, only days and series that are
  not zero. The panel shows the last 90 days before today; days older than that simply stay until the
  next activity moves the block.
- ``kpis``: ``current`` (from the first day of the month a year before the current month to today) and
  ``previous`` (the twelve months before), each with its ``from`` (and ``to``) date: the KPI window moves
  on the first day of a month, not every day.
- ``most_contacted``: per side, the three people with the most completed linked activities in the current
  KPI window; ties: the most recent last interaction, then the person's id.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping

import numpy as np
import pandas as pd

from connector.insights.relationship.clock import day_text
from connector.insights.relationship.kpis import KEY, Linked, in_days

SERIES = {("email", "team"): "emails_sent", ("email", "customer"): "emails_received",
          ("appointment", "team"): "meetings_sent", ("appointment", "customer"): "meetings_received",
          ("phonecall", "team"): "calls_made", ("phonecall", "customer"): "calls_received",
          ("task", "team"): "tasks", ("task", "customer"): "tasks"}


def daily(lk: Linked, cutoff: pd.Timestamp, last_day: pd.Series, days: int) -> dict[int, dict[str, dict[str, int]]]:
    """Per record: local date → series → count of completed activities in its ``days`` days up to ``last_day``."""
    a = lk.acts[lk.acts["done"] & (lk.acts["when"] <= cutoff).fillna(False)]
    end = a["rec"].map(last_day).to_numpy(dtype=float)
    day = a["day"].to_numpy(dtype=float)
    a = a[(day > end - days) & (day <= end)]
    typ, side = a["activity_type"].to_numpy(dtype=object), a["side"].to_numpy(dtype=object)
    keys = list(SERIES)
    series = np.select([(typ == t) & (side == sd) for t, sd in keys], [SERIES[k] for k in keys], default="")
    counts = pd.DataFrame({"rec": a["rec"].to_numpy(), "day": a["day"].to_numpy(dtype=np.int64), "series": series})
    counts = counts[counts["series"] != ""]
    counts = counts.value_counts().sort_index()
    out: dict[int, dict[str, dict[str, int]]] = defaultdict(dict)
    for (rec, d, name), n in counts.items():
        out[rec].setdefault(day_text(d), {})[name] = int(n)
    return out


def most_contacted(lk: Linked, cutoff: pd.Timestamp, first: int, last: int, names: Mapping[int, str],
                   words: np.ndarray, top: int = 3) -> dict[int, dict[str, list[dict[str, object]]]]:
    """Per record and side (``team`` / ``customer``): the ``top`` people most often in its activities.

    Counted: completed activities on local days ``first..last`` up to ``cutoff``. Ranked by total, then
    the most recent interaction, then the person's id, so ties never depend on row order. ``names`` maps a
    person's code to a display name, ``words`` a code to the id or address.
    """
    p = lk.people[lk.people["done"] & in_days(lk.people["day"], first, last) & (lk.people["when"] <= cutoff)]
    p = p.drop_duplicates([*KEY, "activity_id", "person"])
    if p.empty:
        return {}
    p = p.assign(emails=p["activity_type"].eq("email").astype(int),
                 meetings=p["activity_type"].eq("appointment").astype(int),
                 calls=p["activity_type"].eq("phonecall").astype(int))
    g = p.groupby([*KEY, "internal", "person"]).agg(
        emails=("emails", "sum"), meetings=("meetings", "sum"), calls=("calls", "sum"), last=("when", "max"))
    g["total"] = g["emails"] + g["meetings"] + g["calls"]
    g = g[g["total"] > 0].reset_index()
    # The last tie-break is the person's id as text (codes depend on row order): ranked once per person.
    people, where = np.unique(g["person"].to_numpy(dtype=np.int64), return_inverse=True)
    rank = np.empty(len(people), dtype=np.int64)
    rank[np.argsort(words[people].astype(str), kind="stable")] = np.arange(len(people))
    g["pid_rank"] = rank[where]
    g = g.sort_values([*KEY, "internal", "total", "last", "pid_rank"], ascending=[True, True, False, False, True],
                      kind="stable")
    g = g.groupby([*KEY, "internal"]).head(top)
    g["pid"] = words[g["person"].to_numpy(dtype=np.int64)].astype(str)
    out: dict[int, dict[str, list[dict[str, object]]]] = defaultdict(lambda: {"team": [], "customer": []})
    for r in g.itertuples(index=False):
        out[r.rec]["team" if r.internal else "customer"].append({
            "id": r.pid, "name": names.get(r.person), "emails": int(r.emails), "meetings": int(r.meetings),
            "calls": int(r.calls), "last_on": r.last.strftime("%Y-%m-%dT%H:%M:%SZ")})
    return out


def kpi_dict(frame: pd.DataFrame) -> dict[int, dict[str, object]]:
    """Per record: the KPI columns of ``frame`` as a plain dict (``osi_`` prefix dropped, NA → None)."""
    plain = frame.rename(columns=lambda c: c.removeprefix("osi_")).round(2)
    # pandas' JSON writer turns NA into null and numpy scalars into plain numbers, in C.
    return dict(zip(frame.index, json.loads(plain.to_json(orient="records")), strict=True))


def analytics_json(keys: pd.Index, tz: str, days: Mapping[int, dict[str, dict[str, int]]],
                   current: Mapping[int, dict[str, object]], previous: Mapping[int, dict[str, object]],
                   people: Mapping[int, dict[str, list[dict[str, object]]]], window: tuple[int, int, int]
                   ) -> pd.Series:
    """``osi_analytics`` for every record in ``keys`` (record keys); ``window``: previous from, current from,
    today (local days)."""
    empty_people: dict[str, list[dict[str, object]]] = {"team": [], "customer": []}
    prev_from, cur_from, _today = window
    span = {"current": {"from": day_text(cur_from)}, "previous": {"from": day_text(prev_from),
                                                                 "to": day_text(cur_from - 1)}}
    out = {}
    for key in keys:
        cur, prev = current.get(key), previous.get(key)
        out[key] = json.dumps({
            "timezone": tz, "daily": days.get(key, {}),
            "kpis": {"current": None if cur is None else {**cur, **span["current"]},
                     "previous": None if prev is None else {**prev, **span["previous"]}},
            "most_contacted": people.get(key, empty_people),
        }, ensure_ascii=False, separators=(",", ":"))
    return pd.Series(out, dtype="object")
