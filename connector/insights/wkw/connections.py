"""From address-pair strengths to ``osi_connection`` rows, and the company roll-up.

Pairs are computed on e-mail addresses; Dataverse knows people by record. This module maps addresses
to colleagues (systemuser ids) and to contacts or leads, keeps the strongest colleagues per person and
shapes the rows. Privacy follows from the inputs: an excluded user is dropped here as well as upstream,
and a deleted contact is simply absent from the address map, so its rows are not produced (the load
step deletes rows it no longer sees).
"""

from __future__ import annotations

import math
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


def build_connections(
    strengths: pd.DataFrame,
    *,
    people: Mapping[str, Person | tuple[str, str, str | None]],
    users: Mapping[str, str],
    top_n: int = 5,
    excluded_users: Iterable[str] = (),
) -> pd.DataFrame:
    """``osi_connection`` rows: the ``top_n`` strongest colleagues of every known contact or lead.

    Args:
        strengths: output of :func:`~connector.insights.wkw.strength.connection_strengths` (internal/external
            addresses).
        people: external address → (person id, ``"contact"`` or ``"lead"``, account id or ``None``).
        users: internal address → systemuser id.
        top_n: colleagues kept per person (ranked 1 = strongest).
        excluded_users: systemuser ids or addresses whose connections must never be stored.

    Returns:
        Frame with :data:`OUTPUT_COLUMNS`. When several addresses map to the same colleague and person, the
        strongest pair stands for them and the counts are added up.

    Raises:
        InsightError: ``top_n`` is not positive or a person type is not contact/lead.
    """
    if top_n < 1:
        raise InsightError(f"who knows whom: top_n must be at least 1, got {top_n}")
    if strengths.empty:
        return _empty()
    excluded = {e.lower() for e in excluded_users}
    norm_people = {a.lower(): Person(*p) for a, p in people.items()}
    bad = {p.person_type for p in norm_people.values()} - {"contact", "lead"}
    if bad:
        raise InsightError(f"who knows whom: person type must be contact or lead, got {sorted(bad)}")
    norm_users = {a.lower(): u for a, u in users.items()}
    frame = strengths.assign(
        user_id=strengths["internal"].str.lower().map(norm_users),
        person=strengths["external"].str.lower().map(norm_people),
    )
    frame = frame[frame["user_id"].notna() & frame["person"].notna() & (frame["strength"] > 0)]
    frame = frame[~frame["user_id"].str.lower().isin(excluded) & ~frame["internal"].str.lower().isin(excluded)]
    if frame.empty:
        return _empty()
    frame = frame.assign(
        person_id=[p.person_id for p in frame["person"]], person_type=[p.person_type for p in frame["person"]],
        account_id=[p.account_id for p in frame["person"]],
    )
    frame = frame.sort_values(["strength", "raw", "last_interaction"], ascending=False, kind="stable")
    keys = ["user_id", "person_id"]
    totals = frame.groupby(keys)[["email_count", "meeting_count", "call_count"]].sum()
    by_time = frame.sort_values("last_interaction", kind="stable")
    last = by_time.groupby(keys)[["last_interaction", "last_channel"]].last()
    best = frame.drop_duplicates(keys, keep="first").set_index(keys)
    best = best.drop(columns=["email_count", "meeting_count", "call_count", "last_interaction", "last_channel"])
    merged = best.join(totals).join(last).reset_index()
    merged = merged.sort_values(["person_id", "strength", "raw", "last_interaction", "user_id"],
                                ascending=[True, False, False, False, True], kind="stable")
    merged["rank"] = merged.groupby("person_id").cumcount() + 1
    merged = merged[merged["rank"] <= top_n]
    out = pd.DataFrame({
        "osi_key": [connection_key(u, p) for u, p in zip(merged["user_id"], merged["person_id"], strict=True)],
        "osi_name": [f"{t} {p} by {u}"[:200] for t, p, u in
                     zip(merged["person_type"], merged["person_id"], merged["user_id"], strict=True)],
        "osi_userid": merged["user_id"].to_numpy(), "osi_personid": merged["person_id"].to_numpy(),
        "osi_persontype": merged["person_type"].to_numpy(), "osi_accountid": merged["account_id"].to_numpy(),
        "osi_strength": merged["strength"].astype(int).to_numpy(), "osi_rank": merged["rank"].astype(int).to_numpy(),
        "osi_lastinteractionon": merged["last_interaction"].to_numpy(),
        "osi_lastinteractiontype": [schema.ACTIVITY_TYPE.value(_CHANNEL_TYPE[c]) for c in merged["last_channel"]],
        "osi_emailcount": merged["email_count"].astype(int).to_numpy(),
        "osi_meetingcount": merged["meeting_count"].astype(int).to_numpy(),
        "osi_callcount": merged["call_count"].astype(int).to_numpy(),
        "osi_components": merged["components"].to_numpy(),
    })
    return out.astype(_DTYPES).reset_index(drop=True)


def company_rollup(
    strengths: pd.DataFrame,
    *,
    people: Mapping[str, Person | tuple[str, str, str | None]],
    users: Mapping[str, str],
    domains: Mapping[str, str] = {},  # noqa: B006 - read only
    excluded_users: Iterable[str] = (),
) -> pd.DataFrame:
    """How well each colleague knows each account, through its contacts/leads and its e-mail domains.

    An address belongs to an account through its contact or lead, else through its domain (``domains``:
    ``"contoso.com" → account id``; the company variant of Microsoft's graph). A colleague's strength with
    an account is ``100·(1 − Π(1 − s/100))`` over the people they know there: knowing several people is
    stronger than knowing one, never weaker, and it stays within 0–100.

    Returns:
        Columns ``user_id, account_id, strength, people, strongest_address`` sorted by account then
        strength (strongest first).
    """
    excluded = {e.lower() for e in excluded_users}
    norm_people = {a.lower(): Person(*p) for a, p in people.items()}
    norm_users = {a.lower(): u for a, u in users.items()}
    norm_domains = {d.lower().lstrip("@"): a for d, a in domains.items()}
    cols = ["user_id", "account_id", "strength", "people", "strongest_address"]
    if strengths.empty:
        return pd.DataFrame(columns=cols)

    def account_of(address: str) -> str | None:
        person = norm_people.get(address)
        if person is not None and person.account_id:
            return person.account_id
        return norm_domains.get(address.rsplit("@", 1)[-1])

    frame = strengths.assign(
        user_id=strengths["internal"].str.lower().map(norm_users),
        account_id=strengths["external"].str.lower().map(account_of),
    )
    frame = frame[frame["user_id"].notna() & frame["account_id"].notna() & (frame["strength"] > 0)]
    frame = frame[~frame["user_id"].str.lower().isin(excluded) & ~frame["internal"].str.lower().isin(excluded)]
    if frame.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for (user, account), group in frame.groupby(["user_id", "account_id"], sort=True):
        miss = float(np.prod(1.0 - group["strength"].to_numpy(dtype=float) / 100.0))
        top = group.sort_values(["strength", "raw"], ascending=False, kind="stable").iloc[0]
        rows.append({"user_id": user, "account_id": account, "strength": int(math.floor(100 * (1 - miss) + 0.5)),
                     "people": int(group["external"].nunique()), "strongest_address": top["external"]})
    return pd.DataFrame(rows, columns=cols).sort_values(
        ["account_id", "strength", "user_id"], ascending=[True, False, True], kind="stable").reset_index(drop=True)


def introduction_paths(
    colleagues: pd.DataFrame,
    connections: pd.DataFrame,
    *,
    top_n: int = 3,
    min_strength: int = 1,
) -> pd.DataFrame:
    """Second-degree paths: colleague → colleague who knows the person → person.

    Args:
        colleagues: strengths between our own people (``internal``, ``external``, ``strength``), e.g.
            :func:`~connector.insights.wkw.strength.connection_strengths` with ``internal=None`` over
            internal mail only; each pair is read in both directions.
        connections: strengths between our people and external people (``internal``, ``external``,
            ``strength``).
        top_n: best intermediaries kept per (colleague, person).
        min_strength: weaker links are not offered as a path.

    Returns:
        Columns ``colleague, via, person, strength, colleague_via, via_person``: ``strength`` is
        ``s(colleague, via) · s(via, person) / 100`` (a path is as good as both links together, and never
        better than its weakest), rounded; sorted by colleague, person, strength descending.
    """
    cols = ["colleague", "via", "person", "strength", "colleague_via", "via_person"]
    if colleagues.empty or connections.empty:
        return pd.DataFrame(columns=cols)
    links = colleagues[colleagues["strength"] >= min_strength][["internal", "external", "strength"]]
    both = pd.concat([links, links.rename(columns={"internal": "external", "external": "internal"})],
                     ignore_index=True).rename(columns={"internal": "colleague", "external": "via",
                                                        "strength": "colleague_via"})
    known = connections[connections["strength"] >= min_strength][["internal", "external", "strength"]].rename(
        columns={"internal": "via", "external": "person", "strength": "via_person"})
    paths = both.merge(known, on="via")
    paths = paths[paths["colleague"] != paths["via"]]
    if paths.empty:
        return pd.DataFrame(columns=cols)
    paths = paths.assign(strength=np.floor(paths["colleague_via"] * paths["via_person"] / 100.0 + 0.5).astype(int))
    paths = paths.sort_values(["colleague", "person", "strength", "via"], ascending=[True, True, False, True],
                              kind="stable")
    paths = paths.groupby(["colleague", "person"], sort=False).head(top_n)
    return paths[cols].reset_index(drop=True)
