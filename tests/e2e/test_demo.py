"""The quick start's first command, end to end: `python -m connector demo` on a fresh home folder."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from connector.provision import plan_size

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _demo(home: Path, port: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "connector", "demo", "--home", str(home), "--port", str(port), "--no-serve",
         "--now", "2026-11-02T09:00:00Z"],
        cwd=ROOT, capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL)


def test_demo_seeds_provisions_syncs_and_shows_what_a_seller_sees(tmp_path: Path) -> None:
    port = _free_port()
    first = _demo(tmp_path, port)
    assert first.returncode == 0, first.stderr[-3000:]
    out = first.stdout
    run = re.search(r"Sync run (\w+): (\d+) records read, (\d+) written, (\d+) failed", out)
    assert run, out
    assert run.group(1) == "Succeeded", out
    assert int(run.group(2)) > 50_000 and int(run.group(3)) > 1_000 and run.group(4) == "0"
    assert re.search(r"health +\d+ +(Good|Fair|Poor)", out), out
    assert re.search(r"score +\d+ +grade [ABCD]", out), out
    steps = plan_size()
    assert f"Provisioning: {steps} created" in first.stderr

    # The second demo keeps the organisation and its state: only changes are read, nothing is written.
    second = _demo(tmp_path, port)
    assert second.returncode == 0, second.stderr[-3000:]
    again = re.search(r"Sync run (\w+): (\d+) records read, (\d+) written", second.stdout)
    assert again and again.group(3) == "0", second.stdout
    assert f"0 created, {steps} already present" in second.stderr
    # Secrets never reach the output.
    for stream in (first.stdout, first.stderr, second.stdout, second.stderr):
        assert "osi-demo-token" not in stream
