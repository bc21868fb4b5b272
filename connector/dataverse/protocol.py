"""What the pipeline may use of a Dataverse client, as a :class:`typing.Protocol` to type against.

:class:`~connector.dataverse.client.DataverseClient` implements it; tests may hand the pipeline any
object with these methods (a fake reading frames from memory) and the type checker holds both to it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any, Protocol

from connector import odata
from connector.dataverse.batch import BatchOperation, BatchResult
from connector.dataverse.changes import ChangeBatch
from connector.dataverse.pager import ChangePage, Pager


class DataverseService(Protocol):
    """Reads, change tracking, writes and ``$batch`` on one organisation (see ``DataverseClient``)."""

    @property
    def base_url(self) -> str:
        """The Web API base URL, ending in ``/``."""
        ...

    def list_records(
        self, entity_set: str, *, select: Sequence[str], filter: str | None = None,
        orderby: Sequence[str] | str | None = None, top: int | None = None, expand: str | None = None,
        page_size: int | None = None, annotations: str | None = None,
    ) -> Pager:
        """Query ``entity_set`` lazily."""
        ...

    def get_record(self, entity_set: str, key: odata.Key, *, select: Sequence[str] | None = None) -> dict[str, Any]:
        """Read one record by id or alternate key."""
        ...

    def create_record(self, entity_set: str, body: Mapping[str, Any]) -> str:
        """Create a record and return its id."""
        ...

    def update_record(self, entity_set: str, key: odata.Key, body: Mapping[str, Any]) -> None:
        """Update an existing record (never creates)."""
        ...

    def upsert_record(self, entity_set: str, key: odata.Key, body: Mapping[str, Any]) -> None:
        """Create or update the record with ``key``."""
        ...

    def delete_record(self, entity_set: str, key: odata.Key) -> None:
        """Delete a record (already gone counts as deleted)."""
        ...

    def who_am_i(self) -> dict[str, str]:
        """``UserId``, ``BusinessUnitId`` and ``OrganizationId`` of the caller."""
        ...

    def read_changes(
        self, entity_set: str, *, select: Sequence[str], delta_link: str | None = None,
        page_size: int | None = None, annotations: str | None = None,
    ) -> ChangeBatch:
        """Rows, deleted ids and the next delta link since ``delta_link``."""
        ...

    def iter_changes(
        self, entity_set: str, *, select: Sequence[str], delta_link: str | None = None,
        page_size: int | None = None, annotations: str | None = None,
    ) -> Iterator[ChangePage]:
        """The same, one page at a time."""
        ...

    def submit_batch(
        self, operations: Sequence[BatchOperation], *, continue_on_error: bool = True, change_set: bool = False,
        max_ops: int = ...,
    ) -> list[BatchResult]:
        """Send operations in ``$batch`` requests; one result per operation."""
        ...
