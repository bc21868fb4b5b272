"""The messages who-knows-whom reads: checked, in one canonical order, each counted once, with reply depth.

Identical input in any row order must give identical strengths, so everything downstream follows one
order that depends only on the messages' content: by time, then (for messages sent at the same
instant) by every field the computation reads. A message id seen twice (the same e-mail tracked by two
users, or read from the CRM and from a mailbox) is one message: its first copy in that order is kept.

Columns are Arrow arrays and NumPy arrays: a medium organisation has about a million addresses in
recipient lists, and nothing here takes a Python step per address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from connector.errors import InsightError

CHANNELS = ("email", "meeting", "call")
REQUIRED_COLUMNS = ("timestamp", "sender", "recipients", "cc")
TEXT_COLUMNS = ("subject", "message_id", "in_reply_to", "conversation_id")
MAX_DEPTH = 3
ADDRESS_LIST = pa.list_(pa.large_string())

_REPLY_SUBJECT = re.compile(r"^\s*(?:(?:re|aw|sv|réf|rép|antw)\s*(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE)
_REPLY_PREFIX = re.compile(r"(?:re|aw|sv|réf|rép|antw)\s*(?:\[\d+\])?\s*:", re.IGNORECASE)


@dataclass(frozen=True)
class Messages:
    """Columns of equal length; ``rank`` orders the rows canonically (smaller = earlier)."""

    timestamp: np.ndarray  # int64 nanoseconds since the epoch, UTC
    sender: pa.Array  # lower-case address
    recipients: pa.ListArray  # lower-case addresses (null: not an address)
    cc: pa.ListArray
    channel: np.ndarray  # int8 index into CHANNELS
    subject: pa.Array
    message_id: pa.Array  # null when absent or empty (also the other text columns)
    in_reply_to: pa.Array
    conversation_id: pa.Array
    reply_depth: np.ndarray  # int8, 0..MAX_DEPTH
    rank: np.ndarray  # int64

    def __len__(self) -> int:
        return len(self.timestamp)

    def where(self, keep: np.ndarray) -> Messages:
        """The rows where ``keep`` is true, in the same order."""
        if keep.all():
            return self
        mask = pa.array(keep)
        return Messages(**{f.name: (getattr(self, f.name)[keep] if isinstance(getattr(self, f.name), np.ndarray)
                                    else getattr(self, f.name).filter(mask)) for f in fields(self)})

    def to_frame(self) -> pd.DataFrame:
        """The rows as an interactions frame (``recipients``/``cc`` as Arrow list columns)."""
        def text(values: pa.Array) -> pd.Series:
            return pd.Series(pd.array(values, dtype="string"))

        return pd.DataFrame({
            "timestamp": pd.to_datetime(self.timestamp, unit="ns", utc=True), "sender": text(self.sender),
            "recipients": pd.arrays.ArrowExtensionArray(self.recipients),
            "cc": pd.arrays.ArrowExtensionArray(self.cc),
            "channel": pd.Series(np.asarray(CHANNELS, dtype=object)[self.channel], dtype="string"),
            **{c: text(getattr(self, c)) for c in TEXT_COLUMNS}, "reply_depth": self.reply_depth,
        })


def run_starts(*keys: np.ndarray) -> np.ndarray:
    """For rows sorted by ``keys``: True where a run of equal keys begins (the first row always)."""
    n = len(keys[0])
    starts = np.zeros(n, dtype=bool)
    if n:
        starts[0] = True
        for key in keys:
            starts[1:] |= key[1:] != key[:-1]
    return starts


def address_list(cell: object) -> list[object]:
    """The elements of a recipients/cc cell: a list, tuple or array; anything else holds none."""
    if isinstance(cell, list):
        return cell
    if isinstance(cell, tuple | np.ndarray):
        return list(cell)
    return []


def _arrow(values: pd.Series) -> pa.Array:
    """The column as one Arrow array (a chunked column is joined)."""
    arr = pa.array(values)
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def _text(column: pd.Series | None, n: int) -> pa.Array:
    """Trimmed strings; null for missing or empty values (and for anything that is not text)."""
    if column is None:
        return pa.nulls(n, pa.large_string())
    values = column if isinstance(column.dtype, pd.StringDtype) else column.where(column.map(type).eq(str))
    arr = pc.utf8_trim_whitespace(_arrow(values.astype("string")).cast(pa.large_string()))
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.large_string()), arr)


def address_lists(cells: list[object]) -> pa.ListArray:
    """Recipient cells (lists, tuples, arrays; anything else holds none) as one Arrow list array.

    Elements that are not strings become nulls (dropped by the edges). A string cell is not a list:
    Arrow would read it as a list of characters, so it is checked for first.
    """
    if any(isinstance(c, str | bytes) for c in cells):
        cells = [address_list(c) for c in cells]
    try:
        return pa.array(cells, type=ADDRESS_LIST)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # a malformed cell or element: clean every cell
        return pa.array([[a if isinstance(a, str) else None for a in address_list(c)] for c in cells],
                        type=ADDRESS_LIST)


def _lists(column: pd.Series) -> pa.ListArray:
    """Recipient lists as Arrow, addresses trimmed and lower-cased, empty ones null."""
    if isinstance(column.dtype, pd.ArrowDtype) and pa.types.is_list(column.dtype.pyarrow_dtype):
        raw = _arrow(column).cast(ADDRESS_LIST)
    else:
        raw = address_lists(column.tolist())
    lengths = pc.fill_null(pc.list_value_length(raw), 0).to_numpy(zero_copy_only=False)
    values = pc.utf8_lower(pc.utf8_trim_whitespace(pc.list_flatten(raw)))
    values = pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.large_string()), values)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), values, type=ADDRESS_LIST)


def _channels(column: pd.Series | None, n: int) -> np.ndarray:
    if column is None:
        return np.zeros(n, dtype=np.int8)
    names = pc.fill_null(pc.utf8_lower(_text(column, n)), "email")
    codes = pc.index_in(names, value_set=pa.array(CHANNELS, pa.large_string()))
    unknown = pc.is_null(codes).to_numpy(zero_copy_only=False)
    if unknown.any():
        bad = sorted(set(names.filter(pa.array(unknown)).to_pylist()))[:5]
        raise InsightError(f"who knows whom: unknown channel(s) {bad}")
    return np.asarray(codes.to_numpy(zero_copy_only=False), dtype=np.int8)


def _dense(values: pa.Array) -> np.ndarray:
    """Sort codes of text values: equal values equal codes, order as the text sorts (nulls last)."""
    ranks = pc.rank(values, sort_keys="ascending", tiebreaker="dense").to_numpy(zero_copy_only=False)
    return np.asarray(ranks, dtype=np.int64)


def _group_ids(group: np.ndarray, code: np.ndarray) -> np.ndarray:
    """Ids of the distinct (group, code) pairs."""
    return np.asarray(pd.factorize(group * (int(code.max(initial=0)) + 2) + (code + 1))[0], dtype=np.int64)


_TIE_BREAKERS = ("message_id", "sender", "subject", "in_reply_to", "conversation_id", "recipients", "cc", "channel",
                 "reply_depth")
"""The fields that order messages sent at the same instant, in the order they are read."""


def _tie_codes(m: Messages, name: str, rows: np.ndarray) -> np.ndarray:
    """Sort codes of one field for the given rows (lists compare as their joined text)."""
    values = getattr(m, name)
    if isinstance(values, np.ndarray):
        return np.asarray(values[rows], dtype=np.int64)
    chosen = values.take(pa.array(rows))
    if isinstance(chosen, pa.ListArray):
        chosen = pc.binary_join(chosen, pa.scalar(";", pa.large_string()))
    return _dense(chosen)


def canonical_rank(m: Messages) -> np.ndarray:
    """Each row's position when sorted by time, then by content: the same for any input row order.

    Ties are broken one field at a time, and each field is only read for the rows still tied.
    """
    keys: list[np.ndarray] = [m.timestamp]
    group = pd.factorize(m.timestamp)[0].astype(np.int64)
    tied = np.flatnonzero(pd.Series(group).duplicated(keep=False).to_numpy())
    for name in _TIE_BREAKERS:
        if not len(tied):
            break
        code = np.zeros(len(m), dtype=np.int64)
        code[tied] = _tie_codes(m, name, tied)
        keys.append(code)
        sub = _group_ids(group[tied], code[tied])
        still = pd.Series(sub).duplicated(keep=False).to_numpy()
        tied = tied[still]
        group[tied] = sub[still]
    # Rows equal on every key hold the same content, so their relative order changes nothing.
    rank = np.zeros(len(m), dtype=np.int64)
    rank[np.lexsort(keys[::-1])] = np.arange(len(m))
    return rank


def _subject_depths(subjects: pa.Array) -> np.ndarray:
    encoded = pc.dictionary_encode(subjects)
    per_unique = np.zeros(len(encoded.dictionary) + 1, dtype=np.int64)
    for k, subject in enumerate(encoded.dictionary.to_pylist()):
        prefix = _REPLY_SUBJECT.match(subject)
        if prefix:
            per_unique[k] = len(_REPLY_PREFIX.findall(prefix.group(0)))
    return per_unique[np.asarray(pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False), dtype=np.int64)]


def _codes(values: pa.Array) -> np.ndarray:
    """Equal values equal codes (-1 for null)."""
    return np.asarray(pc.fill_null(pc.dictionary_encode(values).indices, -1).to_numpy(zero_copy_only=False),
                      dtype=np.int64)


def reply_depths(m: Messages) -> np.ndarray:
    """Reply depth per message (0 = a new message, capped at 3), following the canonical order.

    ``in_reply_to`` naming an earlier message: that message's depth + 1 (an unknown or later one counts
    as depth 0); else the position in its ``conversation_id`` (earlier messages of the conversation);
    else the number of "Re:" prefixes of the subject; else 0.
    """
    depth = _subject_depths(m.subject)
    conversation = _codes(m.conversation_id)
    has = np.flatnonzero(conversation >= 0)
    if len(has):
        order = has[np.lexsort((m.rank[has], conversation[has]))]
        starts = run_starts(conversation[order])
        begin = np.maximum.accumulate(np.where(starts, np.arange(len(order)), 0))
        depth[order] = np.arange(len(order)) - begin
    depth = np.minimum(depth, MAX_DEPTH)
    # Message ids are unique here (later copies were dropped), so the position of an id is its message.
    own = np.flatnonzero(m.in_reply_to.is_valid().to_numpy(zero_copy_only=False))
    replies_to = m.in_reply_to.filter(m.in_reply_to.is_valid())
    parent = np.asarray(pc.fill_null(pc.index_in(replies_to, value_set=m.message_id), -1)
                        .to_numpy(zero_copy_only=False), dtype=np.int64)
    known = parent >= 0
    known[known] = m.rank[parent[known]] < m.rank[own[known]]
    depth[own] = 1
    child, source = own[known], parent[known]
    for _ in range(MAX_DEPTH + 1):  # a chain settles in at most MAX_DEPTH rounds (depth is capped)
        step = np.minimum(depth[source] + 1, MAX_DEPTH)
        if np.array_equal(step, depth[child]):
            break
        depth[child] = step
    return np.asarray(depth, dtype=np.int8)


def _first_copies(m: Messages) -> np.ndarray:
    """True for each row but the later copies (in canonical order) of a repeated message id."""
    ids = _codes(m.message_id)
    order = np.lexsort((m.rank, ids))
    repeat = ~run_starts(ids[order]) & (ids[order] >= 0)
    keep = np.ones(len(m), dtype=bool)
    keep[order[repeat]] = False
    return keep


def prepare_messages(interactions: pd.DataFrame) -> Messages:
    """The interactions as the edges read them: checked, lower-cased, each message once, ranked, with depth.

    Rows without a time or a sender are dropped; ``channel`` defaults to e-mail. ``reply_depth`` is kept
    when given (the caller computed it over more messages than these), else computed here.

    Raises:
        InsightError: a required column is missing or a channel is unknown.
    """
    missing = [c for c in REQUIRED_COLUMNS if c not in interactions.columns]
    if missing:
        raise InsightError(f"who knows whom: interactions lack column(s) {missing}")
    n = len(interactions)
    stamps = pd.to_datetime(interactions["timestamp"], utc=True)
    given = "reply_depth" in interactions.columns
    depth = (pd.to_numeric(interactions["reply_depth"], errors="coerce").fillna(0).clip(0, MAX_DEPTH)
             .to_numpy(dtype=np.int8) if given else np.zeros(n, dtype=np.int8))
    m = Messages(
        timestamp=stamps.to_numpy(dtype="datetime64[ns]").astype(np.int64),
        sender=pc.utf8_lower(_text(interactions["sender"], n)),
        recipients=_lists(interactions["recipients"]), cc=_lists(interactions["cc"]),
        channel=_channels(interactions.get("channel"), n),
        **{c: _text(interactions.get(c), n) for c in TEXT_COLUMNS},
        reply_depth=depth, rank=np.zeros(n, dtype=np.int64))
    m = m.where(stamps.notna().to_numpy(dtype=bool) & m.sender.is_valid().to_numpy(zero_copy_only=False))
    m = replace(m, rank=canonical_rank(m))
    m = m.where(_first_copies(m))
    return m if given else replace(m, reply_depth=reply_depths(m))


def canonical_interactions(interactions: pd.DataFrame) -> pd.DataFrame:
    """The interactions checked, each message once, with ``reply_depth`` computed over all of them.

    Any subset of its rows (e.g. every interaction of some people) lets
    :func:`~connector.insights.wkw.strength.connection_strengths` reproduce those people's pairs exactly.

    Raises:
        InsightError: as :func:`prepare_messages`.
    """
    return prepare_messages(interactions).to_frame()
