"""The Dataverse Web API client: the one object the sync and provisioning code talk to.

Its operations live in small modules by concern — :mod:`.records` (query, CRUD, upsert, WhoAmI),
:mod:`.changes` (change tracking), :mod:`.batch` (``$batch``) and :mod:`.metadata` — and are combined here.
"""

from __future__ import annotations

from connector.dataverse.api import MAX_PAGE_SIZE, DataverseApi
from connector.dataverse.batch import BatchMixin
from connector.dataverse.changes import ChangesMixin
from connector.dataverse.metadata import MetadataMixin
from connector.dataverse.records import RecordsMixin
from connector.http import Credential, Transport


class DataverseClient(RecordsMixin, ChangesMixin, BatchMixin, MetadataMixin):
    """A client for one organisation's Dataverse Web API.

    Args:
        endpoint: the organisation URL (``https://org.crm.dynamics.com``) or the emulator's URL.
        credential: where tokens come from (scope ``<endpoint>/.default``).
        transport: the shared transport (pool, retry policy); a new one when omitted.
        api_version: the Web API version.
        page_size: rows per page for reads (``Prefer: odata.maxpagesize``, at most 5,000).

    Raises:
        ValueError: ``endpoint`` is not an http(s) URL, or ``page_size`` is out of range.
    """

    def __init__(
        self,
        endpoint: str,
        credential: Credential,
        *,
        transport: Transport | None = None,
        api_version: str = "9.2",
        page_size: int = MAX_PAGE_SIZE,
    ) -> None:
        if not 1 <= page_size <= MAX_PAGE_SIZE:
            raise ValueError(f"page_size must be between 1 and {MAX_PAGE_SIZE}")
        self._api = DataverseApi(endpoint, credential, transport or Transport(), api_version)
        self._page_size = page_size

    @property
    def base_url(self) -> str:
        """The Web API base URL, ending in ``/``."""
        return self._api.base_url

    def __repr__(self) -> str:
        return f"DataverseClient({self._api.base_url!r})"
