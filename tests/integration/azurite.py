"""Start Azurite (blob + queue) on loopback for a test module; stopped when the module ends."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Azurite's documented development account; not a secret.
DEV_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _binary() -> Path:
    binary = ROOT / "node_modules" / ".bin" / "azurite"
    if binary.exists():
        return binary
    found = shutil.which("azurite")
    if not found:
        pytest.fail("Azurite is not installed: run `npm install` (make test does)")
    return Path(found)


def _wait(port: int, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    proc.kill()
    pytest.fail("Azurite did not start")


@contextmanager
def azurite(location: Path) -> Iterator[str]:
    """Azurite's blob and queue services on free loopback ports; yields the connection string."""
    blob, queue, table = free_port(), free_port(), free_port()
    proc = subprocess.Popen(
        [str(_binary()), "--silent", "--location", str(location), "--disableTelemetry", "--skipApiVersionCheck",
         "--blobHost", "127.0.0.1", "--blobPort", str(blob), "--queueHost", "127.0.0.1", "--queuePort", str(queue),
         "--tableHost", "127.0.0.1", "--tablePort", str(table)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(blob, proc)
        _wait(queue, proc)
        yield (f"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={DEV_KEY};"
               f"BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;"
               f"QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;")
    finally:
        proc.terminate()
        proc.wait(timeout=10)
