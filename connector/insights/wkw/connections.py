"""From address-pair strengths to ``osi_connection`` rows.

Pairs are computed on e-mail addresses; Dataverse knows people by record. This module maps addresses
to colleagues (systemuser ids) and to contacts or leads, keeps the strongest colleagues per person and
shapes the rows. Privacy follows from the inputs: an excluded user is dropped here as well as upstream,
and a deleted contact is simply absent from the address map, so its rows are not produced (the load
step deletes rows it no longer sees).

Every ordering ends on ids, so the same strengths give the same rows whatever their row order.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import NamedTuple

import numpy as np
import pandas as pd

from connector import schema
from connector.errors import InsightError

OUTPUT_COLUMNS = ("osi_key", "osi_name", "osi_userid", "osi_personid", "osi_persontype", "osi_accountid",
                  "osi_strength", "osi_rank", "osi_lastinteractionon", "osi_lastinteractiontype", "osi_emailcount",
                  "osi_meetingcount", "osi_callcount", "osi_components")
"""Logical names of the ``osi_connection`` columns this module fills."""

_CHANNEL_TYPE = {"email": "Email", "meeting": "Meeting", "call": "Phone call"}
_PARTS = ("messages", "reciprocity", "meetings_calls", "relationship_age")


class Person(NamedTuple):
    """A contact or lead an address belongs to."""

    person_id: str
    person_type: str  # "contact" or "lead"
    account_id: str | None


def connection_key(user_id: str, person_id: str) -> str:
    """The natural key of a row: one row per colleague and person, so re-runs update in place."""
    return f"{user_id}|{person_id}"


_DTYPES = {
    "osi_key": "string", "osi_name": "string", "osi_userid": "string", "osi_personid": "string",
    "osi_persontype": "string", "osi_accountid": "string", "osi_strength": "Int64", "osi_rank": "Int64",
    "osi_lastinteractionon": "datetime64[ns, UTC]", "osi_lastinteractiontype": "Int64", "osi_emailcount": "Int64",
    "osi_meetingcount": "Int64", "osi_callcount": "Int64", "osi_components": "string",
}


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=_DTYPES[c]) for c in OUTPUT_COLUMNS})


def largest_remainder(values: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Per row, integers summing to the row's total, proportional to its values (the tooltip adds up).

    Ties in the remainder go to the earlier column, so the split depends only on the values.
    """
    values = np.asarray(values, dtype=float)
    totals = np.asarray(totals, dtype=np.int64)
    mass = values.sum(axis=1)
    ok = (totals > 0) & (mass > 0)
    exact = np.where(ok[:, None], values * totals[:, None] / np.where(ok, mass, 1.0)[:, None], 0.0)
    out = np.floor(exact).astype(np.int64)
    missing = np.where(ok, totals - out.sum(axis=1), 0)
    order = np.argsort(-(exact - out), axis=1, kind="stable")
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.arange(values.shape[1])[None, :].repeat(len(values), axis=0), axis=1)
    return out + (rank < missing[:, None])


def _iso(times: pd.Series) -> list[str]:
    stamps = pd.to_datetime(times, utc=True).to_numpy(dtype="datetime64[ns]")
    return [f"{t}+00:00" for t in np.datetime_as_string(stamps.astype("datetime64[s]"), unit="s")]


def components_json(rows: pd.DataFrame, *, half_life_days: float = 30.0) -> list[str]:
    """The tooltip JSON of each strength row: integer ``points`` adding up to the strength, and the facts.

    Only stable facts are stored (counts, absolute dates, the share of each part): between two recency
    steps nothing in it moves, and the parts keep their proportions until the pair's data changes.
    Keys are sorted; every value is a number, ``null`` or an ISO date, so the text is valid JSON.
    """
    points = largest_remainder(rows[[f"part_{p}" for p in _PARTS]].to_numpy(dtype=float),
                               rows["strength"].to_numpy(dtype=np.int64)).tolist()
    sent, received = rows["emails_sent"].to_numpy(dtype=np.int64), rows["emails_received"].to_numpy(dtype=np.int64)
    both = np.maximum(sent, received)
    ratio = np.round(np.minimum(sent, received) / np.where(both > 0, both, 1), 3)
    reciprocity = [repr(float(r)) if b else "null" for r, b in zip(ratio.tolist(), both.tolist(), strict=True)]
    span = ((rows["last_interaction"] - rows["first_interaction"]).to_numpy(dtype="timedelta64[s]")
            .astype(np.int64) // 86400).tolist()
    first, last = _iso(rows["first_interaction"]), _iso(rows["last_interaction"])
    columns = zip(points, sent.tolist(), received.tolist(), rows["meeting_count"].tolist(), rows["call_count"].tolist(),
                  rows["replies"].tolist(), reciprocity, span, first, last, strict=True)
    half_life = json.dumps(float(half_life_days))
    return [
        f'{{"calls": {c}, "emails_received": {r}, "emails_sent": {s}, "first_interaction": "{f}", '
        f'"half_life_days": {half_life}, "last_interaction": "{la}", "meetings": {m}, "points": '
        f'{{"messages": {p[0]}, "reciprocity": {p[1]}, "meetings_calls": {p[2]}, "relationship_age": {p[3]}}}, '
        f'"reciprocity": {rec}, "relationship_days": {d}, "replies": {rep}}}'
        for p, s, r, m, c, rep, rec, d, f, la in columns
    ]


def _lookup(mapping: Mapping[str, object], columns: list[str]) -> pd.DataFrame:
    """Address (lower-case) → the mapping's values as columns; addresses equal but for case: smallest value wins."""
    values = list(mapping.values())
    frame = pd.DataFrame(values if columns[1:] else {columns[0]: values}, columns=columns, dtype=object)
    frame["address"] = [a.lower() for a in mapping]
    frame = frame.sort_values(["address", columns[0]], kind="stable").drop_duplicates("address")
    return frame.set_index("address")


def _attributed(strengths: pd.DataFrame, people: Mapping[str, Person | tuple[str, str, str | None]],
                users: Mapping[str, str], excluded_users: Iterable[str]) -> pd.DataFrame:
    """The strength rows of known colleagues and people, with ``user_id`` and the person's fields.

    Raises:
        InsightError: a person type is not contact/lead.
    """
    excluded = {e.lower() for e in excluded_users}
    person_of = _lookup(people, ["person_id", "person_type", "account_id"])
    bad = set(person_of["person_type"]) - {"contact", "lead"}
    if bad:
        raise InsightError(f"who knows whom: person type must be contact or lead, got {sorted(map(str, bad))}")
    user_of = _lookup(users, ["user_id"])
    user_of = user_of[~user_of.index.isin(excluded) & ~user_of["user_id"].str.lower().isin(excluded)]
    frame = strengths.assign(user_address=strengths["internal"].str.lower().to_numpy(dtype=object),
                             person_address=strengths["external"].str.lower().to_numpy(dtype=object))
    frame = frame.merge(user_of, left_on="user_address", right_index=True, how="inner", sort=False)
    frame = frame.merge(person_of, left_on="person_address", right_index=True, how="inner", sort=False)
    return frame.drop(columns=["user_address", "person_address"]).reset_index(drop=True)


def build_connections(
    strengths: pd.DataFrame,
    *,
    people: Mapping[str, Person | tuple[str, str, str | None]],
    users: Mapping[str, str],
    top_n: int = 5,
    excluded_users: Iterable[str] = (),
    half_life_days: float = 30.0,
) -> pd.DataFrame:
    """``osi_connection`` rows: the ``top_n`` strongest colleagues of every known contact or lead.

    Args:
        strengths: output of :func:`~connector.insights.wkw.strength.connection_strengths` (or
            :func:`~connector.insights.wkw.strength.strengths_at`) on internal/external addresses.
        people: external address → (person id, ``"contact"`` or ``"lead"``, account id or ``None``).
        users: internal address → systemuser id.
        top_n: colleagues kept per person (ranked 1 = strongest; ties by raw score, last interaction,
            then systemuser id).
        excluded_users: systemuser ids or addresses whose connections must never be stored.
        half_life_days: the strength model's half-life, quoted in the components.

    Returns:
        Frame with :data:`OUTPUT_COLUMNS`. When several addresses map to the same colleague and person, the
        strongest pair stands for them (its components) and the counts are added up.

    Raises:
        InsightError: ``top_n`` is not positive or a person type is not contact/lead.
    """
    if top_n < 1:
        raise InsightError(f"who knows whom: top_n must be at least 1, got {top_n}")
    if strengths.empty:
        return _empty()
    frame = _attributed(strengths, people, users, excluded_users)
    frame = frame[frame["strength"] > 0]
    if frame.empty:
        return _empty()
    keys = ["user_id", "person_id"]
    # The strongest address pair stands for a colleague and person; ties end on the addresses.
    frame = frame.sort_values([*keys, "strength", "raw", "last_interaction", "internal", "external"],
                              ascending=[True, True, False, False, False, True, True], kind="stable")
    best = frame.drop_duplicates(keys).set_index(keys)
    totals = frame.groupby(keys, sort=False)[["email_count", "meeting_count", "call_count"]].sum()
    latest = frame.sort_values([*keys, "last_interaction", "internal", "external"],
                               ascending=[True, True, False, True, True], kind="stable").drop_duplicates(keys)
    latest = latest.set_index(keys)[["last_interaction", "last_channel"]]
    merged = best.join(totals.add_prefix("total_")).join(latest.add_prefix("latest_")).reset_index()
    merged = merged.sort_values(["person_id", "strength", "raw", "last_interaction", "user_id"],
                                ascending=[True, False, False, False, True], kind="stable")
    merged["rank"] = merged.groupby("person_id", sort=False).cumcount() + 1
    merged = merged[merged["rank"] <= top_n].reset_index(drop=True)
    return _rows(merged, half_life_days)


def _rows(merged: pd.DataFrame, half_life_days: float) -> pd.DataFrame:
    users, persons = merged["user_id"].tolist(), merged["person_id"].tolist()
    out = pd.DataFrame({
        "osi_key": [connection_key(u, p) for u, p in zip(users, persons, strict=True)],
        "osi_name": [f"{t} {p} by {u}"[:200] for t, p, u in zip(merged["person_type"], persons, users, strict=True)],
        "osi_userid": users, "osi_personid": persons,
        "osi_persontype": merged["person_type"].to_numpy(), "osi_accountid": merged["account_id"].to_numpy(),
        "osi_strength": merged["strength"].to_numpy(dtype=np.int64),
        "osi_rank": merged["rank"].to_numpy(dtype=np.int64),
        "osi_lastinteractionon": pd.to_datetime(merged["latest_last_interaction"], utc=True).array,
        "osi_lastinteractiontype": [schema.ACTIVITY_TYPE.value(_CHANNEL_TYPE[c])
                                    for c in merged["latest_last_channel"]],
        "osi_emailcount": merged["total_email_count"].to_numpy(dtype=np.int64),
        "osi_meetingcount": merged["total_meeting_count"].to_numpy(dtype=np.int64),
        "osi_callcount": merged["total_call_count"].to_numpy(dtype=np.int64),
        "osi_components": components_json(merged, half_life_days=half_life_days),
    })
    return out.astype(_DTYPES).reset_index(drop=True)


def next_change(
    strengths: pd.DataFrame,
    *,
    people: Mapping[str, Person | tuple[str, str, str | None]],
    users: Mapping[str, str],
    excluded_users: Iterable[str] = (),
) -> pd.Series:
    """Per person id, the earliest time its rows can change with no new data (``NaT``: never).

    A person's rows depend on all of its pairs (a pair outside the top N can overtake one inside), so
    this is the earliest ``valid_until`` of any of them. Recompute a person at or after this time, or
    when one of its interactions changes; before it, :func:`build_connections` gives the same rows.

    Raises:
        InsightError: a person type is not contact/lead.
    """
    frame = _attributed(strengths, people, users, excluded_users)
    return frame.groupby("person_id", sort=True)["valid_until"].min().rename("valid_until")


__all__ = ["OUTPUT_COLUMNS", "Person", "build_connections", "components_json", "connection_key", "next_change"]
