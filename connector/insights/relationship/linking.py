"""Contacts of interest and activity linking (spec §1.3 steps 1 and 2).

Step 1, contacts of interest per record:

=============  ==========================  ==================================================
Record         Internal (our side)         External (customer side)
=============  ==========================  ==================================================
contact        any system user             the contact itself
account        any system user             its primary contact, every contact whose parent
                                           account it is, and the account itself as a party
lead           the owner                   the lead itself and its parent contact
opportunity    the owner                   its contact and the primary contact of its account
=============  ==========================  ==================================================

The canonical frames have no sales-team or stakeholder tables yet, so for leads and opportunities the
internal side is the owner alone and the external side has no stakeholders; when those tables are
extracted they extend the two maps built here and nothing else changes.

Step 2, an activity is linked to a record when its Regarding is the record (always, even without a
contact of interest), or when a contact of interest of the record takes part in a qualifying role:
e-mail From/To/Cc, appointment Required/Optional attendee, phone call From/To. For leads and
opportunities the owner must also take part (From/To/Cc, attendee or organiser): "a lead owner's call to
a stakeholder counts; another user's call to the same stakeholder does not". For contacts and accounts
the internal side is any user, which every Dataverse activity satisfies through its owner. A record
linked twice to one activity (regarding and a party, or two of its contacts) counts the activity once.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from connector.insights.relationship.facts import INTERNAL_ROLES, ROLES, qualifying

RECORD_TYPES: dict[str, tuple[str, str]] = {
    "contact": ("contacts", "contact_id"),
    "account": ("accounts", "account_id"),
    "lead": ("leads", "lead_id"),
    "opportunity": ("opportunities", "opportunity_id"),
}
"""Record type (Dataverse logical name) → (canonical frame, key column)."""

TYPE_SHIFT = 40
"""A record key is ``type index << TYPE_SHIFT | id code``: one integer per record, fast to group on."""


def record_key(record_type: str, codes: pd.Series | np.ndarray) -> np.ndarray:
    """The integer record key of ids (codes) of one record type."""
    index = list(RECORD_TYPES).index(record_type)
    return (index << TYPE_SHIFT) | np.asarray(codes, dtype=np.int64)


def contacts_of_interest(f: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """External contacts of interest: one row per ``(person, record_type, record_id)``."""
    contacts, accounts = f["contacts"], f["accounts"]
    leads, opps = f["leads"], f["opportunities"]
    primary = accounts.set_index("account_id")["primary_contact_id"].dropna()
    primary = primary[~primary.index.duplicated()]
    parts = [
        (contacts["contact_id"], "contact", contacts["contact_id"]),
        (contacts["contact_id"], "account", contacts["parent_account_id"]),
        (accounts["primary_contact_id"], "account", accounts["account_id"]),
        (accounts["account_id"], "account", accounts["account_id"]),
        (leads["lead_id"], "lead", leads["lead_id"]),
        (leads["parent_contact_id"], "lead", leads["lead_id"]),
        (opps["contact_id"], "opportunity", opps["opportunity_id"]),
        (opps["account_id"].map(primary), "opportunity", opps["opportunity_id"]),
    ]
    frames = [pd.DataFrame({"person": p.astype("Int64").array, "record_type": t,
                            "record_id": r.astype("Int64").array}) for p, t, r in parts]
    coi = pd.concat(frames, ignore_index=True).dropna()
    return coi.drop_duplicates(ignore_index=True)


def record_owners(f: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """Internal contacts of interest of leads and opportunities: ``(record_type, record_id, owner)``."""
    rows = [pd.DataFrame({"record_type": t, "record_id": f[frame][key].array, "owner": f[frame]["owner_id"].array})
            for t, (frame, key) in RECORD_TYPES.items() if t in ("lead", "opportunity")]
    return pd.concat(rows, ignore_index=True).dropna()


def link_activities(f: Mapping[str, pd.DataFrame], parties: pd.DataFrame) -> pd.DataFrame:
    """Every (record, activity) link, each once: ``rec`` (:func:`record_key`), ``activity_id`` and
    ``regarding`` (the activity is regarding the record, not only linked through a person).

    Args:
        f: the conformed canonical frames.
        parties: the resolved parties (:func:`facts.resolve_parties`).
    """
    acts = f["activities"]
    known = {t: pd.Index(f[frame][key].dropna()) for t, (frame, key) in RECORD_TYPES.items()}
    reg = acts[["activity_id", "regarding_id", "regarding_type"]].dropna(subset=["regarding_id"])
    links = []
    for rtype, ids in known.items():
        # The regarding type may be missing from the extract; GUIDs are unique across tables, so the id decides.
        hit = reg["regarding_id"].isin(ids) & (reg["regarding_type"].isna() | reg["regarding_type"].eq(rtype))
        part = reg[hit.fillna(False)]
        links.append(pd.DataFrame({"record_type": rtype, "record_id": part["regarding_id"].array,
                                   "activity_id": part["activity_id"].array, "regarding": True}))

    ext = qualifying(parties[~parties["internal"]], acts, ROLES)[["activity_id", "person"]].drop_duplicates()
    valid = pd.concat([pd.DataFrame({"record_type": t, "record_id": ids.to_numpy()}) for t, ids in known.items()])
    coi = contacts_of_interest(f).merge(valid.astype({"record_id": "Int64"}), on=["record_type", "record_id"])
    cand = ext.merge(coi, on="person")[["record_type", "record_id", "activity_id"]]
    owned = cand["record_type"].isin(["lead", "opportunity"])
    internal = qualifying(parties[parties["internal"]], acts, INTERNAL_ROLES)[["activity_id", "person"]]
    with_owner = (cand[owned].merge(record_owners(f), on=["record_type", "record_id"])
                  .merge(internal.rename(columns={"person": "owner"}), on=["activity_id", "owner"]))
    links += [cand[~owned].assign(regarding=False),
              with_owner[["record_type", "record_id", "activity_id"]].assign(regarding=False)]
    out = pd.concat(links, ignore_index=True)
    keys = np.zeros(len(out), dtype=np.int64)
    for rtype in RECORD_TYPES:
        hit = out["record_type"].eq(rtype).to_numpy()
        keys[hit] = record_key(rtype, out["record_id"][hit].astype("int64"))
    linked = pd.DataFrame({"rec": keys, "activity_id": out["activity_id"].astype("int64").to_numpy(),
                           "regarding": out["regarding"].to_numpy(dtype=bool)})
    # Linked twice (regarding and through a party): once, as regarding (those links come first).
    return linked.drop_duplicates(["rec", "activity_id"], ignore_index=True)
