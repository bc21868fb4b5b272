"""Durable run state: where snapshots and checkpoints live, and the one-run-at-a-time lease.

Two stores with one small interface: a local directory (the embedded default, under ``.osi/``) and
an Azure Blob container (when ``AzureWebJobsStorage`` is set). Writes are atomic per object; the
lease makes a second run for the same organisation fail fast with :class:`RunInProgressError`
instead of racing the first.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

from filelock import FileLock, Timeout

from connector.errors import RunInProgressError

log = logging.getLogger(__name__)


class StateStore(Protocol):
    """Named byte objects plus a lease."""

    def read(self, name: str) -> bytes | None:
        """The object's bytes, or ``None`` when it does not exist."""

    def write(self, name: str, data: bytes) -> None:
        """Replace the object atomically."""

    def delete(self, name: str) -> None:
        """Remove the object; no error when it does not exist."""

    def lease(self, name: str) -> contextlib.AbstractContextManager[None]:
        """Hold the named lease for the duration of the ``with`` block.

        Raises:
            RunInProgressError: someone else holds it.
        """


class LocalStateStore:
    """State in a local directory; the lease is a file lock (released by the OS if the process dies)."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

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
    def lease(self, name: str) -> Iterator[None]:
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
        try:
            yield
        finally:
            lock.release()


class BlobStateStore:
    """State in an Azure Blob container; the lease is a 60-second blob lease renewed while the run lives.

    A crashed run's lease expires within a minute, so the next timer tick can take over.
    """

    LEASE_SECONDS = 60

    def __init__(self, connection_string: str, container: str = "osi-state", *, prefix: str = "") -> None:
        # Imported here: only the Azure path needs the storage SDK.
        from azure.core.exceptions import ResourceExistsError
        from azure.storage.blob import BlobServiceClient

        self._prefix = f"{prefix.strip('/')}/" if prefix else ""
        self._service = BlobServiceClient.from_connection_string(connection_string)
        self._container = self._service.get_container_client(container)
        with contextlib.suppress(ResourceExistsError):
            self._container.create_container()

    def read(self, name: str) -> bytes | None:
        """The blob's bytes, or ``None`` when it does not exist."""
        from azure.core.exceptions import ResourceNotFoundError

        try:
            return bytes(self._container.download_blob(self._prefix + name).readall())
        except ResourceNotFoundError:
            return None

    def write(self, name: str, data: bytes) -> None:
        """Replace the blob (a single put: atomic for readers)."""
        self._container.upload_blob(self._prefix + name, data, overwrite=True)

    def delete(self, name: str) -> None:
        """Delete the blob; no error when it does not exist."""
        from azure.core.exceptions import ResourceNotFoundError

        with contextlib.suppress(ResourceNotFoundError):
            self._container.delete_blob(self._prefix + name)

    @contextlib.contextmanager
    def lease(self, name: str) -> Iterator[None]:
        """Hold a renewed blob lease on ``<name>.lease`` for the block.

        Raises:
            RunInProgressError: the blob is leased by another run.
        """
        from azure.core.exceptions import HttpResponseError as AzureHttpError
        from azure.core.exceptions import ResourceExistsError

        blob = self._container.get_blob_client(self._prefix + name + ".lease")
        with contextlib.suppress(ResourceExistsError):
            blob.upload_blob(b"", overwrite=False)
        try:
            lease: Any = blob.acquire_lease(lease_duration=self.LEASE_SECONDS)
        except AzureHttpError as exc:
            if exc.status_code == 409:
                raise RunInProgressError(f"another sync run holds the lease {name!r}") from exc
            raise
        stop = threading.Event()

        def renew() -> None:
            while not stop.wait(self.LEASE_SECONDS / 3):
                try:
                    lease.renew()
                except AzureHttpError:
                    log.warning("could not renew the run lease %r", name)

        renewer = threading.Thread(target=renew, name="osi-lease-renewer", daemon=True)
        renewer.start()
        try:
            yield
        finally:
            stop.set()
            renewer.join(timeout=5)
            with contextlib.suppress(AzureHttpError):
                lease.release()


def state_store_from(state_dir: str | Path, blob_connection_string: str | None, *, prefix: str = "") -> StateStore:
    """The blob store (objects under ``prefix/``) when a storage connection string is configured, else the
    local directory."""
    if blob_connection_string:
        return BlobStateStore(blob_connection_string, prefix=prefix)
    return LocalStateStore(state_dir)
