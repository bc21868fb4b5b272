"""Compute checkpoints: each producer's result kept in the state store as it finishes, so a run cut off in
its compute or its load goes on where it stopped instead of starting the compute again.

A run is resumed *as of the interrupted run's* ``now``, on the same inputs, with the same changes: results
computed as of one time are never mixed with results computed as of another. The checkpoint holds:

- a key: the producers' committed memory (state generation and meta), their parsed settings, their versions
  and the run's options; any difference and the checkpoint is discarded;
- the run's ``now`` and the pending changes the compute was given;
- a digest of every input frame without what the run itself writes (our ``osi_`` columns, the
  ``modifiedon`` they move, our own tables): a later invocation's extract reads back what the interrupted
  load wrote, and that must not count as new input, but any other change does (the checkpoint is then
  discarded and the run computed afresh as of the new ``now``);
- per producer that finished: its frames and state (Parquet), notes, warnings, evaluated count and skipped
  records (``compute/<producer>/...``, the manifest written last).

The pipeline clears it once the run has committed the producers' state.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

from connector.errors import RecordError
from connector.pipeline.contract import Produced
from connector.sync.snapshot import Pending
from connector.sync.staging import Objects

log = logging.getLogger(__name__)

PREFIX = "compute"
MANIFEST = f"{PREFIX}/manifest.json"
FORMAT = 1
OWN_FRAME_PREFIX = "own_"
MODIFIED = ("modified_on", "modifiedon")


def _own_columns(frame: pd.DataFrame) -> list[str]:
    """Columns the run's own load changes: our ``osi_`` columns and the ``modifiedon`` a write moves."""
    ours = [c for c in frame.columns if str(c).startswith("osi_")]
    return [*ours, *(c for c in MODIFIED if c in frame.columns)] if ours else ours


def _row_hashes(frame: pd.DataFrame) -> pd.Series:
    """One 64-bit hash per row of ``frame`` (values only, in column order), the same for the frame as extracted
    and as read back from the snapshot's Parquet (an object column of numbers comes back as numbers)."""
    try:
        typed = pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False).to_pandas()
    except (pa.ArrowException, ValueError, TypeError):
        typed = frame.reset_index(drop=True)
    try:
        return pd.util.hash_pandas_object(typed, index=False)
    except TypeError:  # lists or dicts in a column: hashed through their text
        return pd.util.hash_pandas_object(typed.astype(str), index=False)


def input_digests(frames: Mapping[str, pd.DataFrame]) -> dict[str, str]:
    """Frame → digest of its rows (in any order) without what the run's own writes change (our tables left out)."""
    out = {}
    for name in sorted(frames):
        if name.startswith(OWN_FRAME_PREFIX):
            continue
        frame = frames[name]
        base = frame.drop(columns=_own_columns(frame))
        h = hashlib.sha256(json.dumps([str(c) for c in base.columns]).encode())
        # Sorted: the same rows in another order are the same input.
        h.update(np.sort(_row_hashes(base).to_numpy()).tobytes())
        out[name] = h.hexdigest()
    return out


def _parquet(df: pd.DataFrame) -> bytes:
    buf = io.BytesIO()
    df.reset_index(drop=True).to_parquet(buf, index=False)
    return buf.getvalue()


@dataclass
class ComputeCheckpoint:
    """The checkpoint of one run's compute (see the module's docstring).

    Attributes:
        now: the run's reference time (the interrupted run's when resumed).
        pending: the changes the producers are given (the interrupted run's when resumed).
        left_pending: changes read since the interrupted run's compute started (our own writes are none, see
            :mod:`connector.sync.echoes`): they stay pending for the next run once this one commits.
        resumed: producers' results of an interrupted run are reused.
    """

    store: Objects
    key: str
    now: datetime
    pending: Pending
    left_pending: Pending = field(default_factory=Pending)
    resumed: bool = False
    producers: dict[str, dict[str, Any]] = field(default_factory=dict)
    digests: dict[str, str] = field(default_factory=dict)

    @classmethod
    def open(cls, store: Objects, *, key: str, frames: Mapping[str, pd.DataFrame], pending: Pending,
             now: datetime) -> ComputeCheckpoint:
        """The checkpoint an interrupted run left for the same key and inputs, else a fresh one as of ``now``.

        Raises:
            OSError (or the store's own errors): the store cannot be read or written.
        """
        # Frames read by change tracking can only change through ids the pending changes name (checked by
        # `_within`); a frame read in full can change anywhere, so only those are hashed (at size M hashing
        # every frame took 13 s of every run).
        digests = input_digests({name: frame for name, frame in frames.items() if name in pending.full})
        saved = cls._saved(store, key, digests, pending)
        if saved is not None:
            saved.left_pending = _left(saved.pending, pending)
            log.info("compute resumed as of %s: %d producers' results reused", saved.now.isoformat(),
                     len(saved.producers))
            return saved
        fresh = cls(store, key, now, pending, digests=digests)
        fresh.clear()
        store.write(f"{PREFIX}/pending.json", json.dumps(pending.to_json()).encode())
        fresh._save_manifest()
        return fresh

    @classmethod
    def _saved(cls, store: Objects, key: str, digests: dict[str, str], pending: Pending) -> ComputeCheckpoint | None:
        raw = store.read(MANIFEST)
        if raw is None:
            return None
        try:
            manifest = json.loads(raw)
            if manifest.get("format") != FORMAT or manifest["key"] != key:
                return None
            if manifest["digests"] != digests:
                log.info("inputs changed since the interrupted compute: computing afresh")
                return None
            saved_pending = Pending.from_json(json.loads(store.read(f"{PREFIX}/pending.json") or b"null"))
            if not _within(saved_pending, pending):
                return None
            return cls(store, key, datetime.fromisoformat(manifest["now"]), saved_pending, resumed=True,
                       producers=dict(manifest["producers"]), digests=digests)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            log.info("discarding the compute checkpoint (%s)", exc)
            return None

    def saved(self, producer: str) -> tuple[Produced, list[RecordError]] | None:
        """What ``producer`` returned in the interrupted run, and the records it skipped; ``None`` if it did not finish.

        Raises:
            ValueError: a saved object is missing or unreadable.
        """
        meta = self.producers.get(producer)
        if meta is None:
            return None
        frames = {t: self._read(f"{PREFIX}/{producer}/frames/{t}.parquet") for t in meta["frames"]}
        state = {n: self._read(f"{PREFIX}/{producer}/state/{n}.parquet") for n in meta["state"]}
        produced = Produced(frames=frames, state=state, notes=list(meta["notes"]), warnings=list(meta["warnings"]),
                            evaluated=int(meta["evaluated"]))
        return produced, [RecordError(*p) for p in meta["problems"]]

    def save(self, producer: str, produced: Produced, problems: Sequence[RecordError]) -> None:
        """Keep what ``producer`` returned (objects first, then the manifest naming them).

        A result Parquet cannot hold is logged and not kept: the producer then runs again if the run is resumed.
        """
        frames = {f"{PREFIX}/{producer}/frames/{t}.parquet": df for t, df in produced.frames.items()}
        frames.update({f"{PREFIX}/{producer}/state/{n}.parquet": df for n, df in produced.state.items()})
        written: list[str] = []
        try:
            # One object at a time: the Parquet of every frame held at once set the run's peak at size M.
            for name, df in frames.items():
                self.store.write(name, _parquet(df))
                written.append(name)
        except (pa.ArrowException, ValueError, TypeError) as exc:
            log.warning("the result of %s cannot be checkpointed (%s); a resumed run computes it again", producer, exc)
            for name in written:
                self.store.delete(name)
            return
        self.producers[producer] = {
            "frames": sorted(produced.frames), "state": sorted(produced.state), "notes": list(produced.notes),
            "warnings": list(produced.warnings), "evaluated": int(produced.evaluated),
            "problems": [[e.table, e.record_id, e.field, e.problem] for e in problems]}
        self._save_manifest()

    def clear(self) -> None:
        """Drop the checkpoint (once the run committed, or when it no longer applies)."""
        raw = self.store.read(MANIFEST)
        try:
            manifest = json.loads(raw) if raw is not None else {}
            old = manifest.get("producers", {}) if isinstance(manifest, dict) else {}
        except (ValueError, AttributeError):
            old = {}
        names: list[str] = []
        for producer, meta in old.items():
            names += [f"{PREFIX}/{producer}/frames/{t}.parquet" for t in meta.get("frames", [])]
            names += [f"{PREFIX}/{producer}/state/{n}.parquet" for n in meta.get("state", [])]
        self.store.delete(MANIFEST)
        for name in [*names, f"{PREFIX}/pending.json"]:
            self.store.delete(name)

    def _read(self, name: str) -> pd.DataFrame:
        data = self.store.read(name)
        if data is None:
            raise ValueError(f"{name} missing")
        return pd.read_parquet(io.BytesIO(data))

    def _save_manifest(self) -> None:
        manifest = {"format": FORMAT, "key": self.key, "now": self.now.isoformat(), "digests": self.digests,
                    "producers": self.producers}
        self.store.write(MANIFEST, json.dumps(manifest, sort_keys=True).encode())


def _within(saved: Pending, current: Pending) -> bool:
    """Whether every change the interrupted compute was given is still pending (none was committed since)."""
    if not saved.full <= current.full:
        return False
    return all(f in current.full or ids <= theirs.get(f, set())
               for mine, theirs in ((saved.changed, current.changed), (saved.deleted, current.deleted))
               for f, ids in mine.items())


def _left(saved: Pending, current: Pending) -> Pending:
    """Changes read since the interrupted compute started, which the reused results did not see."""
    left = Pending(full=set(current.full) - set(saved.full))
    for mine, theirs, before in ((left.changed, current.changed, saved.changed),
                                 (left.deleted, current.deleted, saved.deleted)):
        for frame, ids in theirs.items():
            rest = set(ids) - before.get(frame, set())
            if rest:
                mine[frame] = rest
    return left
