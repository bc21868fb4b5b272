"""A lazy pager over OData collections that follows ``@odata.nextLink`` exactly as given.

The continuation token *is* the next link: it is fetched unchanged (no options appended) with the same
headers as the first page, and a link that comes back twice raises :class:`PagingLoopError` instead of
looping forever. Graph and Dataverse collections share this shape, so both clients use it; the fetch
function of each client refuses links off its service's origin.

A change-tracked read is the same walk: :meth:`Pager.iter_changes` splits each page into rows and deleted
ids and hands out the ``@odata.deltaLink`` of the last page.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from connector.errors import HttpResponseError, PagingLoopError

#: ``fetch(url, params)`` GETs ``url`` (with ``params`` only on the first page) and returns the JSON body.
Fetch = Callable[[str, Mapping[str, str] | None], Mapping[str, Any]]


@dataclass(frozen=True)
class ChangePage:
    """One page of a change-tracked read.

    Attributes:
        rows: new and updated rows (every row on a first read).
        deleted_ids: ids of deleted rows, lowercase.
        delta_link: where the next read starts; only the last page carries it.
    """

    rows: list[dict[str, Any]] = field(default_factory=list)
    deleted_ids: list[str] = field(default_factory=list)
    delta_link: str | None = None


def is_tombstone(item: Mapping[str, Any]) -> bool:
    """Whether a change item marks a deleted row rather than being one.

    Dataverse: ``{"@odata.context": ".../$deletedEntity", "id": ..., "reason": "deleted"}`` (plain ``id`` and
    ``reason``, not OData 4.01's form); Graph: ``{"id": ..., "@removed": {"reason": ...}}``.
    """
    context = item.get("@odata.context")
    if isinstance(context, str) and context.endswith("$deletedEntity"):
        return True
    if "@removed" in item:
        return True
    return "reason" in item and "id" in item and set(item) <= {"@odata.context", "id", "reason"}


class Pager:
    """Iterate the items of a collection, one request per page, only as far as the caller reads.

    Iterating yields items (dicts); :meth:`by_page` yields lists; :meth:`iter_changes` yields
    :class:`ChangePage` objects. After each page, :attr:`continuation_token` holds the next link (None at
    the end), so a caller can resume later with ``by_page(continuation_token=...)``.
    """

    def __init__(self, fetch: Fetch, url: str, params: Mapping[str, str] | None = None, *, what: str = "") -> None:
        self._fetch = fetch
        self._url = url
        self._params = dict(params or {})
        self._what = what or url.split("?")[0]
        self.continuation_token: str | None = None

    def __iter__(self) -> Iterator[dict[str, Any]]:
        for page in self.by_page():
            yield from page

    def by_page(self, continuation_token: str | None = None) -> Iterator[list[dict[str, Any]]]:
        """Yield one list of items per page.

        Args:
            continuation_token: a next link from an earlier run; start from the first page when None.

        Raises:
            PagingLoopError: the server handed back a link already followed.
            ForeignLinkError: a link leaves the service's origin.
            HttpResponseError: a page failed, or its body is not an OData collection.
            TransportError: no response after retries.
        """
        for _, items in self.pages(continuation_token):
            yield items

    def iter_changes(self, continuation_token: str | None = None) -> Iterator[ChangePage]:
        """Yield each page of a change-tracked read split into rows and deleted ids.

        Raises:
            ChangeTokenExpiredError: the delta link is too old (raised by the first fetch).
            Otherwise as :meth:`by_page`.
        """
        for body, items in self.pages(continuation_token):
            rows = [item for item in items if not is_tombstone(item)]
            deleted = [str(item["id"]).lower() for item in items if is_tombstone(item) and "id" in item]
            last = self.continuation_token is None
            delta = body.get("@odata.deltaLink") if last else None
            yield ChangePage(rows, deleted, delta if isinstance(delta, str) else None)

    def pages(self, continuation_token: str | None = None) -> Iterator[tuple[Mapping[str, Any], list[dict[str, Any]]]]:
        """Yield ``(body, items)`` for every page: the walk the other iterators share.

        Raises:
            As :meth:`by_page`.
        """
        url: str | None = continuation_token or self._url
        params: Mapping[str, str] | None = None if continuation_token else self._params
        seen: set[str] = set()
        while url is not None:
            body = self._fetch(url, params)
            value = body.get("value") if isinstance(body, Mapping) else None
            if not isinstance(value, list):
                raise HttpResponseError("the page has no 'value' array", status_code=200, url=self._what)
            seen.add(url)
            next_link = body.get("@odata.nextLink")
            if next_link is not None and (not isinstance(next_link, str) or next_link in seen):
                self.continuation_token = None
                yield body, value
                raise PagingLoopError(f"{self._what}: the server returned a next link already followed "
                                      f"({len(seen)} pages read)")
            self.continuation_token = next_link
            yield body, value
            url, params = next_link, None
