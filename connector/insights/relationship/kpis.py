"""Relationship KPIs per record over a time window, split team vs customer (spec §1.3 step 3, §1.4).

Counted: completed activities (``state_code`` 1) linked to the record whose time falls in the window.
E-mails sent are our team's, received the customer's; meetings sent are organised by our team; calls
made are outgoing. Interactions initiated: threads started by each side, meetings by organiser side,
calls by direction. Response times and rates come from turns (:mod:`threads`): the team's response
time averages, over customer turns our team answered, the hours to the answer; the team's response rate
is answered customer turns / (answered + missed), where a miss is a thread opener nobody has answered (yet):
an unanswered reply usually closes a thread, so it is not a miss. A new message counts as a miss until it
is answered, so the rate changes when messages come in, never because time passed (issue #14): the answer
itself changes the e-mail counts anyway. The customer's are the mirror image. The KPI windows are whole
local days (:func:`window_kpis`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from connector import schema
from connector.insights.relationship.clock import local_days

KEY = ["rec"]
TYPE_OPTION = {"email": schema.ACTIVITY_TYPE.value("Email"), "phonecall": schema.ACTIVITY_TYPE.value("Phone call"),
               "appointment": schema.ACTIVITY_TYPE.value("Meeting"), "task": schema.ACTIVITY_TYPE.value("Task")}
DIRECTION_OPTION = {"team": schema.DIRECTION.value("Outgoing"), "customer": schema.DIRECTION.value("Incoming")}
COUNTS = {  # output column → (activity type, side)
    "osi_emailssent": ("email", "team"), "osi_emailsreceived": ("email", "customer"),
    "osi_meetingssent": ("appointment", "team"), "osi_meetingsreceived": ("appointment", "customer"),
    "osi_callsmade": ("phonecall", "team"), "osi_callsreceived": ("phonecall", "customer"),
}


@dataclass(frozen=True)
class Linked:
    """The linked data of every record, each piece deduplicated per record.

    Attributes:
        acts: one row per (record, activity) with the activity's facts (internal-only e-mails dropped).
        turns: one row per (record, e-mail turn): ``side, turn_time, answered_at``.
        threads: one row per (record, e-mail thread): ``thread_side, thread_time, first_other_at``.
        people: one row per (record, activity, person) in a qualifying role: ``person, internal, role``.
    """

    acts: pd.DataFrame
    turns: pd.DataFrame
    threads: pd.DataFrame
    people: pd.DataFrame


def build_linked(links: pd.DataFrame, facts: pd.DataFrame, people: pd.DataFrame, tz: str) -> Linked:
    """Join links with the activity facts and derive the per-record turn and thread tables.

    Turns get ``turn_day`` and threads ``thread_day``: the local calendar days (``tz``) they started on.
    """
    acts = links.merge(facts[~facts["internal_only"]], on="activity_id")
    mail = acts[acts["activity_type"].eq("email") & acts["done"] & acts["thread"].notna()]
    turns = mail.drop_duplicates([*KEY, "turn"])[[*KEY, "turn", "side", "turn_time", "answered_at", "opener"]]
    turns = turns.assign(turn_day=local_days(turns["turn_time"], tz))
    threads = mail.drop_duplicates([*KEY, "thread"])[[*KEY, "thread", "thread_side", "thread_time",
                                                        "first_other_at"]]
    threads = threads.assign(thread_day=local_days(threads["thread_time"], tz))
    ppl = acts[[*KEY, "activity_id", "activity_type", "when", "day", "done", "side", "two_way"]].merge(
        people[["activity_id", "person", "internal", "participation"]], on="activity_id")
    return Linked(acts.reset_index(drop=True), turns.reset_index(drop=True), threads.reset_index(drop=True),
                  ppl.reset_index(drop=True))


def in_days(days: pd.Series, first: int, last: int) -> pd.Series:
    """``first <= day <= last`` (local days), missing days counted as outside."""
    return ((days >= first) & (days <= last)).fillna(False).astype(bool)


def _sum_by_key(df: pd.DataFrame, values: pd.Series | np.ndarray) -> pd.Series:
    return pd.Series(np.asarray(values, dtype=float), index=df.index).groupby(df["rec"].to_numpy()).sum()


def response_stats(turns: pd.DataFrame, side: str, first: int, last: int, cutoff: pd.Timestamp) -> pd.DataFrame:
    """Per record: answered, missed and mean answer hours of ``side``'s turns started on days ``first..last``.

    A turn is answered when the next turn came by ``cutoff``; an unanswered turn is a miss when it opened
    its thread (see :mod:`threads` and the module docstring).
    """
    t = turns[turns["side"].eq(side) & in_days(turns["turn_day"], first, last) & (turns["turn_time"] <= cutoff)]
    answered = (t["answered_at"] <= cutoff).fillna(False).astype(bool)
    missed = ~answered & t["opener"].astype(bool)
    hours = ((t["answered_at"] - t["turn_time"]).dt.total_seconds() / 3600).where(answered)
    return pd.DataFrame({
        "answered": _sum_by_key(t, answered), "missed": _sum_by_key(t, missed),
        "hours": hours.groupby(t["rec"].to_numpy()).mean(),
    })


def window_kpis(lk: Linked, first: int, last: int, cutoff: pd.Timestamp) -> pd.DataFrame:
    """The KPI columns of every record with activity on local days ``first..last``, indexed by record key.

    Only what happened by ``cutoff`` counts. Besides the ``osi_`` columns, ``estimated_durations`` counts the
    activities whose duration was missing and taken from the settings' defaults.
    """
    a = lk.acts[lk.acts["done"] & in_days(lk.acts["day"], first, last) & (lk.acts["when"] <= cutoff).fillna(False)]
    cols: dict[str, pd.Series] = {}
    for name, (act_type, side) in COUNTS.items():
        cols[name] = _sum_by_key(a, a["activity_type"].eq(act_type) & a["side"].eq(side))
    th = lk.threads[in_days(lk.threads["thread_day"], first, last) & (lk.threads["thread_time"] <= cutoff)]
    for side, name in (("team", "osi_initiatedbyteam"), ("customer", "osi_initiatedbycustomer")):
        other = a["activity_type"].isin(["appointment", "phonecall"]) & a["side"].eq(side)
        cols[name] = _sum_by_key(a, other).add(_sum_by_key(th, th["thread_side"].eq(side)), fill_value=0)
    # Our team answers the customer's turns, and the customer ours.
    for answered_side, who in (("customer", "team"), ("team", "customer")):
        st = response_stats(lk.turns, answered_side, first, last, cutoff)
        cols[f"osi_responsehours{who}"] = st["hours"]
        total = st["answered"] + st["missed"]
        cols[f"osi_responserate{who}"] = (st["answered"] / total).where(total > 0)
    cols["osi_timespentteam"] = _sum_by_key(a, a["team_minutes"])
    cols["osi_timespentcustomer"] = _sum_by_key(a, a["customer_minutes"])
    # Microsoft flags such KPIs "Partial"; the analytics JSON says how many durations were defaults.
    cols["estimated_durations"] = _sum_by_key(a, a["estimated"])
    out = pd.DataFrame(cols)
    counts = [c for c in out.columns if not c.startswith(("osi_responsehours", "osi_responserate"))]
    out[counts] = out[counts].fillna(0).round().astype("Int64")
    return out


def last_next(lk: Linked, now: pd.Timestamp) -> pd.DataFrame:
    """Last completed activity (by ``now``) and next one of every record.

    The next activity is the earliest open or scheduled one that starts no earlier than the record's last
    completed activity: one that is overdue stays "next" until it is done or canceled (or something later
    was completed), so the value changes with the data, never because the clock moved; the panel says
    "overdue" at display time.
    """
    a = lk.acts
    done = a[a["done"] & (a["when"] <= now).fillna(False)]
    last = done.loc[_arg_per_record(done, "when", last=True)].set_index("rec")
    since = last["when"].reindex(a["rec"].to_numpy()).to_numpy(dtype="datetime64[ns]")
    before = a["start"].to_numpy(dtype="datetime64[ns]") < since  # NaT on either side: False
    nxt = a[(a["upcoming"] & a["start"].notna()).to_numpy(dtype=bool) & ~before]
    nxt = nxt.loc[_arg_per_record(nxt, "start", last=False)].set_index("rec")
    out = pd.DataFrame({
        "osi_lastactivityon": last["when"], "osi_lastactivitytype": last["activity_type"].map(TYPE_OPTION),
        "osi_lastactivitydirection": _direction(last), "osi_lastactivityid": last["activity_id"],
    })
    nxt_cols = pd.DataFrame({
        "osi_nextactivityon": nxt["start"], "osi_nextactivitytype": nxt["activity_type"].map(TYPE_OPTION),
        "osi_nextactivitydirection": _direction(nxt), "osi_nextactivityid": nxt["activity_id"],
    })
    return out.join(nxt_cols, how="outer")


def _arg_per_record(df: pd.DataFrame, col: str, *, last: bool) -> np.ndarray:
    """Index labels of the latest (or earliest) row per record; ties go to the higher activity id."""
    t = df[col].to_numpy(dtype="datetime64[ns]").astype(np.int64)
    order = np.lexsort((df["activity_id"].to_numpy(), t if last else -t, df["rec"].to_numpy()))
    recs = df["rec"].to_numpy()[order]
    final = np.ones(len(order), dtype=bool)
    final[:-1] = recs[1:] != recs[:-1]
    return np.asarray(df.index.to_numpy()[order[final]])


def _direction(df: pd.DataFrame) -> pd.Series:
    # A task has no direction: it is our own work, not an exchange.
    return df["side"].map(DIRECTION_OPTION).where(df["activity_type"].ne("task"))
