"""Connection strength 0–100 between people, from who wrote to, met or called whom.

The model (every constant is a keyword of :func:`connection_strengths`, defaults in :class:`StrengthParams`):

1. Each interaction gives each (sender, recipient) pair a weight
   ``channel × audience × reply × recency``:

   - *channel*: meeting 3, call 2, e-mail 1 (a meeting costs more than a mail, and says more);
   - *audience*: ``recipients^-audience_exponent`` (0.25), cc counted at half, and ×0.1 beyond
     ``mass_threshold`` (25) recipients (a mailing to 40 people says little about any of them);
   - *reply*: ×(1 + 0.5·depth/3) for answers (``In-Reply-To`` chain or a "Re:" subject), depth capped at 3:
     a thread is a conversation, a broadcast is not;
   - *recency*: ``exp(-ln 2 · age / half_life)`` — an interaction loses half its weight every ``half_life_days``
     (30; optionally mixed with a slower ``long_half_life_days`` at ``long_share``, 0 by default).

2. Per pair (direction ignored for the pair, kept for the parts): ``out`` and ``in`` are the weights of
   e-mails each way, ``meet`` those of meetings and calls (two-way by nature). The raw score is
   ``one_way·(out + in) + 2·(1 − one_way)·min(out, in) + meet``: a balanced exchange counts fully, a
   one-way stream (newsletters, unanswered prospecting) only ``one_way`` (0.6) of it.

3. Relationship age multiplies it by ``1 + age_bonus·min(1, days since first interaction / 365)``.

4. ``strength = 100·(1 − exp(−raw / scale))``: saturating, so a handful of recent two-way exchanges
   is a strong connection and hundreds do not run away.

The defaults were chosen on the Enron 2000-12-01 split (see ``README.md``) and are reported on later splits.

Every part is non-decreasing in every interaction's weight, and the age factor in the first
interaction's age, so one more interaction never lowers a pair's strength (property-tested).
Automated senders (no-reply, newsletters, notifications…) are not people: their messages are dropped.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, fields
from datetime import datetime

import numpy as np
import pandas as pd

from connector.errors import InsightError

CHANNELS = ("email", "meeting", "call")
REQUIRED_COLUMNS = ("timestamp", "sender", "recipients", "cc")

AUTOMATED_SENDER = re.compile(
    r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|newsletters?|notifications?|notify|alerts?|"
    r"mailer[-_.]?daemon|postmaster|bounces?|marketing|news|updates|digest|automated|auto[-_.]?confirm|"
    r"system|root|daemon|calendar|reminders?|billing|invoices?|receipts?|unsubscribe|mailer)"
    r"(?:[-_.+][^@]*)?@|@(?:[^@]*\.)?(?:mailchimp|sendgrid|mcsv|mandrillapp|amazonses|sparkpostmail|"
    r"hubspotemail|marketo|salesforce|exacttarget|bounce)\.",
    re.IGNORECASE,
)
"""Addresses that are machines, not people: their messages never make a connection."""

_REPLY_SUBJECT = re.compile(r"^\s*(?:(?:re|aw|sv|réf|rép|antw)\s*(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE)
_REPLY_PREFIX = re.compile(r"(?:re|aw|sv|réf|rép|antw)\s*(?:\[\d+\])?\s*:", re.IGNORECASE)


@dataclass(frozen=True)
class StrengthParams:
    """The constants of the strength model (see the module docstring for their role)."""

    half_life_days: float = 30.0
    long_half_life_days: float = 365.0
    long_share: float = 0.0
    one_way: float = 0.6
    age_bonus: float = 0.25
    scale: float = 6.0
    mass_threshold: int = 25
    audience_exponent: float = 0.25
    cc_factor: float = 0.5
    reply_bonus: float = 0.5
    meeting_weight: float = 3.0
    call_weight: float = 2.0
    email_weight: float = 1.0


def is_automated(address: str) -> bool:
    """True for no-reply, newsletter, notification and bulk-mail service addresses."""
    return bool(AUTOMATED_SENDER.search(address))


def _membership(internal: set[str] | Callable[[str], bool] | None) -> Callable[[str], bool] | None:
    if internal is None or callable(internal):
        return internal
    members = {a.lower() for a in internal}
    return members.__contains__


def _thread_depth(frame: pd.DataFrame) -> np.ndarray:
    """Reply depth per message (capped at 3), from the best evidence available.

    ``In-Reply-To`` of a known message: its depth + 1; else the position in its ``conversation_id``
    (Graph's conversationId: earlier messages of the conversation, in time order); else the number of
    "Re:" prefixes of the subject; else 0 (a new message). Messages must be sorted by time.
    """
    depth = np.zeros(len(frame), dtype=np.int8)
    known: dict[str, int] = {}
    seen_in_conversation: dict[str, int] = {}
    missing = pd.Series(pd.NA, index=frame.index)
    ids = frame["message_id"] if "message_id" in frame.columns else missing
    parents = frame["in_reply_to"] if "in_reply_to" in frame.columns else missing
    conversations = frame["conversation_id"] if "conversation_id" in frame.columns else missing
    subjects = frame["subject"] if "subject" in frame.columns else pd.Series("", index=frame.index)
    for pos, (mid, parent, conversation, subject) in enumerate(
            zip(ids, parents, conversations, subjects, strict=True)):
        d = 0
        has_conversation = isinstance(conversation, str) and bool(conversation)
        if has_conversation:
            earlier = seen_in_conversation.get(conversation, 0)
            seen_in_conversation[conversation] = earlier + 1
        if isinstance(parent, str) and parent:
            d = known.get(parent, 0) + 1
        elif has_conversation:
            d = earlier
        elif isinstance(subject, str):
            prefix = _REPLY_SUBJECT.match(subject)
            if prefix:
                d = len(_REPLY_PREFIX.findall(prefix.group(0)))
        d = min(d, 3)
        depth[pos] = d
        if isinstance(mid, str) and mid:
            known[mid] = d
    return depth


def _edges(frame: pd.DataFrame, now: pd.Timestamp, p: StrengthParams) -> pd.DataFrame:
    """One row per (message, sender, participant) with the weight that message gives the pair."""
    channel = (frame["channel"].astype("string").str.lower().fillna("email")
               if "channel" in frame.columns else pd.Series("email", index=frame.index, dtype="string"))
    unknown = ~channel.isin(CHANNELS)
    if unknown.any():
        raise InsightError(f"who knows whom: unknown channel(s) {sorted(set(channel[unknown]))[:5]}")
    n_to = frame["recipients"].map(len)
    n_cc = frame["cc"].map(len)
    audience = n_to + p.cc_factor * n_cc
    audience_w = np.maximum(audience.to_numpy(dtype=float), 1.0) ** -p.audience_exponent
    audience_w = np.where((n_to + n_cc).to_numpy() > p.mass_threshold, audience_w * 0.1, audience_w)
    channel_w = channel.map({"email": p.email_weight, "meeting": p.meeting_weight, "call": p.call_weight})
    depth = _thread_depth(frame)
    reply_w = 1.0 + p.reply_bonus * depth / 3.0
    age_days = ((now - frame["timestamp"]).dt.total_seconds() / 86400.0).clip(lower=0).to_numpy(dtype=float)
    # Two time scales: recent contact says most, but a long relationship fades slowly (Nudge's observation).
    decay = ((1.0 - p.long_share) * np.exp(-math.log(2) * age_days / p.half_life_days)
             + p.long_share * np.exp(-math.log(2) * age_days / p.long_half_life_days))
    base = pd.DataFrame({
        "msg": np.arange(len(frame)), "timestamp": frame["timestamp"].to_numpy(), "sender": frame["sender"].to_numpy(),
        "channel": channel.to_numpy(), "undecayed": channel_w.to_numpy(dtype=float) * audience_w * reply_w,
        "decay": decay, "is_reply": depth > 0,
    })
    parts = []
    for column, factor in (("recipients", 1.0), ("cc", p.cc_factor)):
        exploded = pd.DataFrame({"msg": np.arange(len(frame)), "other": frame[column].to_numpy()}).explode("other")
        exploded = exploded.dropna(subset=["other"])
        exploded["factor"] = factor
        parts.append(exploded)
    edges = pd.concat(parts, ignore_index=True).merge(base, on="msg", how="left")
    edges["other"] = edges["other"].astype(str)
    edges = edges[edges["other"] != edges["sender"]]
    # The same person in To and Cc of one message is one edge, at the To weight.
    edges = edges.sort_values("factor", ascending=False, kind="stable").drop_duplicates(["msg", "other"])
    edges["undecayed"] = edges["undecayed"] * edges["factor"]
    edges["weight"] = edges["undecayed"] * edges["decay"]
    return edges.drop(columns=["factor"])


def _largest_remainder(values: dict[str, float], total: int) -> dict[str, int]:
    """Integers summing to ``total``, proportional to ``values`` (so the tooltip adds up exactly)."""
    mass = sum(values.values())
    if total <= 0 or mass <= 0:
        return dict.fromkeys(values, 0)
    exact = {k: total * v / mass for k, v in values.items()}
    out = {k: int(math.floor(v)) for k, v in exact.items()}
    for k in sorted(exact, key=lambda k: exact[k] - out[k], reverse=True)[: total - sum(out.values())]:
        out[k] += 1
    return out


OUTPUT_COLUMNS = ("internal", "external", "strength", "raw", "email_count", "emails_sent", "emails_received",
                  "meeting_count", "call_count", "first_interaction", "last_interaction", "last_channel",
                  "components")


def connection_strengths(
    interactions: pd.DataFrame,
    *,
    now: datetime,
    internal: set[str] | Callable[[str], bool] | None,
    excluded_users: Iterable[str] = (),
    ignore_addresses: Collection[str] = (),
    **params: float,
) -> pd.DataFrame:
    """Strength of every (internal person, external person) pair that interacted before ``now``.

    Args:
        interactions: one row per message, meeting or call: ``timestamp`` (UTC), ``sender``, ``recipients``
            and ``cc`` (lists of addresses), optional ``channel`` (``email``/``meeting``/``call``, default
            e-mail), ``subject``, ``message_id``, ``in_reply_to``.
        now: the computation time; later interactions are ignored and recency is measured from it.
        internal: our people (a set of addresses or a predicate). ``None`` = every address is a person on
            both sides and pairs are unordered (reported once, ``internal`` < ``external``).
        excluded_users: addresses whose data must never be used (opted-out users, excluded groups): their
            messages are dropped before anything is computed.
        ignore_addresses: further addresses that are not people (shared mailboxes, distribution lists).
        **params: overrides of :class:`StrengthParams` fields.

    Returns:
        One row per pair, columns :data:`OUTPUT_COLUMNS`; ``strength`` is an int 0–100 and ``components``
        a JSON object whose ``points`` add up to the strength, with the facts behind them.

    Raises:
        InsightError: a required column is missing, a channel is unknown or a parameter is not a field of
            :class:`StrengthParams`.
    """
    names = {f.name for f in fields(StrengthParams)}
    unknown = sorted(set(params) - names)
    if unknown:
        raise InsightError(f"who knows whom: unknown parameter(s) {unknown}")
    p = StrengthParams(**params)
    missing = [c for c in REQUIRED_COLUMNS if c not in interactions.columns]
    if missing:
        raise InsightError(f"who knows whom: interactions lack column(s) {missing}")
    now_ts = pd.Timestamp(now)
    now_ts = now_ts.tz_localize("UTC") if now_ts.tzinfo is None else now_ts.tz_convert("UTC")
    is_internal = _membership(internal)
    drop = {a.lower() for a in excluded_users} | {a.lower() for a in ignore_addresses}

    frame = interactions[interactions["timestamp"].notna() & (interactions["timestamp"] <= now_ts)].copy()
    frame["sender"] = frame["sender"].astype("string").str.strip().str.lower()
    frame = frame[frame["sender"].notna() & ~frame["sender"].isin(drop)]
    frame = frame[~frame["sender"].map(is_automated).astype(bool)]

    def people(cell: object) -> list[str]:
        if not isinstance(cell, list | tuple | np.ndarray):
            return []
        out = [str(a).strip().lower() for a in cell if isinstance(a, str) and a.strip()]
        return [a for a in out if a not in drop and not is_automated(a)]

    frame["recipients"] = frame["recipients"].map(people)
    frame["cc"] = frame["cc"].map(people)
    frame = frame.sort_values("timestamp", kind="stable").reset_index(drop=True)
    if frame.empty:
        return _empty()
    edges = _edges(frame, now_ts, p)
    if edges.empty:
        return _empty()

    if is_internal is None:
        sender = edges["sender"].astype(str).to_numpy(dtype=object)
        other = edges["other"].to_numpy(dtype=object)
        first = sender < other
        edges = edges.assign(internal=np.where(first, sender, other), external=np.where(first, other, sender),
                             outgoing=first)
    else:
        sender_in = edges["sender"].map(is_internal).astype(bool)
        other_in = edges["other"].map(is_internal).astype(bool)
        edges = edges[sender_in != other_in]
        sender_in = sender_in[edges.index]
        edges = edges.assign(
            internal=np.where(sender_in, edges["sender"], edges["other"]),
            external=np.where(sender_in, edges["other"], edges["sender"]),
            outgoing=sender_in.to_numpy(),
        )
    if edges.empty:
        return _empty()
    return _aggregate(edges, now_ts, p)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="object") for c in OUTPUT_COLUMNS}).astype(
        {"strength": "int64", "raw": "float64", "email_count": "int64", "emails_sent": "int64",
         "emails_received": "int64", "meeting_count": "int64", "call_count": "int64"})


def _aggregate(edges: pd.DataFrame, now: pd.Timestamp, p: StrengthParams) -> pd.DataFrame:
    email = edges["channel"].eq("email")
    edges = edges.assign(
        w_out=np.where(email & edges["outgoing"], edges["weight"], 0.0),
        w_in=np.where(email & ~edges["outgoing"], edges["weight"], 0.0),
        w_meet=np.where(~email, edges["weight"], 0.0),
        u_all=edges["undecayed"],
        n_sent=(email & edges["outgoing"]).astype(int), n_recv=(email & ~edges["outgoing"]).astype(int),
        n_meet=edges["channel"].eq("meeting").astype(int), n_call=edges["channel"].eq("call").astype(int),
        n_reply=edges["is_reply"].astype(int),
    )
    g = edges.groupby(["internal", "external"], sort=True)
    agg = g.agg(out=("w_out", "sum"), inn=("w_in", "sum"), meet=("w_meet", "sum"), undecayed=("u_all", "sum"),
                sent=("n_sent", "sum"), recv=("n_recv", "sum"), meetings=("n_meet", "sum"),
                calls=("n_call", "sum"), replies=("n_reply", "sum"), first=("timestamp", "min"),
                last=("timestamp", "max"))
    last_channel = edges.sort_values("timestamp", kind="stable").groupby(["internal", "external"])["channel"].last()
    agg = agg.join(last_channel.rename("last_channel"))

    one_way = p.one_way * (agg["out"] + agg["inn"])
    mutual = 2.0 * (1.0 - p.one_way) * np.minimum(agg["out"], agg["inn"])
    base = one_way + mutual + agg["meet"]
    age_days = (now - agg["first"]).dt.total_seconds() / 86400.0
    age_factor = 1.0 + p.age_bonus * np.minimum(1.0, age_days.clip(lower=0) / 365.0)
    raw = base * age_factor
    strength = np.floor(100.0 * (1.0 - np.exp(-raw / p.scale)) + 0.5).astype(int).clip(0, 100)

    components = []
    for (one, mut, meet, b, af, s, row) in zip(one_way, mutual, agg["meet"], base, age_factor, strength,
                                                agg.itertuples(), strict=True):
        parts = {"messages": one, "reciprocity": mut, "meetings_calls": meet, "relationship_age": b * (af - 1.0)}
        total_emails = row.sent + row.recv
        components.append(json.dumps({
            "points": _largest_remainder(parts, int(s)),
            "emails_sent": int(row.sent), "emails_received": int(row.recv), "meetings": int(row.meetings),
            "calls": int(row.calls), "replies": int(row.replies),
            "reciprocity": round(min(row.sent, row.recv) / max(row.sent, row.recv), 3) if total_emails else None,
            "recency": round(float((row.out + row.inn + row.meet) / row.undecayed), 3) if row.undecayed else 0.0,
            "relationship_days": int((row.last - row.first).total_seconds() // 86400),
            "first_interaction": row.first.isoformat(), "last_interaction": row.last.isoformat(),
            "half_life_days": p.half_life_days,
        }, sort_keys=True))
    out = pd.DataFrame({
        "internal": agg.index.get_level_values(0), "external": agg.index.get_level_values(1),
        "strength": strength.to_numpy(), "raw": raw.to_numpy(), "email_count": (agg["sent"] + agg["recv"]).to_numpy(),
        "emails_sent": agg["sent"].to_numpy(), "emails_received": agg["recv"].to_numpy(),
        "meeting_count": agg["meetings"].to_numpy(), "call_count": agg["calls"].to_numpy(),
        "first_interaction": agg["first"].to_numpy(), "last_interaction": agg["last"].to_numpy(),
        "last_channel": agg["last_channel"].to_numpy(), "components": components,
    })
    return out.sort_values(["internal", "strength", "external"], ascending=[True, False, True],
                           kind="stable").reset_index(drop=True)
