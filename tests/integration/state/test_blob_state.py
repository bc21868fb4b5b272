"""The Azure Blob state store against Azurite on loopback (started by the test)."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pandas as pd
import pytest

from connector.errors import RunInProgressError
from connector.sync.snapshot import Snapshot, load_snapshot, save_snapshot
from connector.sync.state import BlobStateStore
from tests.integration.azurite import azurite as start_azurite

pytestmark = pytest.mark.integration

@pytest.fixture(scope="module")
def azurite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with start_azurite(tmp_path_factory.mktemp("azurite")) as connection_string:
        yield connection_string


def test_blob_store_reads_writes_and_snapshots(azurite: str) -> None:
    store = BlobStateStore(azurite, container="osi-test")
    assert store.read("missing") is None
    snap = Snapshot({"contacts": pd.DataFrame({"contact_id": ["a"]})}, {"contacts": "link"})
    save_snapshot(store, snap)
    loaded = load_snapshot(BlobStateStore(azurite, container="osi-test"))
    assert loaded.checkpoints == {"contacts": "link"}
    assert list(loaded.frames["contacts"]["contact_id"]) == ["a"]


def test_blob_lease_refuses_a_second_run(azurite: str) -> None:
    store = BlobStateStore(azurite, container="osi-lease")
    with store.lease("sync"):
        with pytest.raises(RunInProgressError):
            with BlobStateStore(azurite, container="osi-lease").lease("sync"):
                pass
    with store.lease("sync"):
        pass


def test_a_lease_taken_by_another_run_is_lost_and_stops_every_write(azurite: str) -> None:
    from azure.storage.blob import BlobLeaseClient, BlobServiceClient

    from connector.errors import LeaseLostError

    store = BlobStateStore(azurite, container="osi-lost", prefix="org")
    store.RENEW_EVERY = 0.2  # renew often so the test sees the failure at once
    with store.lease("sync") as held:
        store.write("snapshot/manifest.json", b"{}")
        # Another process breaks our lease and takes its own: our next renewal fails.
        blob = BlobServiceClient.from_connection_string(azurite).get_blob_client("osi-lost", "org/sync.lease")
        BlobLeaseClient(blob).break_lease(lease_break_period=0)
        blob.acquire_lease(lease_duration=15)
        for _ in range(100):
            if held.lost:
                break
            time.sleep(0.05)
        assert held.lost
        with pytest.raises(LeaseLostError):
            store.write("snapshot/manifest.json", b"{\"late\": true}")
        with pytest.raises(LeaseLostError):
            store.scoped("models").write("x", b"")
    assert store.read("snapshot/manifest.json") == b"{}"
