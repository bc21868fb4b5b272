"""Build the generic interactions frame (one row per message, meeting or call) from the canonical frames.

Who-knows-whom scores pairs of addresses. Dataverse activities give them through their parties
(sender/organizer, to/required, cc/optional), with a party's address taken from ``addressused`` or,
when that is empty, from the user, contact or lead it resolves to. Graph mail metadata adds the
messages that never reached the CRM; a message present in both is counted once (by internet
message id).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from connector import canonical

_CHANNEL = {"email": "email", "appointment": "meeting", "phonecall": "call"}
_SENDER_ROLES = (1, 7)
_TO_ROLES = (2, 5)
_CC_ROLES = (3, 6)
COLUMNS = ("timestamp", "sender", "recipients", "cc", "channel", "subject", "message_id", "in_reply_to")


def _addresses(frames: Mapping[str, pd.DataFrame]) -> pd.Series:
    parts = []
    for frame, key in (("users", "user_id"), ("contacts", "contact_id"), ("leads", "lead_id")):
        df = frames.get(frame)
        if df is not None and not df.empty:
            parts.append(df.set_index(key)["email"].dropna())
    if not parts:
        return pd.Series(dtype="string")
    out = pd.concat(parts)
    return out[~out.index.duplicated()]


def _lists(parties: pd.DataFrame, roles: tuple[int, ...]) -> dict[str, list[str]]:
    chosen = parties[parties["participation"].isin(roles)].drop_duplicates(["activity_id", "addr"])
    # A plain loop: pandas' groupby-to-list runs per group in Python and is ~100x slower here.
    out: dict[str, list[str]] = {}
    for activity, address in zip(chosen["activity_id"].tolist(), chosen["addr"].tolist(), strict=True):
        out.setdefault(activity, []).append(address)
    return out


def _as_list(value: object) -> list[str]:
    """A plain list of addresses: group results may come back as arrays (Arrow-backed pandas) or NA."""
    if value is None or isinstance(value, str | float) or value is pd.NA:
        return []
    return [str(v) for v in value]  # type: ignore[union-attr]


def interactions_from(frames: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The interactions of the CRM activities and the Graph mail, columns :data:`COLUMNS`."""
    activities = frames.get("activities", canonical.empty_frame("activities"))
    parties = frames.get("parties", canonical.empty_frame("parties"))
    acts = activities[activities["activity_type"].isin(list(_CHANNEL))]
    addr = parties["address"].fillna(parties["party_id"].map(_addresses(frames)))
    parties = parties.assign(addr=addr.astype("string").str.lower()).dropna(subset=["addr"])
    parties = parties[parties["activity_id"].isin(acts["activity_id"])]
    sender = parties[parties["participation"].isin(_SENDER_ROLES)].drop_duplicates("activity_id")
    crm = pd.DataFrame({
        "activity_id": acts["activity_id"].to_numpy(),
        "timestamp": acts["occurred_on"].to_numpy(),
        "channel": acts["activity_type"].map(_CHANNEL).to_numpy(),
        "subject": acts["subject"].to_numpy(),
        "message_id": acts["message_id"].to_numpy(),
        "in_reply_to": acts["in_reply_to"].to_numpy(),
    })
    crm["sender"] = crm["activity_id"].map(sender.set_index("activity_id")["addr"])
    to, cc = _lists(parties, _TO_ROLES), _lists(parties, _CC_ROLES)
    ids = crm["activity_id"].tolist()
    crm["recipients"] = [to.get(a, []) for a in ids]
    crm["cc"] = [cc.get(a, []) for a in ids]
    crm = crm.dropna(subset=["sender", "timestamp"])
    mail = frames.get("mail")
    if mail is not None and not mail.empty:
        known = set(crm["message_id"].dropna())
        extra = mail[~mail["internet_message_id"].isin(known)].drop_duplicates("internet_message_id")
        crm = pd.concat([crm, pd.DataFrame({
            "timestamp": extra["sent_on"], "sender": extra["sender"],
            "recipients": [_as_list(v) for v in extra["to"]], "cc": [_as_list(v) for v in extra["cc"]],
            "channel": "email",
            "subject": extra["subject"], "message_id": extra["internet_message_id"], "in_reply_to": pd.NA,
        })], ignore_index=True)
    out = crm.reindex(columns=list(COLUMNS))
    out["timestamp"] = pd.to_datetime(out["timestamp"], utc=True)
    return out.reset_index(drop=True)
