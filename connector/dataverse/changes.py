"""Change-tracked reads: rows, tombstones and the next delta link.

The first read (no delta link) returns every row with ``Prefer: odata.track-changes``; later reads GET the
stored delta link verbatim and return new/updated rows, then deleted ids. A deleted row is
``{"@odata.context": ".../$metadata#<set>/$deletedEntity", "id": "<guid>", "reason": "deleted"}`` —
plain ``id``/``reason``, not OData 4.01's ``@removed``. An expired token surfaces as
:class:`ChangeTokenExpiredError` (decided in :func:`connector.http.decode_error`), and the caller reads fully.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from connector import odata
from connector.dataverse.api import DataverseApi, prefer
from connector.dataverse.pager import ChangePage, Pager, is_tombstone

__all__ = ["ChangeBatch", "ChangePage", "ChangesMixin", "is_tombstone"]


@dataclass(frozen=True)
class ChangeBatch:
    """The outcome of one change-tracked read.

    Attributes:
        rows: new and updated rows (all rows on a full read).
        deleted_ids: ids of rows deleted since the delta link (lowercase GUIDs).
        delta_link: where the next read starts; None when the table is not change-tracked.
        full: True when this was a full read (no delta link given).
    """

    rows: list[dict[str, Any]] = field(default_factory=list)
    deleted_ids: list[str] = field(default_factory=list)
    delta_link: str | None = None
    full: bool = False


@dataclass(frozen=True)
class LinkedChangePage:
    """One page of a change-tracked read and the links it hands out.

    Attributes:
        rows: new and updated rows.
        deleted_ids: ids of deleted rows, lowercase.
        next_link: the link of the next page (``None`` on the last page): a read cut off here resumes from it.
        delta_link: the link the next read starts from; only on the last page.
    """

    rows: list[dict[str, Any]]
    deleted_ids: list[str]
    next_link: str | None
    delta_link: str | None



class ChangesMixin:
    """Change tracking on :class:`~connector.dataverse.client.DataverseClient`."""

    _api: DataverseApi
    _page_size: int

    def read_changes(
        self,
        entity_set: str,
        *,
        select: Sequence[str],
        delta_link: str | None = None,
        page_size: int | None = None,
        annotations: str | None = None,
    ) -> ChangeBatch:
        """Read the changes of ``entity_set`` since ``delta_link`` (everything when it is None).

        Args:
            entity_set: a change-tracked entity set (``contacts``).
            select: the columns to read; ``$filter``/``$orderby``/``$expand``/``$top`` are not allowed with
                change tracking, so there are none here.
            delta_link: the link returned by the previous read, fetched unchanged (only on the organisation's
                origin: a link edited to point elsewhere is refused before any request).
            page_size: rows per page (``odata.maxpagesize``).
            annotations: annotations to include, e.g. ``OData.Community.Display.V1.FormattedValue``
                (choice labels next to their values).

        Returns:
            Rows, deleted ids and the next delta link.

        Raises:
            ChangeTokenExpiredError: the delta link is too old; call again without it.
            ForeignLinkError: the delta link (or a next link) leaves the organisation.
            PagingLoopError: the server repeated a next link.
            HttpResponseError, TransportError: a page failed.
        """
        rows: list[dict[str, Any]] = []
        deleted: list[str] = []
        last: str | None = None
        for page in self.iter_changes(
            entity_set, select=select, delta_link=delta_link, page_size=page_size, annotations=annotations
        ):
            rows.extend(page.rows)
            deleted.extend(page.deleted_ids)
            last = page.delta_link or last
        return ChangeBatch(rows=rows, deleted_ids=deleted, delta_link=last, full=delta_link is None)

    def _change_pager(self, entity_set: str, select: Sequence[str], page_size: int | None,
                      annotations: str | None) -> Pager:
        """A pager over ``entity_set`` with change tracking asked for on every request."""
        headers = prefer(page_size=page_size or self._page_size, track_changes=True, annotations=annotations)

        def fetch(url: str, query: Mapping[str, str] | None) -> Mapping[str, Any]:
            body = self._api.get_json(url, params=query, headers=headers)
            return body if isinstance(body, Mapping) else {}

        return Pager(fetch, odata.name(entity_set), odata.query_options(select=select), what=entity_set)

    def iter_changes(
        self,
        entity_set: str,
        *,
        select: Sequence[str],
        delta_link: str | None = None,
        page_size: int | None = None,
        annotations: str | None = None,
    ) -> Iterator[ChangePage]:
        """Like :meth:`read_changes`, one :class:`ChangePage` at a time; only the last carries the delta link.

        Raises:
            As :meth:`read_changes`, while iterating.
        """
        pager = self._change_pager(entity_set, select, page_size, annotations)
        return pager.iter_changes(continuation_token=delta_link)

    def change_pages(
        self,
        entity_set: str,
        *,
        select: Sequence[str],
        link: str | None = None,
        page_size: int | None = None,
        annotations: str | None = None,
    ) -> Iterator[LinkedChangePage]:
        """Like :meth:`iter_changes`, starting from any link it handed out (a delta link or a next link), and
        saying after each page where the read goes on, so a read cut off mid-way resumes from its last page.

        Raises:
            As :meth:`read_changes`, while iterating.
        """
        pager = self._change_pager(entity_set, select, page_size, annotations)
        for body, items in pager.pages(continuation_token=link):
            next_link = pager.continuation_token
            delta = body.get("@odata.deltaLink") if next_link is None else None
            yield LinkedChangePage([item for item in items if not is_tombstone(item)],
                                   [str(item["id"]).lower() for item in items if is_tombstone(item) and "id" in item],
                                   next_link, delta if isinstance(delta, str) else None)
