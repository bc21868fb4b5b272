"""The run queue: ``POST /api/runs`` puts a message here, a queue-triggered function runs the sync.

Messages are small JSON objects (request id, models to retrain, when it was asked), Base64-encoded as the
Functions queue trigger expects by default. The queue lives in the host's storage account, reached by
connection string (Azurite locally) or by managed identity.
"""

from __future__ import annotations

import json
from typing import Any

from connector.errors import StorageError
from connector.settings import StorageSettings
from connector.sync.azure_storage import queue_client


class RunQueue:
    """Sends and (for tests and tools) receives run messages.

    Raises:
        ConfigurationError: no Azure Storage is configured.
    """

    def __init__(self, storage: StorageSettings, name: str, *, credential: Any = None) -> None:
        self._client = queue_client(storage, name, credential)
        self.name = name

    def send(self, message: dict[str, Any]) -> None:
        """Put one message on the queue (created when missing).

        Raises:
            StorageError: the queue cannot be reached.
        """
        from azure.core.exceptions import AzureError, ResourceExistsError

        data = json.dumps(message, sort_keys=True).encode()
        try:
            try:
                self._client.send_message(data)
            except AzureError as exc:
                if getattr(exc, "error_code", None) != "QueueNotFound":
                    raise
                # First message on a new account: create the queue (the template creates it; Azurite does not).
                try:
                    self._client.create_queue()
                except ResourceExistsError:
                    pass
                self._client.send_message(data)
        except AzureError as exc:
            raise StorageError(f"the run queue {self.name!r} cannot be reached: {type(exc).__name__}") from exc

    def receive(self, *, max_messages: int = 32) -> list[tuple[dict[str, Any], int]]:
        """Take up to ``max_messages`` messages off the queue: ``(decoded message, dequeue count)`` each.

        Raises:
            StorageError: the queue cannot be reached.
        """
        from azure.core.exceptions import AzureError

        out = []
        try:
            for message in self._client.receive_messages(max_messages=max_messages, visibility_timeout=60):
                out.append((json.loads(bytes(message.content)), int(message.dequeue_count or 1)))
                self._client.delete_message(message)
        except AzureError as exc:
            raise StorageError(f"the run queue {self.name!r} cannot be reached: {type(exc).__name__}") from exc
        return out
