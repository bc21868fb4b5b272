"""The page walks of the extract: each tracked stream's pages from a link (a delta or next link, or a full
read), restarted in full when Dataverse refuses the link, and the activity parties' pages (all of them, or
those of the activities a delta touched, a chunk of ids a query)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from connector import odata
from connector.errors import ChangeTokenExpiredError, ForeignLinkError
from connector.sync.streams import PARTY_SELECT, StreamSpec

log = logging.getLogger(__name__)

PARTIES = "activityparties"
PARTY_FILTER_CHUNK = 40
"""Activity ids per ``activityparties`` query: keeps the URL far below Dataverse's 32 KB limit."""
FORMATTED = "OData.Community.Display.V1.FormattedValue"


class ChangeReader(Protocol):
    """What extract needs from the Dataverse client."""

    def change_pages(self, entity_set: str, *, select: Sequence[str], link: str | None = None,
                     page_size: int | None = None, annotations: str | None = None) -> Any: ...

    def list_records(self, entity_set: str, *, select: Sequence[str], filter: str | None = None,
                     page_size: int | None = None) -> Any: ...


@dataclass(frozen=True)
class Page:
    """A page as staged: rows, deleted ids, where the read goes on and, last, the delta link."""

    rows: list[dict[str, Any]]
    deleted_ids: list[str] = field(default_factory=list)
    next_link: str | None = None
    delta_link: str | None = None
    restart: bool = False


def stream_walk(client: ChangeReader, spec: StreamSpec,
                page_size: int | None) -> Callable[[str | None], Iterator[Page]]:
    """The page walk of one tracked stream from a link (a delta or next link; ``None``: a full read).

    A link refused (see :func:`restarting_walk`) yields a restart marker, then the full read.
    """
    annotations = FORMATTED if spec.choice_columns else None

    def walk(link: str | None) -> Iterator[Page]:
        for page in client.change_pages(spec.entity_set, select=spec.all_columns, link=link,
                                        page_size=page_size, annotations=annotations):
            yield Page(page.rows, page.deleted_ids, page.next_link, page.delta_link)

    return restarting_walk(walk, spec.name)


def restarting_walk(walk: Callable[[str | None], Iterator[Page]], name: str) -> Callable[[str | None], Iterator[Page]]:
    """``walk``, then a restart marker and the full read when the link it starts from is refused: a token Dataverse
    no longer accepts, or a stored link (checkpoint or staged next link) off the organisation, never followed."""

    def restarting(link: str | None) -> Iterator[Page]:
        try:
            yield from walk(link)
            return
        except (ChangeTokenExpiredError, ForeignLinkError) as exc:
            if link is None:
                raise
            why = f"points at {exc.origin}, refused: nothing sent" if isinstance(exc, ForeignLinkError) else "expired"
            log.warning("the checkpoint of %s %s; reading %s in full", name, why, name)
        yield Page([], restart=True)
        yield from walk(None)

    return restarting


def party_walk(client: ChangeReader, touched: Sequence[str] | None,
                page_size: int | None) -> Callable[[str | None], Iterator[Page]]:
    """Every activity party (``touched`` is None) or those of the touched activities, 40 ids a query;
    the link is the next link of a full read, or the number of the next chunk."""

    def full(link: str | None) -> Iterator[Page]:
        pager = client.list_records(PARTIES, select=PARTY_SELECT, page_size=page_size)
        for items in pager.by_page(continuation_token=link):
            yield Page(list(items), next_link=pager.continuation_token)

    def chunks(link: str | None) -> Iterator[Page]:
        ids = list(touched or ())
        starts = range(int(link or 0), len(ids), PARTY_FILTER_CHUNK)
        for start in starts:
            chunk = ids[start:start + PARTY_FILTER_CHUNK]
            flt = " or ".join(f"_activityid_value eq {odata.literal(uuid.UUID(a))}" for a in chunk)
            rows = list(client.list_records(PARTIES, select=PARTY_SELECT, filter=flt, page_size=page_size))
            after = start + PARTY_FILTER_CHUNK
            yield Page(rows, next_link=str(after) if after < len(ids) else None)
        if not starts:
            yield Page([])

    return restarting_walk(full, PARTIES) if touched is None else chunks


Walk = tuple[StreamSpec | None, str, Callable[[str | None], Iterator[Page]], str | None, bool]
"""(stream spec (``None`` for the parties), name, page walk, link to go on from, full read)."""
