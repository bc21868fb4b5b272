"""The ``osi_analytics`` JSON: daily activity breakdown, KPIs by year and most-contacted people.

- ``daily``: the last ``history_days`` days, as calendar days of ``settings.timezone`` (the form's chart
  is read by people in one organisation time zone): ``{"YYYY-MM-DD": {"emails_sent": 2, ...}}`` with only
  the days and series that are not zero, to keep the column small.
- ``kpis``: ``current`` (the 365 days up to now) and ``previous`` (the 365 days before).
- ``most_contacted``: per side, the three people with the most completed linked activities over the
  current year (ties: most recent first), with their counts per type and last interaction.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping

import numpy as np
import pandas as pd

from connector.insights.relationship.kpis import KEY, Linked

SERIES = {("email", "team"): "emails_sent", ("email", "customer"): "emails_received",
          ("appointment", "team"): "meetings_sent", ("appointment", "customer"): "meetings_received",
          ("phonecall", "team"): "calls_made", ("phonecall", "customer"): "calls_received",
          ("task", "team"): "tasks", ("task", "customer"): "tasks"}


def daily(lk: Linked, now: pd.Timestamp, days: int, tz: str) -> dict[int, dict[str, dict[str, int]]]:
    """Per record: local day → series → count of completed activities in the last ``days`` days."""
    a = lk.acts[lk.acts["done"] & (lk.acts["when"] > now - pd.Timedelta(days=days)) & (lk.acts["when"] <= now)]
    series = pd.Series(list(zip(a["activity_type"], a["side"], strict=True)), index=a.index).map(SERIES)
    day = a["when"].dt.tz_convert(tz).dt.strftime("%Y-%m-%d")
    counts = pd.DataFrame({"rec": a["rec"], "day": day, "series": series}).dropna().value_counts().sort_index()
    out: dict[int, dict[str, dict[str, int]]] = defaultdict(dict)
    for (rec, d, name), n in counts.items():
        out[rec].setdefault(d, {})[name] = int(n)
    return out


def most_contacted(lk: Linked, now: pd.Timestamp, names: Mapping[int, str], words: np.ndarray, top: int = 3
                   ) -> dict[int, dict[str, list[dict[str, object]]]]:
    """Per record and side (``team`` / ``customer``): the ``top`` people most often in its activities.

    ``names`` maps a person's code to a display name, ``words`` a code to the id or address.
    """
    p = lk.people[lk.people["done"] & (lk.people["when"] > now - pd.Timedelta(days=365))
                  & (lk.people["when"] <= now)].drop_duplicates([*KEY, "activity_id", "person"])
    if p.empty:
        return {}
    p = p.assign(emails=p["activity_type"].eq("email").astype(int),
                 meetings=p["activity_type"].eq("appointment").astype(int),
                 calls=p["activity_type"].eq("phonecall").astype(int))
    g = p.groupby([*KEY, "internal", "person"]).agg(
        emails=("emails", "sum"), meetings=("meetings", "sum"), calls=("calls", "sum"), last=("when", "max"))
    g["total"] = g["emails"] + g["meetings"] + g["calls"]
    g = g[g["total"] > 0].reset_index().sort_values([*KEY, "internal", "total", "last"],
                                                    ascending=[True, True, False, False])
    g = g.groupby([*KEY, "internal"]).head(top)
    out: dict[int, dict[str, list[dict[str, object]]]] = defaultdict(lambda: {"team": [], "customer": []})
    for r in g.itertuples(index=False):
        out[r.rec]["team" if r.internal else "customer"].append({
            "id": words[r.person], "name": names.get(r.person), "emails": int(r.emails), "meetings": int(r.meetings),
            "calls": int(r.calls), "last_on": r.last.isoformat()})
    return out


def kpi_dict(frame: pd.DataFrame) -> dict[int, dict[str, object]]:
    """Per record: the KPI columns of ``frame`` as a plain dict (``osi_`` prefix dropped, NA → None)."""
    plain = frame.rename(columns=lambda c: c.removeprefix("osi_")).round(2)
    # pandas' JSON writer turns NA into null and numpy scalars into plain numbers, in C.
    return dict(zip(frame.index, json.loads(plain.to_json(orient="records")), strict=True))


def analytics_json(keys: pd.Index, now: pd.Timestamp, tz: str, days: dict, current: dict, previous: dict,
                   people: dict) -> pd.Series:
    """``osi_analytics`` for every record in ``keys`` (record keys)."""
    empty_people = {"team": [], "customer": []}
    out = {}
    for key in keys:
        out[key] = json.dumps({
            "as_of": now.isoformat(), "timezone": tz, "daily": days.get(key, {}),
            "kpis": {"current": current.get(key), "previous": previous.get(key)},
            "most_contacted": people.get(key, empty_people),
        }, ensure_ascii=False, separators=(",", ":"))
    return pd.Series(out, dtype="object")
