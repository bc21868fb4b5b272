"""From messages to edges: one row per (message, internal person, external person) with its weight.

Addresses are worked on as integer codes (one per distinct address), so the per-address decisions
(automated sender? excluded? one of ours?) run once per address, not once per recipient row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from connector.insights.wkw.messages import CHANNELS, Messages

AUTOMATED_SENDER = re.compile(
    r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|newsletters?|notifications?|notify|alerts?|"
    r"mailer[-_.]?daemon|postmaster|bounces?|marketing|news|updates|digest|automated|auto[-_.]?confirm|"
    r"system|root|daemon|calendar|reminders?|billing|invoices?|receipts?|unsubscribe|mailer)"
    r"(?:[-_.+][^@]*)?@|@(?:[^@]*\.)?(?:mailchimp|sendgrid|mcsv|mandrillapp|amazonses|sparkpostmail|"
    r"hubspotemail|marketo|salesforce|exacttarget|bounce)\.",
    re.IGNORECASE,
)
"""Addresses that are machines, not people: their messages never make a connection."""

CHANNEL_CODES = {name: code for code, name in enumerate(CHANNELS)}


def is_automated(address: str) -> bool:
    """True for no-reply, newsletter, notification and bulk-mail service addresses."""
    return bool(AUTOMATED_SENDER.search(address))


Membership = Collection[str] | Callable[[str], bool] | None


@dataclass(frozen=True)
class Edges:
    """Columns of equal length, one row per (message, pair); ``addresses`` decodes the pair codes."""

    message: np.ndarray  # canonical rank of the message
    internal: np.ndarray  # address codes
    external: np.ndarray
    outgoing: np.ndarray  # bool: the internal side sent it (for unordered pairs: the first address did)
    channel: np.ndarray  # CHANNEL_CODES
    weight: np.ndarray  # channel × audience × reply × To/Cc, before any decay
    timestamp: np.ndarray  # int64 nanoseconds since the epoch, UTC
    is_reply: np.ndarray
    addresses: np.ndarray  # code → address (str objects)


@dataclass(frozen=True)
class Weights:
    """The per-message weighting constants (a subset of ``StrengthParams``)."""

    mass_threshold: int
    audience_exponent: float
    cc_factor: float
    reply_bonus: float
    channel_weights: tuple[float, float, float]  # email, meeting, call


def _flatten(lists: pa.ListArray) -> tuple[np.ndarray, pa.Array]:
    """(message row of each element, the elements)."""
    return (pc.list_parent_indices(lists).to_numpy(zero_copy_only=False).astype(np.int64),
            pc.list_flatten(lists))


def _codes(senders: pa.Array, to: pa.Array, cc: pa.Array) -> tuple[np.ndarray, ...]:
    """Address codes of senders, To and Cc elements (-1 for null), and the code → address table."""
    encoded = pc.dictionary_encode(pa.concat_arrays([a.cast(pa.large_string()) for a in (senders, to, cc)]))
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.int64)
    n_s, n_t = len(senders), len(to)
    addresses = np.asarray(encoded.dictionary.to_pylist(), dtype=object)
    return codes[:n_s], codes[n_s:n_s + n_t], codes[n_s + n_t:], addresses


def _usable(addresses: np.ndarray, drop: Collection[str]) -> np.ndarray:
    """Per address code: a person whose messages count (not automated, not excluded)."""
    return np.fromiter((a not in drop and not is_automated(a) for a in addresses), dtype=bool,
                       count=len(addresses))


def _internal_side(addresses: np.ndarray, internal: Membership) -> np.ndarray | None:
    if internal is None:
        return None
    if callable(internal):
        return np.fromiter((bool(internal(a)) for a in addresses), dtype=bool, count=len(addresses))
    members = {a.lower() for a in internal}
    return np.fromiter((a in members for a in addresses), dtype=bool, count=len(addresses))


def message_edges(messages: Messages, *, internal: Membership, drop: Collection[str], w: Weights) -> Edges:
    """The weighted edges of ``messages`` (from :func:`~.messages.prepare_messages`).

    A message gives each (sender, recipient) pair ``channel × audience × reply`` (× ``cc_factor`` for Cc):
    the audience discount counts the recipients that are people, Cc at ``cc_factor``, ×0.1 beyond
    ``mass_threshold``. The same person in To and Cc is one edge at the To weight. With ``internal``,
    only (internal, external) pairs are kept; without, every pair, ordered by address.
    """
    to_msg, to_addr = _flatten(messages.recipients)
    cc_msg, cc_addr = _flatten(messages.cc)
    sender, to, cc, addresses = _codes(messages.sender, to_addr, cc_addr)
    usable = np.append(_usable(addresses, drop), False)  # code -1 (not an address) is never usable
    keep_msg = usable[sender]
    to_ok, cc_ok = usable[to] & keep_msg[to_msg], usable[cc] & keep_msg[cc_msg]
    n_msg = len(messages)
    n_to = np.bincount(to_msg[to_ok], minlength=n_msg)
    n_cc = np.bincount(cc_msg[cc_ok], minlength=n_msg)
    audience = np.maximum(n_to + w.cc_factor * n_cc, 1.0) ** -w.audience_exponent
    audience = np.where(n_to + n_cc > w.mass_threshold, audience * 0.1, audience)
    channel, depth = messages.channel, messages.reply_depth
    per_message = (np.asarray(w.channel_weights)[channel] * audience * (1.0 + w.reply_bonus * depth / 3.0))
    msg = np.concatenate([to_msg[to_ok], cc_msg[cc_ok]])
    other = np.concatenate([to[to_ok], cc[cc_ok]])
    factor = np.concatenate([np.ones(int(to_ok.sum())), np.full(int(cc_ok.sum()), w.cc_factor)])
    # np.unique keeps the first occurrence: To rows come first, so To beats Cc for one person.
    n_addr = len(addresses) + 1
    _, first = np.unique(msg.astype(np.int64) * n_addr + other, return_index=True)
    msg, other, factor = msg[first], other[first], factor[first]
    me = sender[msg]
    not_self = other != me
    msg, other, factor, me = msg[not_self], other[not_self], factor[not_self], me[not_self]
    return _orient(msg, me, other, per_message[msg] * factor, channel, depth, messages, addresses, internal)


def _orient(msg: np.ndarray, sender: np.ndarray, other: np.ndarray, weight: np.ndarray, channel: np.ndarray,
            depth: np.ndarray, messages: Messages, addresses: np.ndarray, internal: Membership) -> Edges:
    side = _internal_side(addresses, internal)
    if side is None:
        rank = np.empty(len(addresses), dtype=np.int64)
        rank[np.argsort(addresses.astype(str), kind="stable")] = np.arange(len(addresses))
        outgoing = rank[sender] < rank[other]
    else:
        outgoing = side[sender]
        mixed = side[sender] != side[other]
        msg, sender, other, weight, outgoing = msg[mixed], sender[mixed], other[mixed], weight[mixed], outgoing[mixed]
    return Edges(message=messages.rank[msg], internal=np.where(outgoing, sender, other),
                 external=np.where(outgoing, other, sender), outgoing=outgoing, channel=channel[msg], weight=weight,
                 timestamp=messages.timestamp[msg], is_reply=depth[msg] > 0, addresses=addresses)
