"""The local snapshot: canonical frames and the checkpoints they are current to, saved together.

A delta run merges changes into the snapshot instead of re-reading everything. Frames are stored as
Parquet objects under a generation prefix, and a small JSON manifest names the generation and holds
the checkpoints (delta links, Graph watermarks). The manifest is written last, so a crash while
saving leaves the previous generation (and its checkpoints) in force: the next run re-reads from
there and finishes the job.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from connector.sync.state import StateStore

log = logging.getLogger(__name__)

MANIFEST = "snapshot/manifest.json"
FORMAT_VERSION = 4
# 2: choice labels in leads and opportunities; 3: account and contact attributes; 4: producers' memory


@dataclass
class Snapshot:
    """Frames by name, the checkpoints (stream name → delta link or watermark) they reflect, and what
    each producer remembers from the run that committed them.

    Attributes:
        producers: producer name → ``{"settings": fingerprint, "version": str, "state": [frame names]}``;
            the state frames themselves are in ``state`` under ``<producer>/<name>``.
    """

    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    checkpoints: dict[str, Any] = field(default_factory=dict)
    generation: int = 0
    producers: dict[str, dict[str, Any]] = field(default_factory=dict)
    state: dict[str, pd.DataFrame] = field(default_factory=dict)


def _to_parquet(df: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    df.reset_index(drop=True).to_parquet(buf, index=False)
    return buf.getvalue()


def load_snapshot(store: StateStore) -> Snapshot:
    """The last saved snapshot, or an empty one (first run, or an unreadable manifest).

    An unreadable or incompatible snapshot is logged and ignored: the run then reads everything
    again, which is slower but loses nothing.
    """
    raw = store.read(MANIFEST)
    if raw is None:
        return Snapshot()
    try:
        manifest = json.loads(raw)
        if manifest.get("format") != FORMAT_VERSION:
            raise ValueError(f"snapshot format {manifest.get('format')!r}")
        gen = int(manifest["generation"])
        frames = {name: _read_frame(store, f"snapshot/{gen}/{name}.parquet") for name in manifest["frames"]}
        state = {name: _read_frame(store, f"snapshot/{gen}/state/{name}.parquet") for name in manifest["state"]}
        return Snapshot(frames, dict(manifest["checkpoints"]), gen, dict(manifest["producers"]), state)
    except (ValueError, KeyError, OSError) as exc:
        log.warning("ignoring the saved snapshot (%s); this run reads everything again", exc)
        return Snapshot()


def _read_frame(store: StateStore, name: str) -> pd.DataFrame:
    data = store.read(name)
    if data is None:
        raise ValueError(f"{name} missing")
    return pd.read_parquet(io.BytesIO(data))


def save_snapshot(store: StateStore, snap: Snapshot, *, previous_state: Iterable[str] = ()) -> None:
    """Save frames and state under a new generation, then switch the manifest to it, then drop the old one.

    Args:
        store: where the snapshot lives.
        snap: what to save (its ``generation`` is advanced).
        previous_state: names of the state frames the previous generation held (deleted with it).
    """
    gen = snap.generation + 1
    for name, df in snap.frames.items():
        store.write(f"snapshot/{gen}/{name}.parquet", _to_parquet(df))
    for name, df in snap.state.items():
        store.write(f"snapshot/{gen}/state/{name}.parquet", _to_parquet(df))
    manifest = {"format": FORMAT_VERSION, "generation": gen, "frames": sorted(snap.frames),
                "checkpoints": snap.checkpoints, "producers": snap.producers, "state": sorted(snap.state)}
    store.write(MANIFEST, json.dumps(manifest, sort_keys=True).encode())
    for name in snap.frames:
        store.delete(f"snapshot/{snap.generation}/{name}.parquet")
    for name in previous_state:
        store.delete(f"snapshot/{snap.generation}/state/{name}.parquet")
    snap.generation = gen


def reset_snapshot(store: StateStore) -> None:
    """Forget the snapshot: the next run reads everything (used by ``sync --full``)."""
    store.delete(MANIFEST)
