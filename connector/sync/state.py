"""Durable run state: where snapshots and checkpoints live, and the one-run-at-a-time lease.

Two stores with one small interface: a local directory (the embedded default, under ``.osi/``) and
an Azure Blob container (when ``AzureWebJobsStorage`` or its identity-based form is set). Writes are
atomic per object; the lease makes a second run for the same organisation fail fast with
:class:`RunInProgressError` instead of racing the first. A blob lease that cannot be renewed is
*lost*: from then on every write to the store raises :class:`LeaseLostError`, and so does
:meth:`Lease.check`, which the load calls before each batch, so two runs never write at once.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from filelock import FileLock, Timeout

from connector.errors import LeaseLostError, RunInProgressError, StorageError
from connector.settings import StorageSettings

log = logging.getLogger(__name__)


class StateStore(Protocol):
    """Named byte objects plus a lease."""

    def read(self, name: str) -> bytes | None:
        """The object's bytes, or ``None`` when it does not exist."""

    def write(self, name: str, data: bytes) -> None:
        """Replace the object atomically."""

    def delete(self, name: str) -> None:
        """Remove the object; no error when it does not exist."""

    def lease(self, name: str) -> contextlib.AbstractContextManager[Lease]:
        """Hold the named lease for the duration of the ``with`` block.

        Raises:
            RunInProgressError: someone else holds it.
        """

    def scoped(self, prefix: str) -> StateStore:
        """The same store with every name under ``prefix/`` (one organisation's folder)."""

    def check_leases(self) -> None:
        """Raise when a lease held through this store (or its scopes) was lost.

        Raises:
            LeaseLostError: a renewal failed; the holder must stop writing.
        """


class Lease:
    """A held run lease. ``check()`` raises once the lease is lost (a renewal failed or came too late)."""

    def __init__(self, name: str, *, max_silence: float | None = None,
                 clock: Any = time.monotonic) -> None:
        self.name = name
        self._lost = threading.Event()
        self._reason = ""
        self._clock = clock
        self._max_silence = max_silence
        self._renewed_at = clock()

    def renewed(self) -> None:
        """Record a successful renewal."""
        self._renewed_at = self._clock()

    def lose(self, reason: str) -> None:
        """Mark the lease lost; every later :meth:`check` raises."""
        if not self._lost.is_set():
            self._reason = reason
            self._lost.set()
            log.error("the run lease %r is lost (%s): the run stops writing", self.name, reason)

    @property
    def lost(self) -> bool:
        """Whether the lease is lost, including when no renewal came for too long (the holder was starved)."""
        if not self._lost.is_set() and self._max_silence is not None:
            silence = self._clock() - self._renewed_at
            if silence > self._max_silence:
                self.lose(f"not renewed for {silence:.0f} s")
        return self._lost.is_set()

    def check(self) -> None:
        """Raise when the lease is lost.

        Raises:
            LeaseLostError: the lease could not be renewed; another run may hold it now.
        """
        if self.lost:
            raise LeaseLostError(f"the run lease {self.name!r} was lost ({self._reason}); the run stopped writing")


class _LeaseBook:
    """The leases held through one store and its scopes, so any write can check them."""

    def __init__(self) -> None:
        self._held: dict[int, Lease] = {}
        self._lock = threading.Lock()

    def add(self, lease: Lease) -> None:
        with self._lock:
            self._held[id(lease)] = lease

    def remove(self, lease: Lease) -> None:
        with self._lock:
            self._held.pop(id(lease), None)

    def check(self) -> None:
        with self._lock:
            held = list(self._held.values())
        for lease in held:
            lease.check()


class LocalStateStore:
    """State in a local directory; the lease is a file lock (released by the OS if the process dies)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self._book = _LeaseBook()

    def scoped(self, prefix: str) -> LocalStateStore:
        """The sub-folder ``prefix`` as a store of its own (sharing this store's leases)."""
        child = LocalStateStore(self._path(prefix))
        child._book = self._book
        return child

    def check_leases(self) -> None:
        """Local leases are file locks: they cannot be lost while the process lives."""
        self._book.check()

    def _path(self, name: str) -> Path:
        path = (self.root / name).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError(f"state object name escapes the state directory: {name!r}")
        return path

    def read(self, name: str) -> bytes | None:
        """The object's bytes, or ``None`` when it does not exist."""
        path = self._path(name)
        return path.read_bytes() if path.exists() else None

    def write(self, name: str, data: bytes) -> None:
        """Replace the object atomically (write to a temporary file, then rename)."""
        path = self._path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    def delete(self, name: str) -> None:
        """Remove the object; no error when it does not exist."""
        with contextlib.suppress(FileNotFoundError):
            self._path(name).unlink()

    @contextlib.contextmanager
    def lease(self, name: str) -> Iterator[Lease]:
        """Hold a file lock named ``name`` for the block.

        Raises:
            RunInProgressError: another process holds it.
        """
        path = self._path(name + ".lock")
        path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(path), timeout=0)
        try:
            lock.acquire()
        except Timeout as exc:
            raise RunInProgressError(f"another sync run holds the lease {name!r}; try again when it ends") from exc
        held = Lease(name)
        self._book.add(held)
        try:
            yield held
        finally:
            self._book.remove(held)
            lock.release()


class BlobStateStore:
    """State in an Azure Blob container; the lease is a 60-second blob lease renewed while the run lives.

    A crashed run's lease expires within a minute, so the next timer tick can take over. A renewal that
    fails (after the SDK's own retries), or none for longer than :attr:`MAX_SILENCE` seconds, loses the
    lease: every later write through this store raises :class:`LeaseLostError`.

    Args:
        storage: a connection string, or the storage settings (connection string or identity-based).
        container: the blob container (created when missing).
        prefix: folder every name lives under (one organisation's state).
        credential: a token credential for identity-based storage (default: the managed identity).
    """

    LEASE_SECONDS = 60
    RENEW_EVERY = LEASE_SECONDS / 3
    MAX_SILENCE = LEASE_SECONDS * 0.75

    def __init__(self, storage: str | StorageSettings, container: str = "osi-state", *, prefix: str = "",
                 credential: Any = None, _container_client: Any = None) -> None:
        from connector.settings import Secret
        from connector.sync.azure_storage import blob_service

        self._prefix = f"{prefix.strip('/')}/" if prefix else ""
        self._book = _LeaseBook()
        if _container_client is not None:
            self._container = _container_client
            return
        settings = storage if isinstance(storage, StorageSettings) else StorageSettings(Secret(storage))
        self._container = blob_service(settings, credential).get_container_client(container)
        self._ensure_container()

    def _ensure_container(self) -> None:
        from azure.core.exceptions import AzureError, ResourceExistsError

        try:
            self._container.create_container()
        except ResourceExistsError:
            pass
        except AzureError as exc:
            raise StorageError(f"the state container {self._container.container_name!r} cannot be reached: "
                               f"{type(exc).__name__}") from exc

    def scoped(self, prefix: str) -> BlobStateStore:
        """The same container with every name under ``<prefix>/`` (sharing this store's leases)."""
        child = BlobStateStore("", prefix=self._prefix + prefix.strip("/"), _container_client=self._container)
        child._book = self._book
        return child

    def check_leases(self) -> None:
        """Raise when a lease held through this store was lost.

        Raises:
            LeaseLostError: a renewal failed; stop writing.
        """
        self._book.check()

    def read(self, name: str) -> bytes | None:
        """The blob's bytes, or ``None`` when it does not exist."""
        from azure.core.exceptions import ResourceNotFoundError

        try:
            return bytes(self._container.download_blob(self._prefix + name).readall())
        except ResourceNotFoundError:
            return None

    def write(self, name: str, data: bytes) -> None:
        """Replace the blob (a single put: atomic for readers).

        Raises:
            LeaseLostError: a run lease held through this store was lost; nothing is written.
        """
        self._book.check()
        self._container.upload_blob(self._prefix + name, data, overwrite=True)

    def delete(self, name: str) -> None:
        """Delete the blob; no error when it does not exist.

        Raises:
            LeaseLostError: a run lease held through this store was lost; nothing is deleted.
        """
        from azure.core.exceptions import ResourceNotFoundError

        self._book.check()
        with contextlib.suppress(ResourceNotFoundError):
            self._container.delete_blob(self._prefix + name)

    @contextlib.contextmanager
    def lease(self, name: str) -> Iterator[Lease]:
        """Hold a renewed blob lease on ``<name>.lease`` for the block.

        Raises:
            RunInProgressError: the blob is leased by another run.
        """
        from azure.core.exceptions import AzureError, ResourceExistsError
        from azure.core.exceptions import HttpResponseError as AzureHttpError

        blob = self._container.get_blob_client(self._prefix + name + ".lease")
        with contextlib.suppress(ResourceExistsError):
            blob.upload_blob(b"", overwrite=False)
        try:
            blob_lease: Any = blob.acquire_lease(lease_duration=self.LEASE_SECONDS)
        except AzureHttpError as exc:
            if exc.status_code == 409:
                raise RunInProgressError(f"another sync run holds the lease {name!r}") from exc
            raise
        held = Lease(name, max_silence=self.MAX_SILENCE)
        stop = threading.Event()

        def renew() -> None:
            while not stop.wait(self.RENEW_EVERY):
                try:
                    blob_lease.renew()
                except AzureError as exc:
                    # The SDK already retried: the lease may expire before the next try, and another run
                    # may take it. Stop writing now rather than race that run.
                    held.lose(f"renewal failed: {type(exc).__name__}")
                    return
                held.renewed()

        self._book.add(held)
        renewer = threading.Thread(target=renew, name="osi-lease-renewer", daemon=True)
        renewer.start()
        try:
            yield held
        finally:
            stop.set()
            renewer.join(timeout=5)
            self._book.remove(held)
            if not held.lost:
                with contextlib.suppress(AzureError):
                    blob_lease.release()


def state_store_from(state_dir: str | Path, storage: str | StorageSettings | None, *,
                     prefix: str = "", credential: Any = None) -> StateStore:
    """The blob store (objects under ``prefix/``) when Azure Storage is configured, else the local directory.

    Raises:
        StorageError: the state container cannot be reached.
    """
    if isinstance(storage, str) and storage:
        return BlobStateStore(storage, prefix=prefix)
    if isinstance(storage, StorageSettings) and storage.configured:
        return BlobStateStore(storage, prefix=prefix, credential=credential)
    return LocalStateStore(state_dir)
