"""The Azure Blob state store against Azurite on loopback (started by the test)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from connector.errors import RunInProgressError
from connector.sync.snapshot import Snapshot, load_snapshot, save_snapshot
from connector.sync.state import BlobStateStore

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]
# Azurite's documented development account; not a secret.
DEV_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def azurite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = ROOT / "node_modules" / ".bin" / "azurite-blob"
    if not binary.exists():
        found = shutil.which("azurite-blob")
        if not found:
            pytest.fail("Azurite is not installed: run `npm install` (make test does)")
        binary = Path(found)
    port = _free_port()
    data = tmp_path_factory.mktemp("azurite")
    proc = subprocess.Popen(
        [str(binary), "--silent", "--blobHost", "127.0.0.1", "--blobPort", str(port), "--location", str(data),
         "--disableTelemetry", "--skipApiVersionCheck"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("Azurite did not start")
    yield (f"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DEV_KEY};"
           f"BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;")
    proc.terminate()
    proc.wait(timeout=10)


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
