"""Azure Storage clients for the state store and the run queue, from :class:`StorageSettings`.

Both the connection-string form (``AzureWebJobsStorage``, Azurite locally) and the identity-based form
(``AzureWebJobsStorage__accountName`` or ``__blobServiceUri`` / ``__queueServiceUri``, reached with a
Microsoft Entra token from the app's managed identity) give the same clients. The storage SDKs are imported
here only, so the CLI on a laptop never loads them.
"""

from __future__ import annotations

from typing import Any

from connector.errors import ConfigurationError
from connector.settings import StorageSettings

QUEUE_MESSAGE_ENCODING = "base64"
"""How run messages are encoded: the Functions queue trigger expects Base64 unless host.json says otherwise."""


def token_credential(storage: StorageSettings, credential: Any = None) -> Any:
    """The token credential for identity-based storage: ``credential`` when given, else managed identity.

    A user-assigned identity is chosen by ``AzureWebJobsStorage__clientId``; without it
    :class:`azure.identity.DefaultAzureCredential` tries the environment, the managed identity and a
    developer's Azure CLI login, in that order.
    """
    if credential is not None:
        return credential
    from azure.identity import DefaultAzureCredential, ManagedIdentityCredential

    if storage.client_id:
        return ManagedIdentityCredential(client_id=storage.client_id)
    return DefaultAzureCredential(exclude_interactive_browser_credential=True)


def blob_service(storage: StorageSettings, credential: Any = None) -> Any:
    """A ``BlobServiceClient`` for ``storage``.

    Raises:
        ConfigurationError: no Azure Storage is configured.
    """
    from azure.storage.blob import BlobServiceClient

    if storage.connection_string is not None:
        return BlobServiceClient.from_connection_string(storage.connection_string.reveal())
    if storage.blob_service_uri is None:
        raise ConfigurationError(["AzureWebJobsStorage (or AzureWebJobsStorage__accountName) is not set"])
    return BlobServiceClient(storage.blob_service_uri, credential=token_credential(storage, credential))


def queue_client(storage: StorageSettings, queue: str, credential: Any = None) -> Any:
    """A ``QueueClient`` for ``queue`` that encodes messages as the Functions trigger reads them (Base64).

    Raises:
        ConfigurationError: no Azure Storage is configured.
    """
    from azure.storage.queue import BinaryBase64DecodePolicy, BinaryBase64EncodePolicy, QueueClient

    encode, decode = BinaryBase64EncodePolicy(), BinaryBase64DecodePolicy()
    if storage.connection_string is not None:
        return QueueClient.from_connection_string(storage.connection_string.reveal(), queue,
                                                  message_encode_policy=encode, message_decode_policy=decode)
    if storage.queue_service_uri is None:
        raise ConfigurationError(["AzureWebJobsStorage (or AzureWebJobsStorage__accountName) is not set"])
    return QueueClient(storage.queue_service_uri, queue, credential=token_credential(storage, credential),
                       message_encode_policy=encode, message_decode_policy=decode)
