"""Convert the Enron (Perry & Wolfe) tables into an interactions CSV for the ``evaluate`` commands.

Usage: ``python benchmarks/enron_to_interactions.py DATASET_DIR OUTPUT.csv``

The dataset has no To/Cc distinction and no In-Reply-To header: every recipient goes to
``recipients`` and ``message_id`` is the dataset's message id, so threading falls back to subjects.
Employees get synthetic addresses ``e<id>@enron.com`` (the names are not needed for evaluation).
This lives with the benchmarks, not in the product: the product only reads the portable CSV.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd


def convert(dataset_dir: Path, output: Path) -> int:
    """Write the interactions CSV; return the number of messages written."""
    messages = pd.read_csv(
        dataset_dir / "messages.tsv", sep="\t", header=None, quoting=3,
        names=["mid", "filename", "unix_time", "subject", "sender"], dtype={"subject": "string"},
    )
    recipients = pd.read_csv(dataset_dir / "recipients.tsv", sep="\t", header=None, names=["mid", "rno", "receiver"])
    to = (
        recipients.sort_values(["mid", "rno"])
        .assign(addr=lambda d: "e" + d["receiver"].astype(str) + "@enron.com")
        .groupby("mid")["addr"].agg(";".join)
    )
    out = pd.DataFrame({
        "timestamp": pd.to_datetime(messages["unix_time"], unit="s", utc=True).dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "sender": "e" + messages["sender"].astype(str) + "@enron.com",
        "recipients": messages["mid"].map(to).fillna(""),
        "cc": "",
        "subject": messages["subject"].fillna(""),
        "message_id": "m" + messages["mid"].astype(str),
        "in_reply_to": "",
    })
    out = out[out["recipients"] != ""]
    output.parent.mkdir(parents=True, exist_ok=True)
    out.to_csv(output, index=False)
    return len(out)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    n = convert(Path(sys.argv[1]), Path(sys.argv[2]))
    print(f"wrote {n} messages to {sys.argv[2]}")
