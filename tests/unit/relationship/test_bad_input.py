"""Malformed rows never stop the computation of the other records."""

from __future__ import annotations

import pandas as pd

from connector.insights.relationship import compute_relationships

from .builders import NOW, Org


def test_hostile_rows_are_skipped_or_neutral() -> None:
    org = Org().user("u1").contact("c1").contact("c1").contact("c2")  # c1 twice
    org.email("e1", "2026-11-20 10:00", "u1", ["c1"], subject="x" * 100_000)
    org.email("e2", "2026-11-21 10:00", "c1", ["u1"], subject="Re: " + "x" * 100_000)
    org.meeting("m1", "2026-11-22 10:00", "u1", ["c1"], duration=-30)  # negative: treated as unknown
    org._activity("f1", "fax", "2026-11-22 10:00", regarding_id="c1")  # unknown type
    org._activity("n1", "email", "2026-11-22 10:00", regarding_id="c1")
    org.activities[-1]["occurred_on"] = pd.NaT  # no time at all
    org.parties.append({"activity_id": "ghost", "party_id": "c2", "participation": 2})  # unknown activity
    org.parties.append({"activity_id": "e1", "party_id": "nobody-knows", "participation": 99})
    out = compute_relationships(org.frames(), now=NOW)
    c1 = out["contact"].loc["c1"]
    assert out["contact"].index.is_unique
    assert (c1["osi_emailssent"], c1["osi_emailsreceived"], c1["osi_meetingssent"]) == (1, 1, 1)
    assert c1["osi_responsehourscustomer"] == 24.0
    assert c1["osi_timespentteam"] == round(5 + 2.5 + 30)  # the meeting falls back to the 30 min default
    assert out["contact"].loc["c2", "osi_emailssent"] == 0
