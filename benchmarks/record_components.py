"""How far an organisation splits into independent parts: the connected components of its customer records,
joined by parent records and by activities (regarding, parties, e-mail threads and replies).

Usage: ``python benchmarks/record_components.py STATE_DIR`` on a state folder a run left (e.g. one of
``scale_bench.py``'s ``state-S-p0``). Prints one JSON object: records, components holding records, the largest.
A partition of the data (the snapshot stored per partition, activities linked per partition) can be exact only
along these components; one that cuts a component must carry what the two sides share as context.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connector.sync.snapshot import load_snapshot  # noqa: E402
from connector.sync.state import LocalStateStore  # noqa: E402

RECORDS = {"accounts": "account_id", "contacts": "contact_id", "leads": "lead_id", "opportunities": "opportunity_id"}
EDGES = [("contacts", "contact_id", "parent_account_id"), ("accounts", "account_id", "primary_contact_id"),
         ("leads", "lead_id", "parent_account_id"), ("leads", "lead_id", "parent_contact_id"),
         ("opportunities", "opportunity_id", "account_id"), ("opportunities", "opportunity_id", "contact_id"),
         ("activities", "activity_id", "regarding_id"), ("parties", "activity_id", "party_id"),
         ("activities", "activity_id", "conversation_id"), ("activities", "activity_id", "message_id"),
         ("activities", "activity_id", "in_reply_to"), ("activities", "activity_id", "parent_activity_id")]
"""(frame, column, column): an edge between the two values of each row (ids, or e-mail thread keys)."""


def components(frames: dict[str, pd.DataFrame]) -> dict[str, object]:
    """Records, the components holding records, and the records of the five largest."""
    pairs = [frames[f][[a, b]].dropna().astype("string") for f, a, b in EDGES if f in frames]
    records = pd.concat([frames[f][c].dropna().astype("string") for f, c in RECORDS.items()], ignore_index=True)
    values = pd.concat([records, *(p.iloc[:, 0] for p in pairs), *(p.iloc[:, 1] for p in pairs)], ignore_index=True)
    codes, uniques = pd.factorize(values)
    at = len(records)
    src, dst = [], []
    for p in pairs:
        src.append(codes[at:at + len(p)])
        at += len(p)
    for p in pairs:
        dst.append(codes[at:at + len(p)])
        at += len(p)
    s, d = np.concatenate(src), np.concatenate(dst)
    graph = coo_matrix((np.ones(len(s)), (s, d)), shape=(len(uniques), len(uniques)))
    _, label = connected_components(graph, directed=False)
    sizes = pd.Series(label[codes[:len(records)]]).value_counts()
    return {"records": len(records), "components": len(sizes), "largest": sizes.head(5).tolist()}


def main() -> None:
    """Print the components of the snapshot in the state folder named on the command line."""
    snap = load_snapshot(LocalStateStore(Path(sys.argv[1])))
    print(json.dumps(components(snap.frames)))


if __name__ == "__main__":
    main()
