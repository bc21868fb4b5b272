"""The pipeline's path: canonical lead frames (connector/canonical.py) in, osi_ columns out."""

from __future__ import annotations

import pandas as pd

from connector import canonical
from connector.insights.scoring import Columns, ScoringEstimator, score_records
from tests.unit.scoring.conftest import NOW


def test_train_and_score_on_a_canonical_leads_frame(leads: pd.DataFrame) -> None:
    frame = leads.rename(columns={"leadid": "lead_id", "createdon": "created_on", "closedon": "closed_on",
                                  "statecode": "state_code", "statuscode": "status_code",
                                  "emailaddress1": "email"}).drop(columns=["salesnote"])
    frame["owner_id"] = [f"owner-{i % 4}" for i in range(len(frame))]
    frame["modified_on"] = frame["closed_on"]
    frame = canonical.conform(frame, "leads")
    columns = Columns(id="lead_id", time="closed_on", created="created_on", closed="closed_on")
    model = ScoringEstimator(entity="lead", columns=columns).fit(
        frame.drop(columns=["state_code"]), (frame["state_code"] == 1).astype(int), now=NOW).model_
    dropped = model.features.dropped
    for outcome in ("status_code", "modified_on"):
        assert dropped[outcome].startswith("outcome")
    assert dropped["email"].startswith("personal data") and dropped["fullname"].startswith("personal data")
    assert {"owner_id", "eng_email_domain", "eng_record_age_days"} <= set(model.features.columns)
    open_leads = frame.drop(columns=["state_code", "status_code"]).assign(closed_on=pd.NaT).head(25)
    out = score_records(model, open_leads, now=NOW)
    assert out["lead_id"].tolist() == open_leads["lead_id"].tolist()
    assert out["osi_score"].between(0, 100).all()
