"""How long a record's stored relationship values stay right without new data: ``valid_until``.

Every time-dependent input is a whole local day (:mod:`.clock`), so with no new data a record's values can
only change at a local midnight when one of these happens (a conservative list: some of them move nothing
a seller sees, none is missed):

- one of its completed activities reaches an age that matters: a window edge (30, 90, 365, 730 days), a
  recency step, the grace period of an unanswered message;
- a planned meeting or call with the customer enters the 30-day horizon or its day passes;
- a deal reaches the age of won deals, its estimated close day passes, or a record turns 90 days or two
  years old;
- the week changes (the trend's reference day moves on Mondays);
- the month changes (the KPI window, most-contacted people, and a model fitted inline all move then);

and at the exact time a completed activity dated in the future comes due. (The next activity stays
"next" until it is done or canceled: data.) Before ``valid_until`` a recomputation gives identical values
(see the tests), so an incremental run recomputes a record only when its inputs changed or its
``valid_until`` has passed. ``NaT``: nothing changes until the data does.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from connector.insights.relationship.clock import day_start, month_start, week_start
from connector.insights.relationship.health import NEW_DAYS
from connector.insights.relationship.indicators import Indicator
from connector.insights.relationship.kpis import Linked
from connector.insights.relationship.model import HealthModel
from connector.insights.relationship.settings import RelationshipSettings
from connector.insights.relationship.signals import HISTORY_DAYS, UPCOMING_DAYS

NEVER = np.inf


def _next_day(rec: np.ndarray, day: np.ndarray, offsets: Iterable[int], today: int) -> pd.Series:
    """Per record: the first ``day + offset`` after ``today`` over its rows (``NEVER``: none)."""
    o = np.unique(np.asarray(list(offsets), dtype=np.int64))
    if len(rec) == 0 or len(o) == 0:
        return pd.Series(dtype=float)
    idx = np.searchsorted(o, today - day, side="right")
    ok = idx < len(o)
    cand = np.where(ok, (day + o[np.minimum(idx, len(o) - 1)]).astype(float), NEVER)
    return pd.Series(cand).groupby(rec).min()


def _age_offsets(specs: Iterable[Indicator], s: RelationshipSettings) -> set[int]:
    edges = {30, 90, 365, HISTORY_DAYS, s.max_record_age_days + 1, s.grace_days}
    for spec in specs:
        if spec.name.startswith(("touch_under_", "contact_under_")):
            edges.add(int(spec.name.rsplit("_", 1)[1].rstrip("d")))
    return edges


def valid_until(lk: Linked, records: pd.DataFrame, now: pd.Timestamp, today: int, s: RelationshipSettings,
                specs: Iterable[Indicator], models: dict[str, HealthModel], *, monthly: bool) -> pd.Series:
    """Per record key: the UTC instant before which nothing stored can change without new data.

    Args:
        lk: the linked data of the records.
        records: indexed by record key with ``record_type, created_day, est_close_day``.
        now: the time of this computation; ``today`` its local day.
        s: settings; ``specs``: the indicators in use; ``models``: the models in use (deal ages).
        monthly: whether something moves at every month start for every record with activity (KPI
            windows always do; an inline-fitted model too).
    """
    specs = list(specs)
    done = lk.acts[lk.acts["done"] & lk.acts["day"].notna()]
    past = done[(done["when"] <= now).fillna(False).to_numpy(dtype=bool)]
    day = past["day"].to_numpy(dtype=np.int64)
    first = _next_day(past["rec"].to_numpy(), day, _age_offsets(specs, s), today)
    planned = lk.acts[lk.acts["activity_type"].isin(["appointment", "phonecall"]) & ~lk.acts["canceled"]
                      & lk.acts["start_day"].notna()]
    # Entering the 30-day horizon, and leaving it the day after.
    plan = _next_day(planned["rec"].to_numpy(), planned["start_day"].to_numpy(dtype=np.int64),
                     (-UPCOMING_DAYS, 1), today)
    deal_days = _deal_events(records, models, s, today)
    best = pd.concat([first, plan, deal_days]).groupby(level=0).min().reindex(records.index).fillna(NEVER)
    # The trend's reference day moves on Mondays for everyone; the KPI window on the first of the month for
    # every record with activity (so does a model fitted inline).
    best = np.minimum(best, week_start(today) + 7)
    if monthly:
        active = records.index.isin(past["rec"].unique())
        best = best.where(~active, np.minimum(best, month_start(today, -1)))
    starts = {d: day_start(int(d), s.timezone) for d in np.unique(best[np.isfinite(best)].to_numpy())}
    out = pd.Series(best.map(starts), index=records.index).astype("datetime64[ns, UTC]")
    return _exact(out, lk, now)


def _deal_events(records: pd.DataFrame, models: dict[str, HealthModel], s: RelationshipSettings,
                 today: int) -> pd.Series:
    created = records["created_day"].astype(float).to_numpy()
    offsets = [s.max_record_age_days + 1, NEW_DAYS]
    for model in models.values():
        offsets += [int(np.ceil(a)) + 1 for a in model.reference.age.values() if np.isfinite(a)]
    cand = [created + o for o in offsets] + [records["est_close_day"].astype(float).to_numpy() + 1]
    stack = np.vstack(cand) if cand else np.zeros((0, len(records)))
    stack = np.where(stack > today, stack, NEVER)
    return pd.Series(stack.min(axis=0) if len(stack) else np.full(len(records), NEVER), index=records.index)


def _exact(out: pd.Series, lk: Linked, now: pd.Timestamp) -> pd.Series:
    """The next future-dated completed activity comes due at its instant (it is counted from then on)."""
    a = lk.acts
    soon = a.loc[a["done"] & (a["when"] > now).fillna(False), ["rec", "when"]].rename(columns={"when": "at"})
    first = soon.groupby("rec")["at"].min()
    first = first.reindex(out.index)
    return out.where(~(first < out) & ~(out.isna() & first.notna()), first)
