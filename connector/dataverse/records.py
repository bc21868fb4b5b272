"""Record operations: query with a lazy pager, get, create, update, upsert, delete, WhoAmI."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from connector import odata
from connector.dataverse.api import DataverseApi, prefer
from connector.dataverse.pager import Pager
from connector.errors import HttpResponseError, ResourceNotFoundError

_ENTITY_ID = re.compile(r"\(([0-9a-fA-F-]{36})\)\s*$")


def entity_id_from(url: str | None) -> str | None:
    """The GUID at the end of an ``OData-EntityId`` URL (``.../contacts(<guid>)``), lowercase."""
    match = _ENTITY_ID.search(url or "")
    return match.group(1).lower() if match else None


class RecordsMixin:
    """Record CRUD on :class:`~connector.dataverse.client.DataverseClient`."""

    _api: DataverseApi
    _page_size: int

    def list_records(
        self,
        entity_set: str,
        *,
        select: Sequence[str],
        filter: str | None = None,
        orderby: Sequence[str] | str | None = None,
        top: int | None = None,
        expand: str | None = None,
        page_size: int | None = None,
        annotations: str | None = None,
    ) -> Pager:
        """Query ``entity_set`` lazily; nothing is sent until the pager is iterated.

        Args:
            entity_set: the entity set name (``contacts``).
            select: the columns to read (never all).
            filter: a ``$filter`` built with :mod:`connector.odata` (values through ``literal``).
            orderby: ``"createdon desc"`` items; order by a unique column for stable paging.
            top: at most this many rows (Dataverse ignores it when a page size is sent, so it is sent alone).
            expand: an ``$expand`` expression.
            page_size: rows per page (``Prefer: odata.maxpagesize``, at most 5,000).
            annotations: e.g. ``OData.Community.Display.V1.FormattedValue`` or ``*``.

        Returns:
            A :class:`Pager`; iterating it raises what :meth:`Pager.by_page` raises.

        Raises:
            ValueError: a bad entity set, column name or option.
        """
        params = odata.query_options(select=select, filter=filter, orderby=orderby, top=top, expand=expand)
        # $top and odata.maxpagesize together make Dataverse ignore $top, so a page size goes only without $top.
        size = None if top is not None else (page_size or self._page_size)
        headers = prefer(page_size=size, annotations=annotations)

        def fetch(url: str, query: Mapping[str, str] | None) -> Mapping[str, Any]:
            body = self._api.get_json(url, params=query, headers=headers)
            return body if isinstance(body, Mapping) else {}

        return Pager(fetch, odata.name(entity_set), params, what=entity_set)

    def get_record(self, entity_set: str, key: odata.Key, *, select: Sequence[str] | None = None) -> dict[str, Any]:
        """Read one record by id or alternate key.

        Raises:
            ResourceNotFoundError: no such record.
            HttpResponseError, TransportError: the request failed.
            ValueError: a bad entity set, key or column name.
        """
        params = odata.query_options(select=select)
        return dict(self._api.get_json(odata.entity_path(entity_set, key), params=params))

    def create_record(self, entity_set: str, body: Mapping[str, Any]) -> str:
        """Create a record and return its id (from the ``OData-EntityId`` header).

        Not idempotent: it is retried only when the service surely did not act (429, 503, 504, refused).

        Raises:
            HttpResponseError, TransportError: the request failed.
            HttpResponseError: the service answered without telling the new id.
        """
        response = self._api.send("POST", odata.name(entity_set), json=dict(body))
        record_id = entity_id_from(response.headers.get("OData-EntityId"))
        if record_id is None:
            raise HttpResponseError(
                "create succeeded but the response carries no OData-EntityId",
                status_code=response.status_code, request_id=response.request_id, method="POST", url=entity_set,
            )
        return record_id

    def update_record(self, entity_set: str, key: odata.Key, body: Mapping[str, Any]) -> None:
        """Update an existing record (``If-Match: *``, so a missing record is never created).

        Raises:
            ResourceNotFoundError: no such record.
            HttpResponseError, TransportError: the request failed.
        """
        self._api.send(
            "PATCH", odata.entity_path(entity_set, key), json=dict(body), headers={"If-Match": "*"}, idempotent=True
        )

    def upsert_record(self, entity_set: str, key: odata.Key, body: Mapping[str, Any]) -> None:
        """Create or update the record with ``key`` (a GUID or an alternate key mapping).

        Repeating it leaves one record, so it is retried like any idempotent request. Don't repeat the key
        columns in ``body``: the URL's values win.

        Raises:
            HttpResponseError: the key is not an active alternate key, or the write failed.
            TransportError: no response after retries.
        """
        self._api.send("PATCH", odata.entity_path(entity_set, key), json=dict(body), idempotent=True)

    def delete_record(self, entity_set: str, key: odata.Key) -> None:
        """Delete a record; a record that is already gone counts as deleted.

        Raises:
            HttpResponseError, TransportError: the request failed for another reason.
        """
        try:
            self._api.send("DELETE", odata.entity_path(entity_set, key))
        except ResourceNotFoundError:
            return

    def who_am_i(self) -> dict[str, str]:
        """``UserId``, ``BusinessUnitId`` and ``OrganizationId`` of the calling identity.

        Raises:
            HttpResponseError, TransportError: the request failed (401: the app user is not set up).
        """
        body = self._api.get_json("WhoAmI")
        return {k: str(v) for k, v in body.items() if not k.startswith("@")}

    def retrieve_user_privileges(self, user_id: str) -> list[dict[str, Any]]:
        """The privileges a user holds through their roles: ``PrivilegeName``, ``Depth`` (``Basic`` … ``Global``).

        Raises:
            ResourceNotFoundError: no such user.
            HttpResponseError, TransportError: the request failed.
            ValueError: ``user_id`` is not a GUID.
        """
        path = odata.entity_path("systemusers", user_id) + "/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()"
        return list(self._api.get_json(path).get("RolePrivileges", []))
