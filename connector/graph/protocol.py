"""What the pipeline may use of a Microsoft Graph client, as a :class:`typing.Protocol` to type against.

:class:`~connector.graph.client.GraphClient` implements it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, Protocol


class GraphService(Protocol):
    """Users and mailbox message metadata (see ``GraphClient``)."""

    def list_users(self, *, select: Sequence[str] = ..., page_size: int = ...) -> Iterable[dict[str, Any]]:
        """All users of the tenant, lazily."""
        ...

    def list_messages(
        self, user_id: str, *, select: Sequence[str], since: datetime | None = None, until: datetime | None = None,
        page_size: int = ...,
    ) -> Iterable[dict[str, Any]]:
        """Message metadata of one mailbox received in ``[since, until)``, lazily."""
        ...
