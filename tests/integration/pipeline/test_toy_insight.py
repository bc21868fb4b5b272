"""Adding an insight is one declaration: a toy producer with a table of its own runs through the whole
pipeline on the emulator (provisioned, computed, written, read back, rewritten only when it changes)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pandas as pd
import pytest
from pydantic import Field

from connector.commands.demo import demo_settings
from connector.feature_settings import FeatureSettings
from connector.pipeline import service
from connector.pipeline.contract import Frames, Output, Produced, Producer, RunContext
from connector.pipeline.registry import PRODUCERS, Registry
from connector.pipeline.run import RunOptions, run_sync
from connector.provision import provision
from connector.schema import EXTENDED_TABLES, KEY_COLUMN, TABLES, ColumnDef, KeyDef, TableDef
from emulator.org import DemoOrg
from emulator.server import Emulator

pytestmark = pytest.mark.integration

NOW = datetime(2026, 5, 1, 9, tzinfo=UTC)
ANNA, BEN = (f"0000000{i}-aaaa-4bbb-8ccc-000000000001" for i in (1, 2))
ACCOUNT = "0000000a-aaaa-4bbb-8ccc-000000000001"


# --- the whole insight: one declaration ---------------------------------------------------------------

class NoteCountSettings(FeatureSettings):
    minimum: int = Field(default=1, ge=1, description="Owners with fewer notes get no row.")


NOTE_COUNTS = TableDef(
    "osi_NoteCount", "Note count", "Note counts", "Notes written per colleague",
    (KEY_COLUMN, ColumnDef("osi_Notes", "integer", "Notes written", "Notes this colleague wrote",
                           min_value=0, max_value=1_000_000, label_fr="Notes écrites")),
    (KeyDef("osi_notecount_key", ("osi_key",), "Natural key"),), label_fr=("Nombre de notes", "Nombres de notes"))


def _count(frames: Frames, ctx: RunContext[NoteCountSettings]) -> Produced:
    notes = frames["notes"]
    counts = notes.groupby("owner_id").size()
    counts = counts[counts >= ctx.settings.minimum].sort_index()
    rows = pd.DataFrame({"osi_key": counts.index.astype(str), "osi_name": [f"notes of {o}" for o in counts.index],
                         "osi_notes": counts.to_numpy()})
    return Produced(frames={"osi_notecount": rows}, evaluated=len(notes))


NOTE_COUNT: Producer[Any] = Producer("note_count", "Counts notes per colleague.", NoteCountSettings,
                                     (Output("osi_notecount"),), _count, tables=(NOTE_COUNTS,))

# -------------------------------------------------------------------------------------------------------


def _note(i: int, owner: str) -> dict[str, Any]:
    return {"annotationid": f"0000000{i}-eeee-4bbb-8ccc-000000000001", "subject": "Visit", "notetext": "Met them.",
            "objectid": {"id": ACCOUNT, "logicalname": "account"},
            "ownerid": {"id": owner, "logicalname": "systemuser"},
            "createdon": "2026-04-20T10:00:00Z", "modifiedon": "2026-04-20T10:00:00Z"}


def _org() -> DemoOrg:
    users = [{"systemuserid": uid, "firstname": name, "lastname": "Seller", "internalemailaddress":
              f"{name.lower()}@osi.example", "isdisabled": False} for uid, name in ((ANNA, "Anna"), (BEN, "Ben"))]
    return DemoOrg(now=NOW, tables={
        "systemuser": users,
        "account": [{"accountid": ACCOUNT, "name": "Contoso", "ownerid": {"id": ANNA, "logicalname": "systemuser"},
                     "createdon": "2026-01-05T10:00:00Z", "modifiedon": "2026-01-05T10:00:00Z"}],
        "annotation": [_note(1, ANNA), _note(2, ANNA), _note(3, BEN)]})


def _counts(client: Any) -> dict[str, int]:
    rows = client.list_records("osi_notecounts", select=["osi_key", "osi_notes"])
    return {r["osi_key"]: r["osi_notes"] for r in rows}


def test_a_new_insight_is_one_declaration(tmp_path) -> None:
    registry = Registry((*PRODUCERS, NOTE_COUNT))
    with Emulator(tmp_path / "org.db", token="t", clock=lambda: NOW) as em:
        em.store.load_org(_org())
        svc = service.services(demo_settings(em.url, em.token, tmp_path / "state"))
        report = provision(svc.dataverse, sleep=lambda s: None, tables=registry.tables(),
                           extended=registry.extended_columns())
        assert report.ok, report.summary()
        options = RunOptions(registry=registry)
        first = run_sync(svc.dataverse, svc.state, now=NOW, options=options)
        assert first.status == "Succeeded" and not first.errors, first.as_dict()
        assert _counts(svc.dataverse) == {ANNA: 2, BEN: 1}
        assert first.evaluated["note_count"] == 3
        settings = {r["osi_key"] for r in svc.dataverse.list_records("osi_settings", select=["osi_key"])}
        assert {"features", "note_count"} <= settings

        again = run_sync(svc.dataverse, svc.state, now=NOW + timedelta(hours=1), options=options)
        assert again.status == "Succeeded" and "osi_notecount:upsert" not in again.written

        svc.dataverse.create_record("annotations", {
            "subject": "Call", "notetext": "Called them.", "objectid_account@odata.bind": f"/accounts({ACCOUNT})",
            "ownerid@odata.bind": f"/systemusers({BEN})"})
        third = run_sync(svc.dataverse, svc.state, now=NOW + timedelta(hours=2), options=options)
        assert third.status == "Succeeded" and third.written.get("osi_notecount:upsert") == 1
        assert _counts(svc.dataverse) == {ANNA: 2, BEN: 2}
    assert NOTE_COUNTS not in TABLES and "osi_notecount" not in EXTENDED_TABLES  # nothing else was touched
