"""Synthetic closed leads / opportunities with a known latent truth, for scoring benchmarks and fixtures.

Columns use Dataverse logical names (as the canonical frames carry them); ``statecode`` is the outcome
(1 qualified / won, 2 disqualified / lost). The true probability of each record is returned too, so
the best AUC any model could reach on the data is known.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

_SOURCES = {1: 0.6, 2: 0.1, 3: -0.4, 4: 0.0, 5: -0.8, 6: 0.9, 7: -0.2, 8: 0.3}
_INDUSTRIES = {f"ind{i}": e for i, e in enumerate([0.5, -0.3, 0.0, 0.2, -0.6, 0.8, -0.1, 0.1, -0.4, 0.3])}
_FREE = ("gmail.com", "yahoo.com", "hotmail.com", "outlook.com")


def synthetic_records(n: int, *, entity: str = "lead", seed: int = 0,
                      now: pd.Timestamp | None = None) -> tuple[pd.DataFrame, np.ndarray]:
    """``(records, true positive probability)`` for ``n`` closed records.

    Args:
        n: number of records.
        entity: ``lead`` (id ``leadid``) or ``opportunity`` (id ``opportunityid``; adds stage, value).
        seed: random seed.
        now: end of the two-year creation window (default 2026-01-01 UTC).
    """
    rng = np.random.default_rng(seed)
    now = now if now is not None else pd.Timestamp("2026-01-01", tz="UTC")
    created = now - pd.to_timedelta(rng.uniform(30, 730, n), unit="D")
    source = rng.choice(list(_SOURCES), n)
    industry = rng.choice(list(_INDUSTRIES), n)
    business = rng.random(n) < 0.6
    phone_ok = rng.random(n) < 0.7
    emails_in = rng.poisson(3, n).astype(float)
    reply_rate = np.clip(rng.beta(2, 3, n), 0, 1)
    budget = np.where(rng.random(n) < 0.3, np.nan, rng.lognormal(10, 1, n))
    employees = rng.integers(1, 5000, n).astype(float)
    logit = (-0.7 + np.vectorize(_SOURCES.get)(source) + np.vectorize(_INDUSTRIES.get)(industry)
             + 0.8 * business + 0.5 * phone_ok + 0.25 * np.minimum(emails_in, 8) - 0.6
             + 1.2 * (reply_rate - 0.4) + 0.3 * np.nan_to_num(np.log(budget) - 10)
             + 0.4 * np.nan_to_num(np.log(budget) - 10) * business)
    frame = pd.DataFrame({
        f"{entity}id": [f"{seed:04x}{i:08x}-0000-4000-8000-{i:012x}" for i in range(n)],
        "createdon": created,
        "leadsourcecode": source,
        "industrycode": industry,
        "emailaddress1": [f"p{i}@{'acme' + str(i % 40) + '.com' if b else _FREE[i % 4]}"
                          for i, b in enumerate(business)],
        "telephone1": np.where(phone_ok, "+33 1 23 45 67 89", "n/a"),
        "firstname": np.where(rng.random(n) < 0.95, "Alex", "x1"),
        "budgetamount": budget,
        "numberofemployees": employees,
        "osi_emailsreceived": emails_in,
        "osi_responseratecustomer": reply_rate,
    })
    if entity == "opportunity":
        stage = rng.integers(0, 4, n)
        logit = logit + 0.3 * stage
        frame["salesstage"] = stage
        frame["estimatedvalue"] = rng.lognormal(9, 1.2, n)
        frame["days_in_stage"] = rng.exponential(20, n)
    p = 1.0 / (1.0 + np.exp(-logit))
    won = rng.random(n) < p
    frame["statecode"] = np.where(won, 1, 2)
    frame["statuscode"] = np.where(won, 3, 4)
    frame["closedon"] = created + pd.to_timedelta(rng.uniform(1, 60, n), unit="D")
    return frame.sort_values("closedon", kind="stable").reset_index(drop=True), p[np.argsort(
        frame["closedon"].to_numpy(), kind="stable")]
