"""The emulator on loopback, and clients pointed at it through the real transport."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest

from connector.auth import StaticTokenCredential
from connector.dataverse import DataverseClient
from connector.http import RetryPolicy, Transport
from emulator.server import Emulator

TOKEN = "t"


@pytest.fixture
def em() -> Iterator[object]:
    with Emulator(token=TOKEN) as running:
        yield running


@pytest.fixture
def transport() -> Iterator[Transport]:
    transport = Transport(timeout=60.0, retry=RetryPolicy(budget_seconds=120.0, backoff_base=0.05, backoff_max=1.0))
    yield transport
    transport.close()


@pytest.fixture
def client(em, transport) -> DataverseClient:
    return DataverseClient(em.url, StaticTokenCredential(TOKEN), transport=transport)


def seed_accounts(em, count: int) -> list[str]:
    """Insert ``count`` accounts straight into the emulator's store (fast set-up, not what is under test)."""
    table = em.store.tables["account"]
    ids = [str(uuid.uuid4()) for _ in range(count)]
    with em.store.transaction() as conn:
        for i, record_id in enumerate(ids):
            em.store.insert(conn, table, {"accountid": record_id, "name": f"Account {i:05d}"})
    return ids
