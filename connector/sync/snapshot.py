"""The local snapshot: canonical frames and the checkpoints they are current to, saved together.

A delta run merges changes into the snapshot instead of re-reading everything. Frames are stored as
Parquet objects under a generation prefix, and a small JSON manifest names the generation and holds
the checkpoints (delta links, Graph watermarks). The manifest is written last, so a crash while
saving leaves the previous generation (and its checkpoints) in force: the next run re-reads from
there and finishes the job.

The snapshot is committed twice per run. Right after the extract, the frames, the checkpoints and the
changes read since the producers last committed (``pending``) are saved: a run cut off later (compute,
load) never reads those pages again. After the load, the producers' state is saved and ``pending``
emptied. The producers' state has a generation of its own (``state_generation``), so the first commit
does not rewrite it.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from connector.sync.state import StateStore

log = logging.getLogger(__name__)

MANIFEST = "snapshot/manifest.json"
FORMAT_VERSION = 6
# 2: choice labels in leads and opportunities; 3: account and contact attributes; 4: producers' memory;
# 5: changes pending for the producers, and the producers' state under its own generation;
# 6: each frame saved in the generation that last changed it


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
    state_generation: int = 0
    pending: Pending = field(default_factory=lambda: Pending())
    saved_in: dict[str, int] = field(default_factory=dict)


@dataclass
class Pending:
    """Changes read into the frames since the producers last committed: handed to them at the next compute.

    Attributes:
        changed: frame → ids created or updated.
        deleted: frame → ids deleted.
        full: frames read in full (any row may have changed).
    """

    changed: dict[str, set[str]] = field(default_factory=dict)
    deleted: dict[str, set[str]] = field(default_factory=dict)
    full: set[str] = field(default_factory=set)

    def add(self, changed: dict[str, set[str]], deleted: dict[str, set[str]], full: set[str]) -> None:
        """Add one extract's changes (ids of frames read in full are not kept: the whole frame counts)."""
        self.full |= set(full)
        for mine, theirs in ((self.changed, changed), (self.deleted, deleted)):
            for frame, ids in theirs.items():
                mine.setdefault(frame, set()).update(ids)
        for frame in self.full:
            self.changed.pop(frame, None)
            self.deleted.pop(frame, None)

    def to_json(self) -> dict[str, Any]:
        """A JSON form, ids sorted (what the manifest holds)."""
        return {"full": sorted(self.full),
                "changed": {f: sorted(ids) for f, ids in sorted(self.changed.items()) if ids},
                "deleted": {f: sorted(ids) for f, ids in sorted(self.deleted.items()) if ids}}

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Pending:
        """What :meth:`to_json` gave."""
        return cls(changed={f: set(ids) for f, ids in value["changed"].items()},
                   deleted={f: set(ids) for f, ids in value["deleted"].items()}, full=set(value["full"]))


def _to_parquet(df: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    df.reset_index(drop=True).to_parquet(buf, index=False)
    return buf.getvalue()


def _stored(df: pd.DataFrame) -> tuple[bytes, pd.DataFrame]:
    """The frame's Parquet, and the frame as a later run reads it back from there (an object column of numbers
    comes back as numbers): the producers of this run then see the very frame those of the next run see."""
    table = pa.Table.from_pandas(df.reset_index(drop=True), preserve_index=False)
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue(), table.to_pandas()


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
        gen, sgen = int(manifest["generation"]), int(manifest["state_generation"])
        saved_in = {str(name): int(g) for name, g in manifest["frames"].items()}
        frames = {name: _read_frame(store, f"snapshot/{g}/{name}.parquet") for name, g in saved_in.items()}
        state = {name: _read_frame(store, f"snapshot/state/{sgen}/{name}.parquet") for name in manifest["state"]}
        return Snapshot(frames, dict(manifest["checkpoints"]), gen, dict(manifest["producers"]), state, sgen,
                        Pending.from_json(manifest["pending"]), saved_in)
    except (ValueError, KeyError, OSError, TypeError) as exc:
        log.warning("ignoring the saved snapshot (%s); this run reads everything again", exc)
        return Snapshot()


def _read_frame(store: StateStore, name: str) -> pd.DataFrame:
    data = store.read(name)
    if data is None:
        raise ValueError(f"{name} missing")
    return pd.read_parquet(io.BytesIO(data))


def save_snapshot(store: StateStore, snap: Snapshot, *, frames: bool = True, state: bool = True,
                  previous_state: Iterable[str] = (), changed: Iterable[str] | None = None) -> None:
    """Save what is asked under new generations, then switch the manifest to them, then drop the old ones.

    The checkpoints and pending changes are always saved (they are in the manifest).

    Args:
        store: where the snapshot lives.
        snap: what to save (its generations are advanced).
        frames: save the frames (after the extract); without it the saved frames stay as they are. Each frame
            saved is replaced in ``snap`` by what reading it back gives.
        state: save the producers' state (after the load); without it the saved state stays as it is.
        previous_state: names of the state frames the previous state generation held (deleted with it).
        changed: the frames that changed since they were saved (default: all); the others stay where they are,
            so a run that read little writes little.
    """
    gen, sgen = snap.generation + (1 if frames else 0), snap.state_generation + (1 if state else 0)
    rewritten: dict[str, int] = {}
    if frames:
        dirty = set(snap.frames) if changed is None else set(changed) | (set(snap.frames) - set(snap.saved_in))
        for name in sorted(dirty & set(snap.frames)):
            data, snap.frames[name] = _stored(snap.frames[name])
            store.write(f"snapshot/{gen}/{name}.parquet", data)
            if name in snap.saved_in:
                rewritten[name] = snap.saved_in[name]
            snap.saved_in[name] = gen
    if state:
        for name, df in snap.state.items():
            store.write(f"snapshot/state/{sgen}/{name}.parquet", _to_parquet(df))
    manifest = {"format": FORMAT_VERSION, "generation": gen,
                "frames": {name: snap.saved_in[name] for name in sorted(snap.frames) if name in snap.saved_in},
                "checkpoints": snap.checkpoints, "producers": snap.producers, "state": sorted(snap.state),
                "state_generation": sgen, "pending": snap.pending.to_json()}
    store.write(MANIFEST, json.dumps(manifest, sort_keys=True).encode())
    for name, old in rewritten.items():
        store.delete(f"snapshot/{old}/{name}.parquet")
    if state:
        for name in previous_state:
            store.delete(f"snapshot/state/{snap.state_generation}/{name}.parquet")
    snap.generation, snap.state_generation = gen, sgen


def reset_snapshot(store: StateStore) -> None:
    """Forget the snapshot: the next run reads everything (used by ``sync --full``)."""
    store.delete(MANIFEST)
