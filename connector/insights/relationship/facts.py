"""Per-activity facts the KPIs and the health score are built from.

One row per activity: which side sent or organised it (our team or the customer), whether it is a
two-way touchpoint, how many internal people attended, and the minutes each side spent. Party types
are resolved here when the extract left them open (an id found among users, contacts, leads or
accounts; an address matching a user's or contact's e-mail).

Rules (why, where the spec leaves room):

- Sender side of an e-mail: its From party (a system user → team, anyone else → customer); without a
  resolved From party, the activity's ``direction`` (outgoing → team); otherwise team, since every
  Dataverse activity is owned by a user. An e-mail whose sender and every To/Cc party are system users
  is internal-only and is not an interaction with the customer.
- Appointments: the organiser's side (party mask 7), else the direction, else team. Phone calls: the
  direction (Dataverse's ``directioncode`` is authoritative for calls), else the From party.
- Minutes: e-mail 5 to write for the sender's side and 2.5 to read for the other; an appointment's
  duration × distinct internal attendees (at least one: the owner) for the team and once for the
  customer when a customer attended; calls by duration for both sides; tasks by duration for the
  team. A missing duration uses the type's default from the settings and is flagged ``estimated``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from connector import canonical
from connector.insights.relationship.clock import local_days
from connector.insights.relationship.settings import RelationshipSettings

FROM, TO, CC, BCC, REQUIRED, OPTIONAL, ORGANIZER = 1, 2, 3, 4, 5, 6, 7
ROLES: dict[str, tuple[int, ...]] = {
    "email": (FROM, TO, CC),
    "appointment": (REQUIRED, OPTIONAL, ORGANIZER),
    "phonecall": (FROM, TO),
    "task": (),
}
"""Party roles through which a person takes part in an activity (§1.3 step 2). The spec names an
appointment's Required and Optional attendees; its organiser attends too (Dataverse does not always list
the organiser again as a required attendee), so a meeting a customer organised links to that customer."""

INTERNAL_ROLES = ROLES

PERSON_TABLES = (("users", "systemuser", "user_id"), ("contacts", "contact", "contact_id"),
                 ("leads", "lead", "lead_id"), ("accounts", "account", "account_id"))


ID_COLUMNS: dict[str, tuple[str, ...]] = {
    "users": ("user_id", "email"),
    "accounts": ("account_id", "owner_id", "primary_contact_id"),
    "contacts": ("contact_id", "email", "parent_account_id", "owner_id"),
    "leads": ("lead_id", "email", "owner_id", "parent_account_id", "parent_contact_id"),
    "opportunities": ("opportunity_id", "owner_id", "account_id", "contact_id"),
    "activities": ("activity_id", "owner_id", "regarding_id", "parent_activity_id"),
    "parties": ("activity_id", "party_id", "address"),
}
"""Id and address columns encoded as integer codes of one shared vocabulary (GUIDs are unique across tables)."""

TEXT_COLUMNS = {"activities": ("activity_type", "direction", "regarding_type"), "parties": ("party_type",)}


def conform_all(frames: Mapping[str, pd.DataFrame]) -> tuple[dict[str, pd.DataFrame], np.ndarray]:
    """Every canonical frame the relationship insights read, conformed, with ids as integer codes.

    Ids, e-mail addresses and party addresses become ``Int64`` codes into one vocabulary (addresses
    lowercased), so joins and groupings run on integers; small text columns become categoricals.

    Returns:
        ``(frames, vocabulary)``: ``vocabulary[code]`` is the original id or address.
    """
    out: dict[str, pd.DataFrame] = {}
    for name in ("users", "accounts", "contacts", "leads", "opportunities", "activities", "parties"):
        frame = frames.get(name)
        if frame is None:
            out[name] = canonical.empty_frame(name)
        else:
            # Only the columns used here: long texts (descriptions) and extracted attributes would be
            # copied through every join for nothing.
            wanted = [c for c in canonical.column_names(name) if c in frame.columns and c not in ("description",)]
            out[name] = canonical.conform(frame[wanted], name)
    for name, cols in ID_COLUMNS.items():
        for col in cols:
            if col in ("email", "address"):
                out[name][col] = out[name][col].str.strip().str.lower()
    slots = [(n, c) for n, cols in ID_COLUMNS.items() for c in cols]
    arrays = [out[n][c].astype("string") for n, c in slots]
    codes, uniques = pd.factorize(pd.concat(arrays, ignore_index=True))
    bounds = np.cumsum([0, *(len(a) for a in arrays)])
    for (name, col), lo, hi in zip(slots, bounds[:-1], bounds[1:], strict=True):
        part = codes[lo:hi]
        out[name][col] = pd.array(np.where(part < 0, np.nan, part), dtype="Int64")
    for name in ID_COLUMNS:
        frame = out[name]
        for col in TEXT_COLUMNS.get(name, ()):
            lower = frame[col].str.lower()
            # Party types are filled in later (resolve_parties): plain objects; the rest never change.
            frame[col] = lower.to_numpy(dtype=object) if name == "parties" else pd.Categorical(lower)
    acts = out["activities"]
    acts = acts[acts["activity_id"].notna()].drop_duplicates("activity_id").reset_index(drop=True)
    out["activities"] = acts.astype({"activity_id": "int64"})
    parties = out["parties"]
    out["parties"] = parties[parties["activity_id"].notna()].astype({"activity_id": "int64"}).reset_index(drop=True)
    return out, np.asarray(uniques, dtype=object)


def resolve_parties(f: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """The parties frame with ``party_type`` and ``party_id`` filled where they can be resolved.

    A party without a type gets the table its id belongs to; a party without an id gets the user,
    contact or lead whose e-mail equals its address; what stays unknown is ``unresolved`` (external).
    """
    parties = f["parties"].copy()
    parties = parties[parties["activity_id"].notna()]
    ptype = parties["party_type"]
    pid = parties["party_id"]
    for frame, table, key in PERSON_TABLES:
        ids = f[frame][key].dropna()
        ptype = ptype.mask(ptype.isna() & pid.isin(ids), table)
    by_email = []
    for frame, table, key in PERSON_TABLES[:3]:
        people = f[frame][[key, "email"]].dropna().sort_values(key).drop_duplicates("email")
        by_email.append(pd.DataFrame({"email": people["email"], "rid": people[key], "rtype": table}))
    lookup = pd.concat(by_email).drop_duplicates("email").set_index("email")
    open_addr = pid.isna() & parties["address"].notna()
    addr = parties["address"].where(open_addr)
    pid = pid.fillna(addr.map(lookup["rid"]).astype("Int64"))
    ptype = ptype.fillna(addr.map(lookup["rtype"]))
    parties["party_id"] = pid
    parties["party_type"] = ptype.fillna("unresolved")
    # The key that names a person: the record id, else the address (an unknown customer address).
    parties["person"] = pid.fillna(parties["address"])
    parties["internal"] = parties["party_type"].eq("systemuser").fillna(False).astype(bool)
    return parties.reset_index(drop=True)


def qualifying(parties: pd.DataFrame, activities: pd.DataFrame, roles: Mapping[str, tuple[int, ...]]) -> pd.DataFrame:
    """The party rows whose role qualifies for their activity's type, with ``activity_type`` added."""
    types = activities.set_index("activity_id")["activity_type"]
    out = parties.assign(activity_type=parties["activity_id"].map(types))
    ok = pd.Series(False, index=out.index)
    for act_type, allowed in roles.items():
        ok |= out["activity_type"].eq(act_type).fillna(False) & out["participation"].isin(allowed).fillna(False)
    return out[ok]


def activity_facts(f: Mapping[str, pd.DataFrame], parties: pd.DataFrame, s: RelationshipSettings) -> pd.DataFrame:
    """One row per activity: side, two-way flag, attendees, minutes per side (see the module rules).

    Columns: ``activity_id, activity_type, subject, when, start, done, upcoming, canceled, created`` (when
    it was recorded), ``day`` and ``start_day`` (local calendar days of ``when`` and ``start``, see
    :mod:`.clock`), ``side`` (team | customer), ``internal_only, has_external, n_internal, two_way,
    team_minutes, customer_minutes, estimated``, the threading columns, and ``counterpart`` (the customer
    party an e-mail is with, for subject threading).
    """
    acts = f["activities"]
    a = pd.DataFrame({
        "activity_id": acts["activity_id"], "activity_type": acts["activity_type"],
        "subject": acts["subject"], "when": acts["occurred_on"],
        "start": acts["scheduled_start"].fillna(acts["occurred_on"]),
        "done": acts["state_code"].eq(1).fillna(False).astype(bool),
        "upcoming": acts["state_code"].isin([0, 3]).fillna(False).astype(bool),
        "canceled": acts["state_code"].eq(2).fillna(False).astype(bool),
        "created": acts["created_on"],
        "parent_activity_id": acts["parent_activity_id"], "message_id": acts["message_id"],
        "in_reply_to": acts["in_reply_to"], "conversation_id": acts["conversation_id"],
    })
    q = qualifying(parties, acts, INTERNAL_ROLES)

    def side_of(mask: pd.Series) -> pd.Series:
        first = q[mask].drop_duplicates("activity_id").set_index("activity_id")["internal"]
        return a["activity_id"].map(first).map({True: "team", False: "customer"}).astype("object")

    from_side = side_of(q["participation"].eq(FROM))
    organiser_side = side_of(q["participation"].eq(ORGANIZER))
    dir_side = acts["direction"].astype(object).map({"outgoing": "team", "incoming": "customer"})
    t = a["activity_type"]
    side = pd.Series("team", index=a.index, dtype="object")
    side = side.mask(t.eq("email"), from_side.fillna(dir_side).fillna("team"))
    side = side.mask(t.eq("appointment"), organiser_side.fillna(dir_side).fillna("team"))
    side = side.mask(t.eq("phonecall"), dir_side.fillna(from_side).fillna("team"))
    a["side"] = pd.Categorical(side.to_numpy(dtype=object), categories=["team", "customer"])

    ext = q[~q["internal"]]
    a["has_external"] = a["activity_id"].isin(ext["activity_id"])
    users = q[q["internal"]]
    n_int = users[users["activity_type"].eq("appointment")].groupby("activity_id")["person"].nunique()
    a["n_internal"] = a["activity_id"].map(n_int).fillna(0).clip(lower=1).astype(int)
    has_recipients = a["activity_id"].isin(q.loc[q["participation"].isin([TO, CC]), "activity_id"])
    a["internal_only"] = t.eq("email") & a["side"].eq("team") & has_recipients & ~a["has_external"]
    a["two_way"] = a["done"] & (
        (t.eq("email") & a["side"].eq("customer")) | (t.eq("appointment") & a["has_external"]) | t.eq("phonecall")
    )

    a["estimated"], a["team_minutes"], a["customer_minutes"] = _minutes(a, acts["duration_minutes"], s)
    a["counterpart"] = _counterpart(a, q, f["contacts"])
    a["day"] = local_days(a["when"], s.timezone)
    a["start_day"] = local_days(a["start"], s.timezone)
    return a


def _minutes(a: pd.DataFrame, duration: pd.Series, s: RelationshipSettings) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    """Per activity: whether its minutes are estimated, the team's minutes and the customer's."""
    t = a["activity_type"]
    defaults = t.map({"appointment": s.default_meeting_minutes, "phonecall": s.default_call_minutes,
                      "task": s.default_task_minutes}).astype(float)
    dur = duration.astype("Float64").astype(float)
    dur = dur.where((dur >= 0) & (dur <= 7 * 24 * 60))  # negative or over a week: not a real duration
    estimated = ~t.eq("email") & dur.isna()
    dur = dur.fillna(defaults).fillna(0.0)
    sent = a["side"].eq("team")
    write, read = s.email_write_minutes, s.email_read_minutes
    team = np.select([t.eq("email"), t.eq("appointment"), t.isin(["phonecall", "task"])],
                     [np.where(sent, write, read), dur * a["n_internal"], dur], 0.0)
    cust = np.select([t.eq("email"), t.eq("appointment") & a["has_external"], t.eq("phonecall")],
                     [np.where(sent, read, write), dur, dur], 0.0)
    return estimated, team.astype(float), cust.astype(float)


def _counterpart(a: pd.DataFrame, q: pd.DataFrame, contacts: pd.DataFrame) -> pd.Series:
    """The customer party an e-mail is with: the external sender, else the first external recipient.

    A contact is replaced by its account, so a colleague of the addressee answering still threads.
    """
    ext = q[~q["internal"] & q["activity_type"].eq("email")].sort_values(["activity_id", "participation", "person"])
    first = ext.drop_duplicates("activity_id").set_index("activity_id")["person"]
    who = a["activity_id"].map(first)
    account = contacts.dropna(subset=["parent_account_id"]).set_index("contact_id")["parent_account_id"]
    account = account[~account.index.duplicated()]
    return who.map(account).fillna(who).astype("Int64")
