"""Metadata: read table definitions; create tables, columns and alternate keys; associate with a solution.

Metadata endpoints do not page. Creation is a POST and therefore not repeated after an ambiguous failure;
callers make provisioning idempotent by reading what exists first (see :mod:`connector.provision`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from connector import odata
from connector.dataverse.api import DataverseApi
from connector.dataverse.records import entity_id_from

# Metadata is cached by the service; reads after a create must see it.
_STRONG = {"Consistency": "Strong"}


def _definition(logical_name: str) -> str:
    return f"EntityDefinitions(LogicalName={odata.literal(odata.name(logical_name))})"


def _solution_header(solution: str | None) -> dict[str, str]:
    return {"MSCRM.SolutionUniqueName": odata.name(solution)} if solution else {}


class MetadataMixin:
    """Metadata operations on :class:`~connector.dataverse.client.DataverseClient`."""

    _api: DataverseApi

    def get_entity_definition(self, logical_name: str, *, select: Iterable[str] | None = None) -> dict[str, Any]:
        """The definition of table ``logical_name`` (``LogicalName``, ``EntitySetName``, ...).

        Raises:
            ResourceNotFoundError: no such table.
            HttpResponseError, TransportError: the request failed.
        """
        params = odata.query_options(select=list(select) if select else None)
        return dict(self._api.get_json(_definition(logical_name), params=params, headers=_STRONG))

    def list_attributes(self, logical_name: str) -> list[dict[str, Any]]:
        """The columns of table ``logical_name`` (``LogicalName``, ``SchemaName``, ``AttributeType``).

        Raises:
            ResourceNotFoundError: no such table.
            HttpResponseError, TransportError: the request failed.
        """
        params = odata.query_options(select=["LogicalName", "SchemaName", "AttributeType"])
        body = self._api.get_json(f"{_definition(logical_name)}/Attributes", params=params, headers=_STRONG)
        return list(body.get("value", []))

    def list_keys(self, logical_name: str) -> list[dict[str, Any]]:
        """The alternate keys of table ``logical_name``, with their ``EntityKeyIndexStatus``.

        Raises:
            ResourceNotFoundError: no such table.
            HttpResponseError, TransportError: the request failed.
        """
        body = self._api.get_json(f"{_definition(logical_name)}/Keys", headers=_STRONG)
        return list(body.get("value", []))

    def create_entity(self, entity_metadata: dict[str, Any], *, solution: str | None = None) -> str | None:
        """Create a table from an ``EntityMetadata`` payload; return its MetadataId when the service tells it.

        Raises:
            HttpResponseError: the payload is invalid or the table exists.
            TransportError: no response after retries.
        """
        response = self._api.send("POST", "EntityDefinitions", json=entity_metadata, headers=_solution_header(solution))
        return entity_id_from(response.headers.get("OData-EntityId"))

    def create_attribute(
        self, entity_logical_name: str, attribute_metadata: dict[str, Any], *, solution: str | None = None
    ) -> str | None:
        """Add a column to a table from an ``*AttributeMetadata`` payload; return its MetadataId if told.

        Raises:
            ResourceNotFoundError: no such table.
            HttpResponseError: the payload is invalid or the column exists.
            TransportError: no response after retries.
        """
        response = self._api.send(
            "POST", f"{_definition(entity_logical_name)}/Attributes", json=attribute_metadata,
            headers=_solution_header(solution),
        )
        return entity_id_from(response.headers.get("OData-EntityId"))

    def create_key(
        self, entity_logical_name: str, key_metadata: dict[str, Any], *, solution: str | None = None
    ) -> str | None:
        """Define an alternate key from an ``EntityKeyMetadata`` payload; its index builds asynchronously.

        Poll :meth:`list_keys` until ``EntityKeyIndexStatus`` is ``Active`` before upserting by it.

        Raises:
            ResourceNotFoundError: no such table.
            HttpResponseError: the payload is invalid or the key exists.
            TransportError: no response after retries.
        """
        response = self._api.send(
            "POST", f"{_definition(entity_logical_name)}/Keys", json=key_metadata, headers=_solution_header(solution)
        )
        return entity_id_from(response.headers.get("OData-EntityId"))
