"""Connection strength 0–100 between people, from who wrote to, met or called whom.

The model (every constant is a field of :class:`StrengthParams`, passed as ``params``):

1. Each interaction gives each (sender, recipient) pair a weight ``channel × audience × reply``:

   - *channel*: meeting 3, call 2, e-mail 1 (a meeting costs more than a mail, and says more);
   - *audience*: ``recipients^-audience_exponent`` (0.25), cc counted at half, and ×0.1 beyond
     ``mass_threshold`` (25) recipients (a mailing to 40 people says little about any of them);
   - *reply*: ×(1 + 0.5·depth/3) for answers (``In-Reply-To`` chain, conversation or a "Re:" subject),
     depth capped at 3: a thread is a conversation, a broadcast is not.

2. Per pair, the weights are summed as of the pair's last interaction, each halved every
   ``half_life_days`` (30) of age at that moment: ``out`` and ``in`` for e-mails each way, ``meet`` for
   meetings and calls (two-way by nature). These sums are facts of the history (:mod:`.aggregates`).

3. *Recency* since the last interaction moves in steps: the sums keep their weight for the first
   ``recency_step_days`` (30) calendar days after the last interaction (in the organisation's time
   zone), then halve at each further step of that length (``2^(-held/half_life)``, ``held`` = whole
   steps elapsed, in days). Between two steps nothing about the pair changes, so a run an hour or a day
   later stores the same values unless a step was crossed; steps fall on each pair's own dates, so only
   a small share of the pairs move on any one day.

4. The raw score is ``one_way·(out + in) + 2·(1 − one_way)·min(out, in) + meet`` (a balanced exchange
   counts fully, a one-way stream only ``one_way`` = 0.6 of it), times the recency factor, times the
   relationship-age factor ``1 + age_bonus·min(1, (last − first + held) / 365 days)``.

5. ``strength = 100·(1 − exp(−raw / scale))``, rounded half up: saturating, so a handful of recent
   two-way exchanges is a strong connection and hundreds do not run away.

The defaults were chosen on the Enron 2000-12-01 split (see ``README.md``) and are reported on later splits.

Every part is non-decreasing in every interaction's weight and in the span of the relationship, so one
more interaction never lowers a pair's strength (property-tested). Automated senders (no-reply,
newsletters, notifications…) are not people: their messages are dropped.
"""

from __future__ import annotations

import zlib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import datetime

import numpy as np
import pandas as pd

from connector.errors import InsightError
from connector.insights.wkw.aggregates import AGGREGATE_COLUMNS, NS_PER_DAY, aggregate_edges
from connector.insights.wkw.edges import Membership, Weights, message_edges
from connector.insights.wkw.messages import prepare_messages
from connector.insights.wkw.recency import calendar_days, day_starts


@dataclass(frozen=True)
class StrengthParams:
    """The constants of the strength model (see the module docstring for their role)."""

    half_life_days: float = 30.0
    recency_step_days: int = 30
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

    def __post_init__(self) -> None:
        """Refuse steps that are not whole days and a half-life that is not positive.

        Raises:
            InsightError: ``recency_step_days`` is not a whole number ≥ 1, or ``half_life_days`` ≤ 0.
        """
        if int(self.recency_step_days) != self.recency_step_days or self.recency_step_days < 1:
            raise InsightError(f"who knows whom: recency_step_days must be a whole number of days ≥ 1, "
                               f"got {self.recency_step_days}")
        if not self.half_life_days > 0:
            raise InsightError(f"who knows whom: half_life_days must be positive, got {self.half_life_days}")

    @classmethod
    def of(cls, overrides: Mapping[str, float]) -> StrengthParams:
        """The defaults with ``overrides`` applied (e.g. a tuning grid's point).

        Raises:
            InsightError: a name is not a field, or a value is out of range (see ``__post_init__``).
        """
        unknown = sorted(set(overrides) - {f.name for f in fields(cls)})
        if unknown:
            raise InsightError(f"who knows whom: unknown parameter(s) {unknown}")
        return replace(cls(), **overrides)  # type: ignore[arg-type]  # names checked above, values in __post_init__

    def weights(self) -> Weights:
        """The per-message constants."""
        return Weights(mass_threshold=self.mass_threshold, audience_exponent=self.audience_exponent,
                       cc_factor=self.cc_factor, reply_bonus=self.reply_bonus,
                       channel_weights=(self.email_weight, self.meeting_weight, self.call_weight))


OUTPUT_COLUMNS = ("internal", "external", "strength", "raw", "email_count", "emails_sent", "emails_received",
                  "meeting_count", "call_count", "replies", "first_interaction", "last_interaction",
                  "last_channel", "part_messages", "part_reciprocity", "part_meetings_calls",
                  "part_relationship_age", "valid_until")
"""``part_*`` split ``raw`` into what it comes from (they add up to ``raw``); ``valid_until`` is the
earliest time the pair's values can change without new data (its next recency step, or its next
interaction dated after the computation time)."""


def _utc(when: datetime | pd.Timestamp) -> pd.Timestamp:
    ts = pd.Timestamp(when)
    return ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")


def pair_aggregates(
    interactions: pd.DataFrame,
    *,
    now: datetime,
    internal: Membership,
    excluded_users: Iterable[str] = (),
    ignore_addresses: Collection[str] = (),
    people: Iterable[str] | None = None,
    params: StrengthParams | None = None,
) -> pd.DataFrame:
    """The clock-free per-pair sums (:data:`~.aggregates.AGGREGATE_COLUMNS`) of the interactions up to ``now``.

    Arguments as :func:`connection_strengths`. Interactions after ``now`` only set ``upcoming``.

    Raises:
        InsightError: as :func:`connection_strengths`.
    """
    p = params or StrengthParams()
    messages = prepare_messages(interactions)
    drop = {a.lower() for a in excluded_users} | {a.lower() for a in ignore_addresses}
    edges = message_edges(messages, internal=internal, drop=drop, w=p.weights())
    chosen = None if people is None else {a.strip().lower() for a in people}
    return aggregate_edges(edges, now_ns=_utc(now).value, half_life_days=p.half_life_days, people=chosen)


def step_phase(external: pd.Series, step_days: int) -> np.ndarray:
    """The offset (0 ≤ offset < step) of each pair's recency steps: a hash of its external address.

    The offset depends on nothing that changes, so a pair always steps on the same calendar days; the
    people's steps are spread evenly over the days of a period; and all the colleagues who know one
    person step together, so they are always compared as of the same moment.
    """
    return np.fromiter((zlib.crc32(e.encode()) % step_days for e in external.tolist()), dtype=np.int64,
                       count=len(external))


def strengths_at(aggregates: pd.DataFrame, *, now: datetime, timezone: str = "UTC",
                 params: StrengthParams | None = None) -> pd.DataFrame:
    """Strength of every aggregated pair as of ``now`` (columns :data:`OUTPUT_COLUMNS`).

    Pairs whose interactions all lie after ``now`` come out with strength 0 and no history; their
    ``valid_until`` is their first interaction.

    Raises:
        InsightError: ``timezone`` is not an IANA zone name.
    """
    p = params or StrengthParams()
    a = aggregates.reset_index(drop=True)
    step = int(p.recency_step_days)
    today = calendar_days(pd.Series([_utc(now)]), timezone)[0]
    period = today - (today + step_phase(a["external"], step)) % step
    reference = day_starts(period, timezone).asi8 + step * NS_PER_DAY // 2
    known = a["last_interaction"].notna().to_numpy(dtype=bool)
    last = a["last_interaction"].to_numpy(dtype="datetime64[ns]").astype(np.int64)
    first = a["first_interaction"].to_numpy(dtype="datetime64[ns]").astype(np.int64)
    since_last = np.where(known, reference - np.where(known, last, reference), 0) / NS_PER_DAY
    recency = np.where(known, np.exp2(-since_last / p.half_life_days), 0.0)
    out, inn, meet = (a[c].to_numpy(dtype=float) * recency for c in ("out", "inn", "meet"))
    messages = p.one_way * (out + inn)
    reciprocity = 2.0 * (1.0 - p.one_way) * np.minimum(out, inn)
    base = messages + reciprocity + meet
    since_first = (reference - np.where(known, first, reference)) / NS_PER_DAY
    age = p.age_bonus * np.clip(since_first / 365.0, 0.0, 1.0)
    raw = base * (1.0 + age)
    strength = np.clip(np.floor(100.0 * (1.0 - np.exp(-raw / p.scale)) + 0.5), 0, 100).astype(np.int64)
    next_step = pd.Series(day_starts(period + step, timezone)).where(known & (strength > 0))
    valid_until = pd.concat([next_step, a["upcoming"]], axis=1).min(axis=1)
    frame = pd.DataFrame({
        "internal": a["internal"], "external": a["external"], "strength": strength, "raw": raw,
        "email_count": a["emails_sent"] + a["emails_received"], "emails_sent": a["emails_sent"],
        "emails_received": a["emails_received"], "meeting_count": a["meeting_count"], "call_count": a["call_count"],
        "replies": a["replies"], "first_interaction": a["first_interaction"],
        "last_interaction": a["last_interaction"], "last_channel": a["last_channel"],
        "part_messages": messages, "part_reciprocity": reciprocity, "part_meetings_calls": meet,
        "part_relationship_age": base * age, "valid_until": pd.to_datetime(valid_until, utc=True),
    })
    return frame.sort_values(["internal", "strength", "external"], ascending=[True, False, True],
                             kind="stable").reset_index(drop=True)


def connection_strengths(
    interactions: pd.DataFrame,
    *,
    now: datetime,
    internal: Membership,
    excluded_users: Iterable[str] = (),
    ignore_addresses: Collection[str] = (),
    timezone: str = "UTC",
    people: Iterable[str] | None = None,
    params: StrengthParams | None = None,
) -> pd.DataFrame:
    """Strength of every (internal person, external person) pair that interacted up to ``now``.

    Args:
        interactions: one row per message, meeting or call: ``timestamp`` (UTC), ``sender``, ``recipients``
            and ``cc`` (lists of addresses), optional ``channel`` (``email``/``meeting``/``call``, default
            e-mail), ``subject``, ``message_id``, ``in_reply_to``, ``conversation_id`` and ``reply_depth``
            (when the caller computed it over all messages, see :func:`~.messages.reply_depths`).
        now: the computation time; later interactions are ignored (they only bound ``valid_until``).
        internal: our people (a set of addresses or a predicate). ``None`` = every address is a person on
            both sides and pairs are unordered (reported once, ``internal`` < ``external``).
        excluded_users: addresses whose data must never be used (opted-out users, excluded groups): their
            messages are dropped before anything is computed.
        ignore_addresses: further addresses that are not people (shared mailboxes, distribution lists).
        timezone: the organisation's IANA time zone: recency counts its calendar days.
        people: compute only the pairs with one of these addresses on either side. Given every
            interaction of those people (and a ``reply_depth`` column computed over all messages), the
            rows equal those of a computation over all interactions.
        params: the model's constants (:class:`StrengthParams` defaults when ``None``).

    Returns:
        One row per pair, columns :data:`OUTPUT_COLUMNS`, sorted by internal, strength (strongest first),
        external; ``strength`` is an int 0–100.

    Raises:
        InsightError: a required column is missing, a channel is unknown or ``timezone`` is unknown.
    """
    aggregates = pair_aggregates(interactions, now=now, internal=internal, excluded_users=excluded_users,
                                 ignore_addresses=ignore_addresses, people=people, params=params)
    out = strengths_at(aggregates[aggregates["last_interaction"].notna()], now=now, timezone=timezone, params=params)
    return out.reset_index(drop=True)


__all__ = ["AGGREGATE_COLUMNS", "OUTPUT_COLUMNS", "StrengthParams", "connection_strengths", "pair_aggregates",
           "strengths_at"]
