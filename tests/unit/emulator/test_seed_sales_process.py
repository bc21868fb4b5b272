"""The demo organisation's opportunity sales process: every opportunity's stage path, as Dataverse keeps it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from emulator.org import DemoOrg
from emulator.seed import generate


@pytest.fixture(scope="module")
def org() -> DemoOrg:
    return generate("S", seed=3, now=datetime(2026, 3, 1, tzinfo=UTC))


def test_every_opportunity_has_one_instance_whose_path_ends_at_its_stage(org: DemoOrg) -> None:
    stages = {r["processstageid"]: r["stagecategory"] for r in org.tables["processstage"]}
    assert sorted(stages.values()) == [0, 1, 2, 3]
    opps = {r["opportunityid"]: r for r in org.tables["opportunity"]}
    instances = org.tables["opportunitysalesprocess"]
    assert sorted(r["bpf_opportunityid"]["id"] for r in instances) == sorted(opps)
    for inst in instances:
        opp = opps[inst["bpf_opportunityid"]["id"]]
        path = inst["traversedpath"].split(",")
        # Stages in order from the first, ending at the active one, which is the opportunity's stage.
        assert [stages[s] for s in path] == list(range(opp["salesstage"] + 1))
        assert path[-1] == inst["activestageid"]["id"]
        assert opp["createdon"] <= inst["activestagestartedon"] <= (opp["actualclosedate"] or "9999") + "T23:59:59Z"
        closed = opp["statecode"] != 0
        assert (inst["statecode"] == 1) == closed and (inst["completedon"] is not None) == closed
        assert inst["statuscode"] == ({1: 2, 2: 3}[opp["statecode"]] if closed else 1)


def test_the_sales_process_is_the_same_for_the_same_seed(org: DemoOrg) -> None:
    again = generate("S", seed=3, now=datetime(2026, 3, 1, tzinfo=UTC))
    assert again.tables["opportunitysalesprocess"] == org.tables["opportunitysalesprocess"]
    assert len(org.tables["opportunity"]) == 600 and len(org.tables["lead"]) == 1000
