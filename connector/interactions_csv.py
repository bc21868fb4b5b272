"""Read an interactions CSV: the portable e-mail log the ``evaluate`` commands accept.

Columns: ``timestamp,sender,recipients,cc,subject`` with optional ``message_id,in_reply_to``.
``recipients`` and ``cc`` hold ``;``-separated addresses. Timestamps are ISO-8601 (naive means UTC) or
Unix seconds. Addresses are lowercased and stripped. A malformed row is reported (row number and
field, never its content) and skipped; it never stops the rest of the file.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from connector.errors import RecordError

log = logging.getLogger(__name__)

REQUIRED = ("timestamp", "sender", "recipients", "cc", "subject")
OPTIONAL = ("message_id", "in_reply_to")


def _split(cell: object) -> list[str]:
    if not isinstance(cell, str):
        return []
    return [a.strip().lower() for a in cell.split(";") if a.strip()]


def _parse_time(raw: pd.Series) -> pd.Series:
    as_str = raw.astype("string").str.strip()
    numeric = pd.to_numeric(as_str, errors="coerce")
    from_unix = pd.to_datetime(numeric, unit="s", utc=True, errors="coerce")
    from_iso = pd.to_datetime(as_str.where(numeric.isna()), utc=True, errors="coerce", format="ISO8601")
    return from_unix.fillna(from_iso)


def read_interactions_csv(path: str | Path) -> tuple[pd.DataFrame, list[RecordError]]:
    """Load an interactions CSV into a frame, one row per message.

    Returns:
        ``(frame, errors)``: the frame has columns ``timestamp`` (UTC), ``sender`` (str), ``recipients``
        and ``cc`` (lists of str), ``subject``, ``message_id`` and ``in_reply_to`` (``NA`` when absent),
        sorted by time; ``errors`` lists the rows skipped, each naming the row and field.

    Raises:
        RecordError: a required column is missing from the header (names the column).
        OSError: the file cannot be read.
    """
    raw = pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[""])
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise RecordError("interactions", None, missing[0], f"required column missing (have {list(raw.columns)})")
    for col in OPTIONAL:
        if col not in raw.columns:
            raw[col] = pd.NA
    errors: list[RecordError] = []
    out = pd.DataFrame(index=raw.index)
    out["timestamp"] = _parse_time(raw["timestamp"])
    out["sender"] = raw["sender"].str.strip().str.lower()
    out["recipients"] = raw["recipients"].map(_split)
    out["cc"] = raw["cc"].map(_split)
    out["subject"] = raw["subject"].fillna("")
    out["message_id"] = raw["message_id"].str.strip()
    out["in_reply_to"] = raw["in_reply_to"].str.strip()
    bad_time = out["timestamp"].isna()
    bad_sender = out["sender"].isna() | (out["sender"] == "")
    no_one = (out["recipients"].map(len) + out["cc"].map(len)) == 0
    for idx in out.index[bad_time | bad_sender | no_one]:
        field = "timestamp" if bad_time[idx] else "sender" if bad_sender[idx] else "recipients"
        # Row numbers are 1-based and count the header, as a spreadsheet shows them.
        errors.append(RecordError("interactions", f"row {int(idx) + 2}", field, "missing or unparseable"))
    if errors:
        log.warning("skipped %d malformed interaction rows (first: %s)", len(errors), errors[0])
    out = out[~(bad_time | bad_sender | no_one)].sort_values("timestamp", kind="stable").reset_index(drop=True)
    return out, errors
