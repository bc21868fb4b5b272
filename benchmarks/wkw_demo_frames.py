"""Canonical frames of a demo organisation, extracted once through the real clients and cached.

``demo_frames("M")`` seeds ``.osi/wkw_bench/M/org.db`` (``python -m emulator seed``, in a child process so
the generator's memory is returned), serves it on loopback, reads Dataverse and the Graph mailboxes
exactly as a first sync does, and saves every frame as Parquet under ``.osi/wkw_bench/M/frames``. Later
calls read those files, with no code of the connector involved, so two checkouts (before and after a
change) are timed on the very same frames. Used by ``benchmarks/wkw_speed.py``.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
SEED = 7
TOKEN = "osi-wkw-bench"


def _extract(db: Path) -> dict[str, pd.DataFrame]:
    from connector.auth import StaticTokenCredential
    from connector.dataverse.client import DataverseClient
    from connector.graph.client import GraphClient
    from connector.provision import provision
    from connector.sync import extract as extract_mod
    from connector.sync.snapshot import Snapshot
    from emulator.server import Emulator

    snap = Snapshot()
    with Emulator(db, token=TOKEN, clock=lambda: NOW) as em:
        credential = StaticTokenCredential(TOKEN)
        client = DataverseClient(em.url, credential)
        provision(client)
        extracted = extract_mod.extract(client, snap)
        extract_mod.extract_mail(GraphClient(em.url, credential), snap, extracted, now=NOW)
    return snap.frames


def demo_frames(size: str, home: Path = ROOT / ".osi" / "wkw_bench") -> dict[str, pd.DataFrame]:
    """The canonical frames of the size's demo organisation (seed 7, generated as of :data:`NOW`)."""
    folder = home / size
    cache = folder / "frames"
    if cache.is_dir() and any(cache.glob("*.parquet")):
        return {path.stem: pd.read_parquet(path) for path in sorted(cache.glob("*.parquet"))}
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "org.db"
    if not db.exists():
        subprocess.run([sys.executable, "-m", "emulator", "seed", "--db", str(db), "--size", size, "--seed",
                        str(SEED), "--now", NOW.isoformat()], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    frames = _extract(db)
    cache.mkdir(exist_ok=True)
    for name, frame in frames.items():
        frame.reset_index(drop=True).to_parquet(cache / f"{name}.parquet", index=False)
    return frames
