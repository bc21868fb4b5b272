"""Serve a demo organisation from its own emulator process, for the benchmarks that measure the connector alone."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path


def serve(db: Path, token: str) -> tuple[subprocess.Popen[str], str]:
    """Start ``python -m emulator serve`` on ``db`` (loopback, a free port); return the process and its URL.

    Raises:
        SystemExit: the emulator did not say where it listens.
    """
    proc = subprocess.Popen([sys.executable, "-m", "emulator", "serve", "--db", str(db), "--token", token],
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    match = re.search(r"(http://127\.0\.0\.1:\d+)", line)
    if not match:
        proc.kill()
        raise SystemExit(f"emulator did not start: {line!r}")
    return proc, match.group(1)
