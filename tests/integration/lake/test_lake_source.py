"""The lake source (Synapse Link / Fabric link Delta tables) and the Web API give the same insights.

A demo organisation is served by the emulator; a fixture writes the link's Delta layout from it (every
exported table, the activity parties, the choice labels). A first run configured as an administrator would
(``OSI_SOURCE=lake``, ``OSI_LAKE_URL``) reads the lake (our own tables and the writes still go through the
Web API); a second first run, with no snapshot, reads everything through the Web API: it must read the same
canonical frames and find nothing left to write.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest

from connector.commands.demo import demo_settings
from connector.pipeline import service
from connector.pipeline.run import RunOptions, run_sync
from connector.provision import provision
from connector.settings import Settings
from connector.sync.lake_layout import export_from_web
from connector.sync.snapshot import load_snapshot
from connector.sync.state import LocalStateStore
from emulator.seed import generate
from emulator.server import Emulator

pytest.importorskip("deltalake", reason="the lake source needs the deltalake package")

pytestmark = [pytest.mark.integration, pytest.mark.slow]

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
FRAMES = {"users": "user_id", "accounts": "account_id", "contacts": "contact_id", "leads": "lead_id",
          "opportunities": "opportunity_id", "activities": "activity_id", "notes": "note_id"}


def _canonical(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """The frame without our own columns (nor the modification time our own writes moved), rows by key, values
    as text."""
    kept = [c for c in frame.columns if not c.startswith("osi_") and c not in ("modified_on", "modifiedon")]
    out = frame[kept].sort_values(key, kind="stable").reset_index(drop=True)
    return out.astype("string").fillna("<NA>")


def test_the_lake_and_the_web_api_give_identical_insights(tmp_path) -> None:
    with Emulator(tmp_path / "org.db", token="t", clock=lambda: NOW) as em:
        em.store.load_org(generate("XS", seed=21, now=NOW - timedelta(hours=1)))
        settings = demo_settings(em.url, em.token, tmp_path / "state")
        svc = service.services(settings)
        provision(svc.dataverse)
        exported = export_from_web(svc.dataverse, tmp_path / "lake", modified=NOW)
        assert exported["email"] > 1000 and exported["activityparty"] > 1000

        opts = RunOptions(batch_size=settings.batch_size)
        lake_settings = Settings.from_env({
            "OSI_DATAVERSE_URL": em.url, "OSI_STATIC_TOKEN": em.token, "OSI_GRAPH_ENABLED": "true",
            "OSI_GRAPH_URL": em.url, "OSI_STATE_DIR": str(tmp_path / "state"), "OSI_BATCH_SIZE": "200",
            "OSI_SOURCE": "lake", "OSI_LAKE_URL": str(tmp_path / "lake")})
        via_lake = service.run(lake_settings, trigger="cli", now=NOW)
        assert via_lake.status == "Succeeded" and not via_lake.errors, via_lake.as_dict()
        # The standard tables were read from the lake: their checkpoints are the lake's row versions.
        links = load_snapshot(svc.state).checkpoints
        assert all(str(links[s]).startswith("lake:") for s in ("contacts", "emails", "leads")), links
        assert sum(via_lake.written.values()) > 300

        # The same organisation read through the Web API, from no snapshot (the trained models stay: the
        # registry in Dataverse names them).
        shutil.copytree(svc.state.root / "models", tmp_path / "web" / "models")
        web_state = LocalStateStore(tmp_path / "web")
        via_web = run_sync(svc.dataverse, web_state, now=NOW, graph=svc.graph, options=opts)
        assert via_web.status == "Succeeded" and not via_web.errors, via_web.as_dict()
        lake_frames, web_frames = load_snapshot(svc.state).frames, load_snapshot(web_state).frames
        for name, key in FRAMES.items():
            pd.testing.assert_frame_equal(_canonical(lake_frames[name], key), _canonical(web_frames[name], key),
                                          obj=name)
        parties = ["activity_id", "party_id", "participation"]
        pd.testing.assert_frame_equal(_canonical(lake_frames["parties"], parties[0]).sort_values(parties)
                                      .reset_index(drop=True),
                                      _canonical(web_frames["parties"], parties[0]).sort_values(parties)
                                      .reset_index(drop=True), obj="parties")
        # A run without a snapshot does not know which timeline entries exist (they are created, not read back)
        # and upserts them again by their key: the same rows, no duplicate. Nothing else may be written.
        written = {k: v for k, v in via_web.written.items() if not k.startswith(("osi_syncrun", "osi_insight:upsert"))}
        assert written == {}, written

