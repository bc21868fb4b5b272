"""Identity-based storage: the state store and the run queue reach Azure Storage with a Microsoft Entra token
(``AzureWebJobsStorage__accountName``), never a key. Fake HTTP (``responses``) stands in for the service."""

from __future__ import annotations

import json
import re
import time
from base64 import b64decode

import responses
from azure.core.credentials import AccessToken

from connector.settings import Settings
from connector.sync.run_queue import RunQueue
from connector.sync.state import BlobStateStore

ENV = {"OSI_DATAVERSE_URL": "https://org.crm.dynamics.com", "OSI_TENANT_ID": "t", "OSI_CLIENT_ID": "c",
       "OSI_CLIENT_SECRET": "s", "AzureWebJobsStorage__accountName": "stosiabc",
       "AzureWebJobsStorage__credential": "managedidentity", "AzureWebJobsStorage__clientId": "mi-client"}


class FakeManagedIdentity:
    """A token credential as azure-identity's: hands out a storage token and records the scopes asked."""

    def __init__(self) -> None:
        self.scopes: list[str] = []

    def get_token(self, *scopes: str, **kwargs: object) -> AccessToken:
        self.scopes.extend(scopes)
        return AccessToken("storage-token", int(time.time()) + 3600)


def test_settings_read_the_identity_based_form_as_the_host_does() -> None:
    storage = Settings.from_env(ENV).storage
    assert storage.identity_based and storage.connection_string is None
    assert storage.blob_service_uri == "https://stosiabc.blob.core.windows.net"
    assert storage.queue_service_uri == "https://stosiabc.queue.core.windows.net"
    assert storage.client_id == "mi-client"


def test_a_malformed_identity_based_setting_is_named() -> None:
    import pytest

    from connector.errors import ConfigurationError

    with pytest.raises(ConfigurationError) as info:
        Settings.from_env({**ENV, "AzureWebJobsStorage__accountName": "Not_An_Account",
                           "AzureWebJobsStorage__credential": "password"})
    assert any("__accountName" in p for p in info.value.problems)
    assert any("__credential" in p for p in info.value.problems)


@responses.activate
def test_state_and_queue_use_a_bearer_token_for_the_configured_account() -> None:
    blob = re.compile(r"https://stosiabc\.blob\.core\.windows\.net/osi-state.*")
    queue = re.compile(r"https://stosiabc\.queue\.core\.windows\.net/osi-runs/messages.*")
    responses.add(responses.PUT, blob, status=201)
    responses.add(responses.POST, queue, status=201, body=(
        "<?xml version='1.0' encoding='utf-8'?><QueueMessagesList><QueueMessage><MessageId>m</MessageId>"
        "<InsertionTime>Mon, 07 Dec 2026 10:00:00 GMT</InsertionTime><ExpirationTime>Mon, 14 Dec 2026 10:00:00 GMT"
        "</ExpirationTime><PopReceipt>p</PopReceipt><TimeNextVisible>Mon, 07 Dec 2026 10:00:00 GMT"
        "</TimeNextVisible></QueueMessage></QueueMessagesList>"), content_type="application/xml")
    credential = FakeManagedIdentity()
    storage = Settings.from_env(ENV).storage

    BlobStateStore(storage, prefix="org", credential=credential).write("runs/latest.json", b"{}")
    RunQueue(storage, "osi-runs", credential=credential).send({"request_id": "r"})

    sent = [c.request for c in responses.calls]
    assert all(r.headers["Authorization"] == "Bearer storage-token" for r in sent)
    assert not [r for r in sent if "sig=" in r.url or "SharedKey" in r.headers.get("Authorization", "")]
    assert sent[-2].url.endswith("/osi-state/org/runs/latest.json")
    assert set(credential.scopes) == {"https://storage.azure.com/.default"}
    # The message is Base64, as the Functions queue trigger decodes it by default.
    text = re.search(r"<MessageText>(.*)</MessageText>", sent[-1].body.decode()).group(1)
    assert json.loads(b64decode(text)) == {"request_id": "r"}
