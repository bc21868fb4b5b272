"""A sync against the emulator resolves each note's dates in its owner's Dataverse time zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from connector.commands.demo import demo_settings
from connector.pipeline import service
from connector.pipeline.run import RunOptions, run_sync
from connector.provision import provision
from emulator.org import DemoOrg
from emulator.server import Emulator
from emulator.timezones import definition_rows

pytestmark = pytest.mark.integration

NOW = datetime(2026, 4, 30, 9, 0, tzinfo=UTC)
PARIS, NEW_YORK, RETIRED, UNSET = (f"0000000{i}-aaaa-4bbb-8ccc-000000000001" for i in range(1, 5))
ACCOUNT = "0000000a-aaaa-4bbb-8ccc-000000000001"
WRITTEN = "2026-04-28T12:00:00Z"  # 14:00 in Paris, 08:00 in New York, 21:00 in Tokyo (the org default)
TEXT = "Call the customer tomorrow at 4 PM to confirm the order."


def _org() -> DemoOrg:
    users = [{"systemuserid": uid, "firstname": first, "lastname": "Seller", "internalemailaddress":
              f"{first.lower()}@osi.example", "isdisabled": False}
             for uid, first in ((PARIS, "Camille"), (NEW_YORK, "Sam"), (RETIRED, "Rio"), (UNSET, "Uma"))]
    # 105 Romance (Paris), 35 Eastern (New York), 75 Mid-Atlantic: a retired Windows id with no IANA zone.
    settings = [{"systemuserid": uid, "timezonecode": code}
                for uid, code in ((PARIS, 105), (NEW_YORK, 35), (RETIRED, 75))]
    notes = [{"annotationid": f"0000000{i}-eeee-4bbb-8ccc-000000000001", "subject": "Follow-up", "notetext": TEXT,
              "objectid": {"id": ACCOUNT, "logicalname": "account"},
              "ownerid": {"id": owner, "logicalname": "systemuser"}, "createdon": WRITTEN, "modifiedon": WRITTEN}
             for i, owner in enumerate((PARIS, NEW_YORK, RETIRED, UNSET), start=1)]
    return DemoOrg(now=NOW, tables={
        "systemuser": users, "usersettings": settings, "timezonedefinition": definition_rows(),
        "account": [{"accountid": ACCOUNT, "name": "Contoso", "ownerid": {"id": PARIS, "logicalname": "systemuser"},
                     "createdon": "2026-01-05T10:00:00Z", "modifiedon": "2026-01-05T10:00:00Z"}],
        "annotation": notes})


def _starts(client) -> dict[str, str]:
    rows = client.list_records("osi_notesuggestions", select=["osi_noteid", "osi_start", "osi_suggestiontype"])
    return {r["osi_noteid"][:9]: r["osi_start"] for r in rows}


def test_each_note_resolves_in_its_owners_zone(tmp_path) -> None:
    with Emulator(tmp_path / "org.db", token="t", clock=lambda: NOW) as em:
        em.store.load_org(_org())
        settings = demo_settings(em.url, em.token, tmp_path / "state")
        svc = service.services(settings)
        provision(svc.dataverse, sleep=lambda s: None)
        summary = run_sync(svc.dataverse, svc.state, now=NOW, options=RunOptions(org_timezone="Asia/Tokyo"))
        assert not summary.failed, summary.failed
        assert summary.rows_read["usersettings"] == 3 and "usersettings" not in summary.full_reads
        assert _starts(svc.dataverse) == {
            "00000001-": "2026-04-29T14:00:00Z",  # 16:00 in Paris (CEST)
            "00000002-": "2026-04-29T20:00:00Z",  # 16:00 in New York (EDT)
            "00000003-": "2026-04-29T07:00:00Z",  # unmappable zone: the organisation's, 16:00 in Tokyo
            "00000004-": "2026-04-29T07:00:00Z",  # no zone set: the organisation's
        }

        # The Paris seller moves to New York: the next run, a delta run for everything else, sees it.
        svc.dataverse.update_record("usersettingscollection", PARIS, {"timezonecode": 35})
        again = run_sync(svc.dataverse, svc.state, now=NOW, options=RunOptions(org_timezone="Asia/Tokyo"))
        assert again.full_reads == []
        assert _starts(svc.dataverse)["00000001-"] == "2026-04-29T20:00:00Z"
