"""A lazy pager over OData collections that follows ``@odata.nextLink`` exactly as given.

The continuation token *is* the next link: it is fetched unchanged (no options appended) with the same
headers as the first page, and a link that comes back twice raises :class:`PagingLoopError` instead of
looping forever. Graph and Dataverse collections share this shape, so both clients use it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from connector.errors import HttpResponseError, PagingLoopError

#: ``fetch(url, params)`` GETs ``url`` (with ``params`` only on the first page) and returns the JSON body.
Fetch = Callable[[str, Mapping[str, str] | None], Mapping[str, Any]]


class Pager:
    """Iterate the items of a collection, one request per page, only as far as the caller reads.

    Iterating yields items (dicts); :meth:`by_page` yields lists. After each page,
    :attr:`continuation_token` holds the next link (None at the end), so a caller can resume later with
    ``by_page(continuation_token=...)``.
    """

    def __init__(self, fetch: Fetch, url: str, params: Mapping[str, str] | None = None) -> None:
        self._fetch = fetch
        self._url = url
        self._params = dict(params or {})
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
            HttpResponseError: a page failed, or its body is not an OData collection.
            TransportError: no response after retries.
        """
        url, params = (continuation_token, None) if continuation_token else (self._url, self._params)
        seen: set[str] = set()
        while url is not None:
            body = self._fetch(url, params)
            value = body.get("value") if isinstance(body, Mapping) else None
            if not isinstance(value, list):
                raise HttpResponseError("the page has no 'value' array", status_code=200, url=url.split("?")[0])
            seen.add(url)
            next_link = body.get("@odata.nextLink")
            self.continuation_token = next_link if isinstance(next_link, str) else None
            yield value
            if next_link is not None and (not isinstance(next_link, str) or next_link in seen):
                raise PagingLoopError(f"the server returned a next link already followed ({len(seen)} pages read)")
            url, params = next_link, None
