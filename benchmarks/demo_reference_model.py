"""A reference lead model that knows the demo generator's formula: what the observable data allows.

The generator (``emulator/seed_deals.py``) draws a lead's outcome from a logit made of effects of its
visible attributes (source, industry, size, seniority, free-mail address, do-not-e-mail, existing
account) plus three hidden factors (buying intent, engagement, responsiveness) and noise. The hidden
factors are never stored in Dataverse; a seller sees them only through noisy traces: budget, budget
status, timeframe and need (intent), how many activities happen per unit of the lead's life
(engagement), how the customer answers e-mails (responsiveness).

The latent propensity's AUC is therefore a ceiling no model can reach. This module gives the other
bracket: a logistic regression written with the generator's own functional form (its size curve, its
seniority table, one-hot effects, the activity rate as the generator draws it) over only what a seller
can see, trained on the same oldest 80 % and tested on the same newest 20 % as our model. It is
benchmark-only: it reads the generator's tables, which a real organisation does not have.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

from emulator.seed_text import FREE_MAIL, JOBS_EN, JOBS_FR

_SENIORITY = {title: level for title, level in (*JOBS_EN, *JOBS_FR)}


def _design(c: pd.DataFrame) -> pd.DataFrame:
    x = pd.DataFrame(index=c.index)
    for col in ("leadsourcecode", "industrycode", "budgetstatus", "purchasetimeframe", "need"):
        x = x.join(pd.get_dummies(c[col].astype(str), prefix=col, dtype=float))
    employees = np.log10(pd.to_numeric(c["numberofemployees"], errors="coerce").clip(lower=1)).fillna(2.4)
    x["size_effect"] = 0.6 - 0.35 * (employees - 2.4) ** 2  # the generator's size curve
    x["seniority"] = c["jobtitle"].map(_SENIORITY).fillna(1.5)
    domain = c["emailaddress1"].astype("string").str.rsplit("@", n=1).str[-1].str.lower()
    x["free_mail"] = domain.isin(FREE_MAIL).fillna(False).astype(float)
    x["do_not_email"] = c["donotemail"].astype(float).fillna(0.0)
    x["existing_account"] = c["parent_account_id"].notna().astype(float)
    budget = np.log(pd.to_numeric(c["budgetamount"], errors="coerce"))
    x["log_budget"] = budget.fillna(budget.mean())
    x["budget_missing"] = budget.isna().astype(float)
    age_days = ((c["_cutoff"] - pd.to_datetime(c["created_on"], utc=True)).dt.total_seconds() / 86_400).clip(lower=0.5)
    x["log_life"] = np.log(age_days)
    # The generator draws a lead's activity count from (2.3 + 5.2 e^{0.6 engagement}) (life / 21 d)^0.5.
    x["log_activity_rate"] = np.log1p(c["act_total_before"] / np.sqrt(age_days / 21))
    x["reply_rate"] = c["act_customer_reply_rate"]
    x["log_reply_hours"] = np.log1p(c["act_customer_reply_hours"].clip(upper=500))
    mails = c["act_emails_incoming_90d"] + c["act_emails_outgoing_90d"]
    x["incoming_share"] = c["act_emails_incoming_90d"] / mails.clip(lower=1)
    return x.fillna(0.0)


def reference_test_auc(closed: pd.DataFrame, outcome: str = "outcome") -> float:
    """Test AUC of the generator-aware logistic regression on ``closed`` ordered by ``_cutoff``.

    Args:
        closed: closed leads as featurised by the scoring producer (raw columns, ``act_*``, ``_cutoff``).
        outcome: the 0/1 label column.

    Raises:
        KeyError: a column the reference needs is missing.
    """
    ordered = closed.sort_values("_cutoff", kind="stable")
    x, y = _design(ordered), ordered[outcome].to_numpy()
    k = int(len(ordered) * 0.8)
    model = LogisticRegression(max_iter=5000).fit(x.iloc[:k], y[:k])
    return round(float(roc_auc_score(y[k:], model.predict_proba(x.iloc[k:])[:, 1])), 4)
