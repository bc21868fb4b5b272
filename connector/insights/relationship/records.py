"""The records relationship insights are computed for, and what health needs to know about each."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from connector.insights.relationship.clock import day_text, local_days
from connector.insights.relationship.linking import RECORD_TYPES, record_key


def _date_text(days: pd.Series) -> pd.Series:
    return pd.Series([None if pd.isna(d) else day_text(int(d)) for d in days], index=days.index, dtype="object")


def records_frame(f: Mapping[str, pd.DataFrame], tz: str) -> pd.DataFrame:
    """Every record, indexed by record key (:func:`linking.record_key`).

    Columns: ``record_type``, ``record_id`` (code), ``stage`` (opportunity sales stage 0–3, NaN otherwise),
    ``closed`` (a lead or opportunity no longer open), local days ``created_day``, ``close_day`` (when a
    lead or opportunity closed) and ``est_close_day``, ``outcome`` (1 qualified / won, 0 disqualified /
    lost, NaN otherwise), and ``created_text`` / ``est_close_text`` (ISO dates, for the explanation).
    """
    parts = []
    for rtype, (frame, key) in RECORD_TYPES.items():
        df = f[frame]
        df = df[df[key].notna()].drop_duplicates(key)
        n = len(df)
        state = df["state_code"].astype("Float64").to_numpy(dtype=float, na_value=np.nan) \
            if rtype in ("lead", "opportunity") else np.zeros(n)
        closed = np.nan_to_num(state, nan=0.0) != 0
        outcome = np.where(state == 1, 1.0, np.where(state == 2, 0.0, np.nan))
        stage = (df["sales_stage"].astype("Float64").clip(0, 3).to_numpy(dtype=float, na_value=np.nan)
                 if rtype == "opportunity" else np.full(n, np.nan))
        if rtype == "opportunity":
            close = local_days(df["actual_close_date"], tz)
            est = local_days(df["estimated_close_date"], tz)
        elif rtype == "lead":
            close, est = local_days(df["closed_on"], tz), pd.Series(pd.NA, index=df.index, dtype="Int64")
        else:
            close = est = pd.Series(pd.NA, index=df.index, dtype="Int64")
        created = local_days(df["created_on"], tz)
        parts.append(pd.DataFrame({
            "rec": record_key(rtype, df[key].astype("int64")),
            "record_type": pd.Categorical([rtype] * n, categories=list(RECORD_TYPES)),
            "record_id": df[key].astype("int64").to_numpy(), "stage": stage, "closed": closed,
            "created_day": created.to_numpy(dtype=float, na_value=np.nan),
            "close_day": np.where(closed, close.to_numpy(dtype=float, na_value=np.nan), np.nan),
            "est_close_day": est.to_numpy(dtype=float, na_value=np.nan), "outcome": outcome,
        }))
    out = pd.concat(parts, ignore_index=True).set_index("rec")
    out["closed"] = out["closed"].astype(bool)
    out["created_text"] = _date_text(out["created_day"])
    out["est_close_text"] = _date_text(out["est_close_day"])
    return out


def members(f: Mapping[str, pd.DataFrame], tz: str) -> pd.DataFrame:
    """The contacts of each account: ``rec`` (the account's record key) and ``created`` (UTC time)."""
    c = f["contacts"].dropna(subset=["parent_account_id"]).drop_duplicates("contact_id")
    return pd.DataFrame({"rec": record_key("account", c["parent_account_id"].astype("int64")),
                         "created": c["created_on"].to_numpy()})


def previous_trend(previous: Mapping[str, pd.DataFrame] | None, vocab: pd.Index, records: pd.Index) -> pd.Series:
    """Last run's trend per record (records unknown to this run are dropped)."""
    out = pd.Series(pd.NA, index=records, dtype="Int64")
    for rtype, frame in (previous or {}).items():
        if rtype in RECORD_TYPES and "osi_healthtrend" in frame.columns:
            codes = vocab.get_indexer(frame.index.astype(str).to_numpy(dtype=object))
            prev = pd.Series(frame["osi_healthtrend"].to_numpy(), index=record_key(rtype, codes))
            prev = prev[(codes >= 0) & ~prev.index.duplicated()]
            hit = records.isin(prev.index)
            out[hit] = prev.reindex(records[hit]).to_numpy()
    return out


def decode(codes: pd.Series, words: np.ndarray) -> pd.Series:
    """Integer codes back to the ids they stand for (NA stays NA)."""
    known = codes.notna().to_numpy()
    out = np.full(len(codes), None, dtype=object)
    out[known] = words[codes[known].astype("int64").to_numpy()]
    return pd.Series(out, index=codes.index, dtype="string")
