"""Graph mail extraction against the emulator: pages, survives throttling, resumes, honours exclusions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from connector.auth import StaticTokenCredential
from connector.dataverse.client import DataverseClient
from connector.graph.client import GraphClient
from connector.http import RetryPolicy, Transport
from connector.sync.extract import ExtractResult, extract, extract_mail
from connector.sync.snapshot import Snapshot
from connector.sync.streams import STREAMS
from emulator.seed import generate
from emulator.server import Emulator

pytestmark = [pytest.mark.integration, pytest.mark.slow]

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def test_mailboxes_are_paged_throttled_resumed_and_excluded(tmp_path) -> None:
    with Emulator(tmp_path / "org.db", token="t") as em:
        em.store.load_org(generate("S", seed=2, now=NOW - timedelta(hours=1)))
        credential = StaticTokenCredential("t")
        transport = Transport(retry=RetryPolicy(budget_seconds=120))
        users_only = tuple(s for s in STREAMS if s.name == "systemusers")
        snap = Snapshot()
        extract(DataverseClient(em.url, credential, transport=transport), snap, streams=users_only)
        graph = GraphClient(em.url, credential, transport=transport)
        excluded = str(snap.frames["users"]["aad_object_id"].dropna().iloc[0])

        em.faults.throttle_every(r"/v1\.0/users/", every=5, retry_after=1)
        first = ExtractResult()
        extract_mail(graph, snap, first, now=NOW, excluded_users=[excluded])
        throttled = em.counters.snapshot()
        em.faults.clear()

        mail = snap.frames["mail"]
        assert len(mail) > 1000
        assert mail["message_id"].is_unique
        assert excluded not in set(mail["mailbox_user_id"])
        assert f"mail:{excluded}" not in first.checkpoints
        assert not first.errors
        assert throttled["total_requests"] > 10

        # The next run starts from each mailbox's checkpoint: almost nothing is read again.
        snap.checkpoints.update(first.checkpoints)
        second = ExtractResult()
        extract_mail(graph, snap, second, now=NOW, excluded_users=[excluded])
        again = sum(v for k, v in second.rows_read.items() if k.startswith("mail:"))
        assert again <= 3 * len(second.checkpoints), second.rows_read
        assert len(snap.frames["mail"]) == len(mail)
