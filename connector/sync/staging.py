"""An extract in progress, kept page by page in the state store so a run cut off mid-read resumes there.

Each page read is turned into its canonical frame; every :data:`FLUSH_ROWS` rows the frames kept are written
as one Parquet object (``staging/<stream>/<n>.parquet``); then ``staging/progress.json`` records, per stream,
the link the read goes on from, the objects staged, the ids deleted, the dates found unreadable, and, once
the stream is read to its end, its delta link. A run killed at any point reads at most those rows again (an
object written but not yet recorded is simply written again under the same number), so no row is duplicated.

Staging belongs to one snapshot generation: once the extract is applied to the snapshot and the snapshot
saved, staging is cleared; staging left from another generation (a snapshot saved or reset since) is
discarded unread.
"""

from __future__ import annotations

import io
import json
import logging
import threading
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

import pandas as pd

from connector.errors import RecordError

log = logging.getLogger(__name__)

PREFIX = "staging"
PROGRESS = f"{PREFIX}/progress.json"
FORMAT = 1
FLUSH_ROWS = 20_000
"""Rows kept in memory before they are written as one staged object (four 5,000-row pages): fewer, larger
writes; a run cut off reads at most that many rows again."""


@dataclass
class StreamProgress:
    """How far one stream's read has come.

    Attributes:
        link: where the read goes on (``None``: from the start, or from the snapshot's checkpoint when
            ``started`` is false).
        started: a page was staged (or the read was restarted in full).
        full: the read is a full one (every row), not a delta.
        pages: pages staged.
        rows: rows staged.
        done: read to its end.
        delta_link: the link the next run's delta starts from (set when done).
        deleted: ids deleted (delta reads).
        errors: unreadable values found, as ``[table, id, field, problem]``.
    """

    link: str | None = None
    started: bool = False
    full: bool = False
    pages: int = 0
    rows: int = 0
    done: bool = False
    delta_link: str | None = None
    deleted: list[str] = field(default_factory=list)
    errors: list[list[str | None]] = field(default_factory=list)


class Objects(Protocol):
    """What staging needs of a state store: named byte objects."""

    def read(self, name: str) -> bytes | None:
        """The object's bytes, or ``None``."""

    def write(self, name: str, data: bytes) -> None:
        """Replace the object."""

    def delete(self, name: str) -> None:
        """Remove the object if present."""


class MemoryStore:
    """A state store in memory (extracts that need not survive the process: tests, one-off reads)."""

    def __init__(self) -> None:
        self.objects: dict[str, bytes] = {}

    def read(self, name: str) -> bytes | None:
        """The object, or ``None``."""
        return self.objects.get(name)

    def write(self, name: str, data: bytes) -> None:
        """Replace the object."""
        self.objects[name] = data

    def delete(self, name: str) -> None:
        """Remove the object if present."""
        self.objects.pop(name, None)


class Staging:
    """The staged pages and progress of the extract for one snapshot generation.

    Args:
        store: where pages and progress are kept.
        generation: the snapshot generation the extract starts from.
    """

    def __init__(self, store: Objects, generation: int, *, flush_rows: int = FLUSH_ROWS) -> None:
        self._store = store
        self._lock = threading.Lock()
        self.generation = generation
        self.streams: dict[str, StreamProgress] = {}
        self.resumed = False
        self._flush_rows = flush_rows
        self._buffer: dict[str, list[pd.DataFrame]] = {}
        self._held: dict[str, list[bytes]] = {}
        self._on_disk: dict[str, int] = {}
        raw = store.read(PROGRESS)
        if raw is None:
            return
        try:
            saved = json.loads(raw)
            if saved.get("format") != FORMAT:
                raise ValueError(f"staging format {saved.get('format')!r}")
            self.streams = {name: StreamProgress(**value) for name, value in saved["streams"].items()}
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            log.info("discarding the staged extract (%s)", exc)
            self.clear()
            return
        if saved.get("generation") != generation:
            log.info("discarding the extract staged for snapshot generation %s", saved.get("generation"))
            self.clear()
            return
        self.resumed = bool(self.streams)
        self._on_disk = {name: p.pages for name, p in self.streams.items()}

    def stream(self, name: str) -> StreamProgress:
        """The progress of ``name`` (a fresh one when the stream was not started)."""
        return self.streams.setdefault(name, StreamProgress())

    def stage(self, name: str, frame: pd.DataFrame, *, deleted: list[str], next_link: str | None,
              delta_link: str | None, errors: list[RecordError], full: bool) -> None:
        """Keep one page; once :data:`FLUSH_ROWS` rows are kept (or the stream ends), write them as one object,
        then record that the read goes on from ``next_link``. A run cut off before that reads those pages again.
        """
        progress = self.stream(name)
        buffered = self._buffer.setdefault(name, [])
        if not frame.empty:
            buffered.append(frame)
        progress.deleted.extend(deleted)
        progress.errors.extend([e.table, e.record_id, e.field, e.problem] for e in errors)
        progress.started, progress.full = True, full
        if next_link is not None and sum(len(f) for f in buffered) < self._flush_rows:
            return
        if buffered:
            chunk = pd.concat(buffered, ignore_index=True) if len(buffered) > 1 else buffered[0]
            buf = io.BytesIO()
            chunk.reset_index(drop=True).to_parquet(buf, index=False)
            data = buf.getvalue()
            self._store.write(self._page(name, progress.pages), data)
            # Kept as the Parquet just written, not as the page frames: those hold every id and text as a Python
            # object (several times the size); the stream's frame is read from these bytes as a resumed run reads
            # its staged pages, so both runs merge the same typed frames.
            self._held.setdefault(name, []).append(data)
            progress.pages += 1
            progress.rows += len(chunk)
            self._buffer[name] = []
        progress.link = next_link
        if next_link is None:
            progress.done, progress.delta_link = True, delta_link
        self._save()

    def restart(self, name: str, *, full: bool) -> None:
        """Forget what was staged for ``name``: its read starts again (in full when ``full``)."""
        old = self.streams.pop(name, StreamProgress())
        for n in range(old.pages):
            self._store.delete(self._page(name, n))
        self._buffer.pop(name, None)
        self._held.pop(name, None)
        self._on_disk.pop(name, None)
        self.streams[name] = StreamProgress(started=True, full=full)
        self._save()

    def frame(self, name: str) -> pd.DataFrame | None:
        """Every staged page of ``name`` in order as one frame (``None`` when no row was staged)."""
        progress = self.streams.get(name)
        if progress is None or not progress.pages:
            return None
        parts = []
        # Pages an earlier, interrupted run staged are read back; this run's are still in memory (as Parquet).
        for n in range(self._on_disk.get(name, 0)):
            data = self._store.read(self._page(name, n))
            if data is None:
                raise ValueError(f"staged page {name}/{n} is missing")
            parts.append(pd.read_parquet(io.BytesIO(data)))
        parts.extend(pd.read_parquet(io.BytesIO(data)) for data in self._held.get(name, []))
        return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]

    def errors(self, name: str) -> list[RecordError]:
        """The unreadable values found in ``name``'s staged pages."""
        progress = self.streams.get(name)
        return [RecordError(*e) for e in progress.errors] if progress else []  # type: ignore[arg-type]

    def clear(self) -> None:
        """Drop every staged page and the progress (once the extract is in the saved snapshot)."""
        for name, progress in self.streams.items():
            for n in range(progress.pages):
                self._store.delete(self._page(name, n))
        self.streams, self._buffer, self._held, self._on_disk = {}, {}, {}, {}
        self._store.delete(PROGRESS)

    def _page(self, name: str, n: int) -> str:
        return f"{PREFIX}/{name}/{n}.parquet"

    def _save(self) -> None:
        state: dict[str, Any] = {"format": FORMAT, "generation": self.generation,
                                 "streams": {k: asdict(v) for k, v in sorted(self.streams.items())}}
        with self._lock:
            self._store.write(PROGRESS, json.dumps(state).encode())
