"""Change-tracked reads: rows, tombstones and the next delta link.

The first read (no delta link) returns every row with ``Prefer: odata.track-changes``; later reads GET the
stored delta link verbatim and return new/updated rows, then deleted ids. A deleted row is
``{"@odata.context": ".../$metadata#<set>/$deletedEntity", "id": "<guid>", "reason": "deleted"}`` —
plain ``id``/``reason``, not OData 4.01's ``@removed``. An expired token surfaces as
:class:`ChangeTokenExpiredError` (decided in :func:`connector.http.decode_error`), and the caller reads fully.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from connector import odata
from connector.dataverse.api import DataverseApi, prefer
from connector.errors import HttpResponseError, PagingLoopError


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


def is_tombstone(item: dict[str, Any]) -> bool:
    """Whether a delta item is a deleted-row marker rather than a row."""
    context = item.get("@odata.context")
    if isinstance(context, str) and context.endswith("$deletedEntity"):
        return True
    return "reason" in item and "id" in item and set(item) <= {"@odata.context", "id", "reason"}


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
            delta_link: the link returned by the previous read, fetched unchanged.
            page_size: rows per page (``odata.maxpagesize``).
            annotations: annotations to include, e.g. ``OData.Community.Display.V1.FormattedValue``
                (choice labels next to their values).

        Returns:
            Rows, deleted ids and the next delta link.

        Raises:
            ChangeTokenExpiredError: the delta link is too old; call again without it.
            PagingLoopError: the server repeated a next link.
            HttpResponseError, TransportError: a page failed.
        """
        rows: list[dict[str, Any]] = []
        deleted: list[str] = []
        last: str | None = None
        for page_rows, page_deleted, link in self.iter_changes(
            entity_set, select=select, delta_link=delta_link, page_size=page_size, annotations=annotations
        ):
            rows.extend(page_rows)
            deleted.extend(page_deleted)
            last = link or last
        return ChangeBatch(rows=rows, deleted_ids=deleted, delta_link=last, full=delta_link is None)

    def iter_changes(
        self,
        entity_set: str,
        *,
        select: Sequence[str],
        delta_link: str | None = None,
        page_size: int | None = None,
        annotations: str | None = None,
    ) -> Iterator[tuple[list[dict[str, Any]], list[str], str | None]]:
        """Like :meth:`read_changes`, one page at a time: ``(rows, deleted_ids, delta_link_or_None)``.

        Only the last page carries the delta link. Raises as :meth:`read_changes`.
        """
        headers = prefer(page_size=page_size or self._page_size, track_changes=True, annotations=annotations)
        if delta_link is not None:
            url, params = delta_link, None
        else:
            url, params = odata.name(entity_set), odata.query_options(select=select)
        seen: set[str] = set()
        while url is not None:
            body = self._api.get_json(url, params=params, headers=headers)
            items = body.get("value") if isinstance(body, dict) else None
            if not isinstance(items, list):
                raise HttpResponseError("the change page has no 'value' array", status_code=200, url=entity_set)
            seen.add(url)
            rows = [item for item in items if not is_tombstone(item)]
            deleted = [str(item["id"]).lower() for item in items if is_tombstone(item)]
            next_link = body.get("@odata.nextLink")
            if next_link is not None and next_link in seen:
                raise PagingLoopError(f"{entity_set}: the server returned a next link already followed")
            yield rows, deleted, body.get("@odata.deltaLink") if next_link is None else None
            url, params = next_link, None

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
        headers = prefer(page_size=page_size or self._page_size, track_changes=True, annotations=annotations)
        url: str | None = link or odata.name(entity_set)
        params = None if link else odata.query_options(select=select)
        seen: set[str] = set()
        while url is not None:
            body = self._api.get_json(url, params=params, headers=headers)
            items = body.get("value") if isinstance(body, dict) else None
            if not isinstance(items, list):
                raise HttpResponseError("the change page has no 'value' array", status_code=200, url=entity_set)
            seen.add(url)
            next_link = body.get("@odata.nextLink")
            if next_link is not None and next_link in seen:
                raise PagingLoopError(f"{entity_set}: the server returned a next link already followed")
            yield LinkedChangePage([item for item in items if not is_tombstone(item)],
                                   [str(item["id"]).lower() for item in items if is_tombstone(item)],
                                   next_link, body.get("@odata.deltaLink") if next_link is None else None)
            url, params = next_link, None
