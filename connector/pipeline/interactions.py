"""Build the generic interactions frame (one row per message, meeting or call) from the canonical frames.

Who-knows-whom scores pairs of addresses. Dataverse activities give them through their parties
(sender/organizer, to/required, cc/optional), with a party's address taken from ``addressused`` or,
when that is empty, from the user, contact or lead it resolves to. Graph mail metadata adds the
messages that never reached the CRM; a message present in both, or in several mailboxes, is counted
once (by internet message id). A CRM activity counts once completed (a planned meeting may never take
place), so nothing here changes merely because the clock moved.

Everything here is columnar (Arrow compute and NumPy over codes, no Python step per party), and every
choice between rows (which sender when there are two, which copy of a message) is made by content,
so the same frames in any row order give the same interactions.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from connector import canonical
from connector.insights.wkw.messages import ADDRESS_LIST, address_lists, canonical_interactions, run_starts

_CHANNEL = {"email": "email", "appointment": "meeting", "phonecall": "call"}
# participationtypemask → 0 sender (from, organizer), 1 to (to, required), 2 cc (cc, optional), -1 none.
_ROLE = np.array([-1, 0, 1, 2, -1, 1, 2, 0], dtype=np.int64)
_ACTIVITY_COLUMNS = ("activity_id", "activity_type", "state_code", "occurred_on", "subject", "message_id",
                     "in_reply_to", "conversation_id")
_COMPLETED = 1
COLUMNS = ("timestamp", "sender", "recipients", "cc", "channel", "subject", "message_id", "in_reply_to",
           "conversation_id", "reply_depth")


def _arrow(values: pd.Series) -> pa.Array:
    """A text column as one Arrow large-string array."""
    arr = pa.array(values.astype("string"))
    arr = arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr
    return arr.cast(pa.large_string())


def _numpy(values: pa.Array, fill: int = -1) -> np.ndarray:
    return np.asarray(pc.fill_null(values, fill).to_numpy(zero_copy_only=False), dtype=np.int64)


def _directory(frames: Mapping[str, pd.DataFrame]) -> tuple[pa.Array, pa.Array]:
    """(record ids, their e-mail addresses) of users, contacts and leads; the first frame naming an id wins."""
    ids, emails = [], []
    for frame, key in (("users", "user_id"), ("contacts", "contact_id"), ("leads", "lead_id")):
        df = frames.get(frame)
        if df is not None and not df.empty:
            ids.append(_arrow(df[key]))
            emails.append(_arrow(df["email"]))
    if not ids:
        return pa.array([], pa.large_string()), pa.array([], pa.large_string())
    return pa.concat_arrays(ids), pa.concat_arrays(emails)


def _sort_codes(values: pa.Array) -> np.ndarray:
    """Codes that sort as the text does (-1 for null)."""
    encoded = pc.dictionary_encode(values)
    order = pc.rank(encoded.dictionary, sort_keys="ascending", tiebreaker="dense").to_numpy(zero_copy_only=False)
    indices = _numpy(encoded.indices)
    return np.where(indices >= 0, order.astype(np.int64)[np.maximum(indices, 0)], -1)


def _parties(frames: Mapping[str, pd.DataFrame], activity_ids: pa.Array) -> tuple[np.ndarray, ...]:
    """(activity position, role, address) of every usable party, sorted by activity, role, address; unique."""
    parties = frames.get("parties", canonical.empty_frame("parties"))
    position = _numpy(pc.index_in(_arrow(parties["activity_id"]), value_set=activity_ids))
    mask = parties["participation"].to_numpy(dtype=float, na_value=-1.0)
    role = np.where((mask >= 0) & (mask < len(_ROLE)), _ROLE[np.clip(mask, 0, len(_ROLE) - 1).astype(np.int64)], -1)
    ids, emails = _directory(frames)
    resolved = pc.take(emails, pc.index_in(_arrow(parties["party_id"]), value_set=ids))
    address = pc.utf8_lower(pc.utf8_trim_whitespace(pc.coalesce(_arrow(parties["address"]), resolved)))
    address = pc.if_else(pc.equal(address, ""), pa.scalar(None, pa.large_string()), address)
    codes = _sort_codes(address)
    usable = np.flatnonzero((position >= 0) & (role >= 0) & (codes >= 0))
    # One int64 key sorts by activity, then role, then address (one argsort instead of a three-key lexsort).
    width = int(codes.max(initial=0)) + 1
    key = (position[usable] * 3 + role[usable]) * width + codes[usable]
    order = usable[np.argsort(key, kind="stable")]
    act, kind, code = position[order], role[order], codes[order]
    first = run_starts(act, kind, code)
    return act[first], kind[first], order[first], address


def _lists(act: np.ndarray, rows: np.ndarray, address: pa.Array, n: int) -> pa.ListArray:
    """Per activity position 0..n-1, the addresses at ``rows`` (``act`` sorted)."""
    offsets = np.searchsorted(act, np.arange(n + 1)).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), pc.take(address, pa.array(rows)), type=ADDRESS_LIST)


def _crm(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    activities = frames.get("activities", canonical.empty_frame("activities"))[list(_ACTIVITY_COLUMNS)]
    # Only what happened counts, as relationship analytics counts it: a completed activity. An open or
    # scheduled meeting may never take place, a canceled one did not, an open e-mail is an unsent draft.
    done = (activities["state_code"] == _COMPLETED).fillna(False)
    acts = activities[(activities["activity_type"].isin(list(_CHANNEL)) & done).to_numpy(dtype=bool)]
    acts = acts.reset_index(drop=True)
    act, kind, rows, address = _parties(frames, _arrow(acts["activity_id"]))
    n = len(acts)
    # Several senders on one activity: the first address in sort order, so row order never decides.
    is_sender = kind == 0
    who, first = np.unique(act[is_sender], return_index=True)
    sender_rows = np.full(n, -1, dtype=np.int64)
    sender_rows[who] = rows[is_sender][first]
    sender = pc.take(address, pa.array(sender_rows, mask=sender_rows < 0))
    return pd.DataFrame({
        "timestamp": acts["occurred_on"], "sender": pd.array(sender, dtype="string"),
        "recipients": pd.arrays.ArrowExtensionArray(_lists(act[kind == 1], rows[kind == 1], address, n)),
        "cc": pd.arrays.ArrowExtensionArray(_lists(act[kind == 2], rows[kind == 2], address, n)),
        "channel": acts["activity_type"].map(_CHANNEL), "subject": acts["subject"],
        "message_id": acts["message_id"], "in_reply_to": acts["in_reply_to"],
        "conversation_id": acts["conversation_id"],
    })


def _mail(frames: Mapping[str, pd.DataFrame], known: pd.Series) -> pd.DataFrame | None:
    mail = frames.get("mail")
    if mail is None or mail.empty:
        return None
    ids = _arrow(mail["internet_message_id"])
    crm_ids = pc.unique(pc.drop_null(_arrow(known)))
    fresh = np.flatnonzero(~pc.fill_null(pc.is_in(ids, value_set=crm_ids), True).to_numpy(zero_copy_only=False)
                           & ids.is_valid().to_numpy(zero_copy_only=False))
    # The copies of one message in several mailboxes: keep one, chosen by content, not by row order.
    keys = [_sort_codes(pc.take(_arrow(mail[c]), pa.array(fresh))) for c in ("mailbox_user_id", "message_id")]
    message = _sort_codes(pc.take(ids, pa.array(fresh)))
    order = np.lexsort((*keys[::-1], message))
    first = run_starts(message[order])
    extra = mail.iloc[fresh[order[first]]]
    lists = {c: address_lists(extra[c].tolist()) for c in ("to", "cc")}
    return pd.DataFrame({
        "timestamp": extra["sent_on"].to_numpy(), "sender": extra["sender"].to_numpy(),
        "recipients": pd.arrays.ArrowExtensionArray(lists["to"]), "cc": pd.arrays.ArrowExtensionArray(lists["cc"]),
        "channel": "email", "subject": extra["subject"].to_numpy(),
        "message_id": extra["internet_message_id"].to_numpy(),
        "in_reply_to": pd.NA, "conversation_id": extra["conversation_id"].to_numpy(),
    })


def interactions_from(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The interactions of the CRM activities and the Graph mail, columns :data:`COLUMNS`.

    Each message once, with ``reply_depth`` computed over all of them (``recipients``/``cc`` as Arrow
    list columns): any subset of the rows, e.g. every interaction of some people, gives
    :func:`~connector.insights.wkw.connection_strengths` what it needs to reproduce those pairs exactly.
    """
    crm = _crm(frames)
    # A CRM copy without a sender or time is no interaction: the mailbox copy of it then counts.
    mail = _mail(frames, crm["message_id"][crm["sender"].notna() & crm["timestamp"].notna()])
    both = crm if mail is None else pd.concat([crm, mail], ignore_index=True)
    both["timestamp"] = pd.to_datetime(both["timestamp"], utc=True)
    return canonical_interactions(both).reindex(columns=list(COLUMNS))
