"""A run lease that is lost stops the run's writes: to the state store and to Dataverse."""

from __future__ import annotations

import pytest

from connector.errors import LeaseLostError
from connector.pipeline.service import LeaseGuardedClient
from connector.sync.state import Lease, LocalStateStore


def test_a_lease_not_renewed_for_too_long_is_lost() -> None:
    now = [0.0]
    lease = Lease("sync", max_silence=45.0, clock=lambda: now[0])
    now[0] = 30.0
    lease.renewed()
    now[0] = 70.0
    lease.check()  # 40 s since the last renewal: still held
    now[0] = 80.0
    with pytest.raises(LeaseLostError, match="not renewed for 50 s"):
        lease.check()


class _Client:
    def __init__(self) -> None:
        self.batches = 0

    def submit_batch(self, operations: list[object], **kwargs: object) -> list[object]:
        self.batches += 1
        return []

    def who_am_i(self) -> dict[str, str]:
        return {"UserId": "u"}


def test_the_load_stops_at_the_first_batch_after_the_lease_is_lost(tmp_path) -> None:
    store = LocalStateStore(tmp_path).scoped("org")
    inner = _Client()
    client = LeaseGuardedClient(inner, store)  # type: ignore[arg-type]
    with store.lease("sync") as held:
        client.submit_batch([])
        held.lose("renewal failed: ServiceResponseError")
        with pytest.raises(LeaseLostError):
            client.submit_batch([])
    assert inner.batches == 1
    assert client.who_am_i() == {"UserId": "u"}  # everything else passes through
