"""The facts health is built from, per record, as of one local day: counts, days and people.

Every number here is an integer count or a whole number of local days (:mod:`.clock`), so it changes only
when data changes or a day passes; :mod:`.indicators` turns them into yes/no steps and :mod:`.model`
gives each step its points.

Definitions (as of day ``d``; only what happened by ``cutoff`` counts; "in 90 days" means days
``d − 89 … d``):

- touch: a two-way touchpoint (an e-mail from the customer, a meeting a customer attended, a call),
  weighted by its type's influence; ``touch_30``, ``touch_90``, ``touch_365`` and ``touch_prior`` (days
  90–364 ago, the customer's usual rhythm). ``touch_age``: days since the last one.
- contact: a touch, or one of our e-mails in a thread the customer took part in (an answer, or a message
  they answered); ``contact_age``, ``contact_30``, ``contact_90``, ``contact_365``. An e-mail nobody answered is not
  contact.
- interactions in 90 days: threads plus meetings and calls; ``active``: those the customer took part in
  (started, answered our thread, attended); ``customer_started``; ``answered_turns`` (turns of either
  side that got an answer: thread continuity).
- responsiveness in 90 days: per side, turns ``asked`` (answered, or an unanswered opener at least
  ``grace_days`` old) and ``answered``; ``fast`` answers (within the target hours); median answer hours.
- ``tail``: our e-mails after the customer's last e-mail in the year, at least ``grace_days`` old.
- meetings in 90 days: ``meetings`` held with a customer attendee, ``canceled``; ``upcoming``: meetings
  and calls with the customer scheduled (recorded by ``cutoff``, or of unknown recording time) for days
  ``d … d + 30``.
- breadth in 90 days: distinct customer and team people engaged; for accounts ``contacts`` (its contacts
  created by ``cutoff``).
- deals: ``stage``, ``age`` (days since created), ``deal_30`` and ``deal_all`` (completed e-mails,
  meetings and calls regarding the deal in 30 days and since creation), ``slipped`` (estimated close day
  passed).
- ``n_history``: completed e-mails, meetings and calls in the last 730 days (below the minimum: "Not
  enough info"); ``n_90`` and ``last_age`` (days since the last one): the baselines health is compared with.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from connector.insights.relationship.facts import CC, FROM, OPTIONAL, ORGANIZER, REQUIRED, TO
from connector.insights.relationship.kpis import KEY, Linked, in_days
from connector.insights.relationship.settings import RelationshipSettings

HISTORY_DAYS = 730
UPCOMING_DAYS = 30
COUNT_COLUMNS = ("n_history", "n_90", "contacts", "touch_30", "touch_90", "touch_prior", "touch_365", "contact_30",
                 "contact_90", "contact_365", "interactions", "active",
                 "customer_started", "answered_turns", "team_asked", "team_answered", "team_fast", "customer_asked",
                 "customer_answered", "customer_fast", "tail", "meetings", "canceled", "upcoming",
                 "people_customer", "people_team", "deal_30", "deal_all")


def _count(df: pd.DataFrame, mask: pd.Series | np.ndarray, weights: np.ndarray | None = None) -> pd.Series:
    """Per record key: how many rows of ``df`` pass ``mask`` (or the sum of their ``weights``)."""
    keep = np.asarray(mask, dtype=bool)
    rec = df["rec"].to_numpy()[keep]
    codes, keys = pd.factorize(rec)
    sums = np.bincount(codes, weights=None if weights is None else np.asarray(weights, dtype=float)[keep],
                       minlength=len(keys))
    return pd.Series(sums.astype(float), index=keys)


def signals(lk: Linked, records: pd.DataFrame, cutoff: pd.Timestamp, d: int, s: RelationshipSettings,
            members: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every health fact of every record in ``records`` as of local day ``d`` (data up to ``cutoff``).

    Args:
        lk: the linked data, with local days (:func:`kpis.build_linked`).
        records: indexed by record key with ``record_type, stage, created_day, est_close_day``
            (see :func:`compute._records`).
        cutoff: the instant up to which data counts (``now``, or the end of day ``d`` for a past view).
        d: the local day the ages are measured from.
        s: settings (type influence, grace period, response target).
        members: contacts of accounts, ``rec`` (the account's key) and ``created`` (time), for breadth.

    Returns:
        ``records``' index with the columns described in the module docstring (counts 0 when nothing
        happened; ``touch_age``, ``contact_age``, ``customer_hours``, ``team_hours`` NaN when unknown),
        plus ``touch_when`` and ``contact_when`` (the times behind the ages, for the explanation).
    """
    out = pd.DataFrame(index=records.index)
    a = lk.acts[lk.acts["done"] & (lk.acts["when"] <= cutoff).fillna(False) & in_days(lk.acts["day"], d - 729, d)]
    age = d - a["day"].to_numpy(dtype=np.int64)
    kinds = a["activity_type"].isin(["email", "appointment", "phonecall"]).to_numpy()
    out["n_history"] = _count(a, kinds)
    out["n_90"] = _count(a, kinds & (age < 90))
    out["last_age"] = pd.Series(age[kinds], index=a.index[kinds]).groupby(a["rec"].to_numpy()[kinds]).min()
    _touches(out, a, age, cutoff, s)
    _interactions(out, lk, a, age, cutoff, d, s)
    _people(out, lk, cutoff, d)
    _deals(out, a, age, records, d)
    if members is not None:
        known = members[(members["created"] <= cutoff).fillna(True).to_numpy(dtype=bool)]
        out["contacts"] = known.groupby("rec").size()
    else:
        out["contacts"] = 0.0
    counts = list(COUNT_COLUMNS)
    out[counts] = out[counts].reindex(records.index).fillna(0.0)
    return out


def _touches(out: pd.DataFrame, a: pd.DataFrame, age: np.ndarray, cutoff: pd.Timestamp,
             s: RelationshipSettings) -> None:
    touch = a["two_way"].to_numpy(dtype=bool)
    weight = a["activity_type"].map({t: s.type_weight(t) for t in ("email", "appointment", "phonecall", "task")})
    weight = weight.astype(float).fillna(0.0).to_numpy()
    out["touch_30"] = _count(a, touch & (age < 30), weight)
    out["touch_90"] = _count(a, touch & (age < 90), weight)
    out["touch_prior"] = _count(a, touch & (age >= 90) & (age < 365), weight)
    out["touch_365"] = _count(a, touch & (age < 365), weight)
    engaged = (a["thread_side"].eq("customer") | (a["first_other_at"] <= cutoff)).fillna(False).to_numpy(dtype=bool)
    ours = (a["activity_type"].eq("email") & a["side"].eq("team")).to_numpy(dtype=bool) & engaged
    out["contact_30"] = _count(a, (touch | ours) & (age < 30), weight)
    out["contact_90"] = _count(a, (touch | ours) & (age < 90), weight)
    out["contact_365"] = _count(a, (touch | ours) & (age < 365), weight)
    for name, mask in (("touch", touch), ("contact", touch | ours)):
        hit = a[mask]
        out[f"{name}_age"] = pd.Series(age[mask], index=hit.index).groupby(hit["rec"].to_numpy()).min()
        out[f"{name}_when"] = hit["when"].groupby(hit["rec"].to_numpy()).max()


def _interactions(out: pd.DataFrame, lk: Linked, a: pd.DataFrame, age: np.ndarray, cutoff: pd.Timestamp, d: int,
                  s: RelationshipSettings) -> None:
    th = lk.threads[in_days(lk.threads["thread_day"], d - 89, d) & (lk.threads["thread_time"] <= cutoff)]
    started = th["thread_side"].eq("customer").to_numpy(dtype=bool)
    answered_ours = (th["thread_side"].eq("team") & (th["first_other_at"] <= cutoff)).fillna(False).to_numpy(bool)
    recent = age < 90
    typ = a["activity_type"].to_numpy(dtype=object)
    meet = a["two_way"].to_numpy(dtype=bool) & recent & np.isin(typ, ["appointment", "phonecall"])
    cust = a["side"].eq("customer").to_numpy(dtype=bool)
    out["interactions"] = _count(th, np.ones(len(th), dtype=bool)).add(_count(a, meet), fill_value=0)
    out["active"] = _count(th, started | answered_ours).add(_count(a, meet), fill_value=0)
    out["customer_started"] = _count(th, started).add(_count(a, meet & cust), fill_value=0)
    out["meetings"] = _count(a, recent & (typ == "appointment") & a["has_external"].to_numpy(dtype=bool))
    canceled = lk.acts[lk.acts["canceled"] & lk.acts["activity_type"].eq("appointment")
                       & in_days(lk.acts["start_day"], d - 89, d)]
    out["canceled"] = _count(canceled, np.ones(len(canceled), dtype=bool))
    planned = lk.acts[lk.acts["activity_type"].isin(["appointment", "phonecall"]) & ~lk.acts["canceled"]
                      & lk.acts["has_external"] & ~(lk.acts["created"] > cutoff).fillna(False)
                      & in_days(lk.acts["start_day"], d, d + UPCOMING_DAYS)]
    out["upcoming"] = _count(planned, ~(planned["done"] & (planned["when"] <= cutoff)).fillna(True).to_numpy(bool))
    turns = lk.turns[in_days(lk.turns["turn_day"], d - 89, d) & (lk.turns["turn_time"] <= cutoff)]
    answered = (turns["answered_at"] <= cutoff).fillna(False).to_numpy(dtype=bool)
    out["answered_turns"] = _count(turns, answered)
    hours = ((turns["answered_at"] - turns["turn_time"]).dt.total_seconds() / 3600).to_numpy()
    late = (d - turns["turn_day"].to_numpy(dtype=np.int64)) >= s.grace_days
    asked = answered | (turns["opener"].to_numpy(dtype=bool) & late)
    fast = answered & (hours <= s.response_target_hours)
    # Our team's turns are answered by the customer, and the customer's by our team.
    for side, who in (("team", "customer"), ("customer", "team")):
        mine = turns["side"].eq(side).to_numpy(dtype=bool)
        out[f"{who}_asked"] = _count(turns, mine & asked)
        out[f"{who}_answered"] = _count(turns, mine & answered)
        out[f"{who}_fast"] = _count(turns, mine & fast)
        hit = turns[mine & answered]
        out[f"{who}_hours"] = pd.Series(hours[mine & answered], index=hit.index).groupby(
            hit["rec"].to_numpy()).median()
    out["tail"] = _tail(a, age, s)


def _tail(a: pd.DataFrame, age: np.ndarray, s: RelationshipSettings) -> pd.Series:
    """Per record: our e-mails of the last year after the customer's last e-mail, at least ``grace_days`` old."""
    mail = (a["activity_type"].eq("email")).to_numpy(dtype=bool) & (age < 365)
    from_them = mail & a["side"].eq("customer").to_numpy(dtype=bool)
    when = a["when"].to_numpy(dtype="datetime64[ns]").view(np.int64)
    rec = a["rec"].to_numpy()
    last_in = pd.Series(np.where(from_them, when, np.iinfo(np.int64).min)).groupby(rec).max()
    ours = mail & a["side"].eq("team").to_numpy(dtype=bool) & (age >= s.grace_days)
    # No e-mail from them yet: the minimum time, so every one of ours is after it.
    return _count(a, ours & (when > last_in.reindex(rec).to_numpy()))


def engaged(people: pd.DataFrame) -> pd.DataFrame:
    """The rows of completed two-way activities in which a person actively took part.

    Customer senders and our recipients of their e-mails, meeting attendees and organisers, callers and
    called: a person only copied on a message is not engaged.
    """
    p = people[people["two_way"] & people["done"]]
    role, typ, internal = p["participation"], p["activity_type"], p["internal"]
    active = ((typ.eq("email") & ((role.eq(FROM) & ~internal) | (role.isin([TO, CC]) & internal)))
              | (typ.eq("appointment") & role.isin([REQUIRED, OPTIONAL, ORGANIZER]))
              | (typ.eq("phonecall") & role.isin([FROM, TO])))
    return p[active.fillna(False).to_numpy(dtype=bool)]


def _people(out: pd.DataFrame, lk: Linked, cutoff: pd.Timestamp, d: int) -> None:
    p = engaged(lk.people)
    ppl = p[in_days(p["day"], d - 89, d) & (p["when"] <= cutoff).fillna(False)].drop_duplicates([*KEY, "person"])
    out["people_customer"] = _count(ppl, ~ppl["internal"].to_numpy(dtype=bool))
    out["people_team"] = _count(ppl, ppl["internal"].to_numpy(dtype=bool))


def _deals(out: pd.DataFrame, a: pd.DataFrame, age: np.ndarray, records: pd.DataFrame, d: int) -> None:
    # Deal activity: what was regarding the deal itself, not everything else its contact did with the owner.
    deal = a["regarding"].to_numpy(dtype=bool) & a["rec"].map(
        records["record_type"].isin(["lead", "opportunity"])).fillna(False).to_numpy(dtype=bool)
    kinds = a["activity_type"].isin(["email", "appointment", "phonecall"]).to_numpy(dtype=bool)
    created = a["rec"].map(records["created_day"]).to_numpy(dtype=float)
    since = deal & kinds & ~(a["day"].to_numpy(dtype=float) < created)
    out["deal_30"] = _count(a, since & (age < 30))
    out["deal_all"] = _count(a, since)
    out["stage"] = records["stage"]
    out["age"] = d - records["created_day"].astype(float)
    out["slipped"] = (records["est_close_day"].astype(float) < d).astype(float).where(
        records["est_close_day"].notna(), 0.0)
