"""An in-memory Dataverse metadata service: the seam :mod:`connector.provision` talks to.

It keeps tables, attributes and keys like the metadata API does, checks the payloads it receives the way
Dataverse would reject bad ones (type, prefix, labels, duplicates), and builds new alternate keys
asynchronously: a new key is ``Pending`` for ``key_polls_to_active`` reads of ``list_keys``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from connector.errors import HttpResponseError, ResourceNotFoundError

STANDARD = {
    "contact": ("contactid", "fullname"),
    "account": ("accountid", "name"),
    "lead": ("leadid", "fullname"),
    "opportunity": ("opportunityid", "name"),
}


def _bad_request(message: str) -> HttpResponseError:
    return HttpResponseError(message, status_code=400, service_error_code="0x80044363")


class FakeMetadataClient:
    """Tables → attributes and keys, with the six methods provisioning calls, and a log of every write."""

    def __init__(self, *, key_polls_to_active: int = 1, final_key_status: str = "Active") -> None:
        self.tables: dict[str, dict[str, Any]] = {}
        self.calls: list[tuple[str, str, str | None]] = []
        self.records: dict[str, list[dict[str, Any]]] = {}
        self.payloads: dict[str, list[dict[str, Any]]] = {}
        self.fail_attributes: set[tuple[str, str]] = set()
        self.key_polls_to_active = key_polls_to_active
        self.final_key_status = final_key_status
        for table, (primary_id, primary_name) in STANDARD.items():
            self._add_table(table, primary_id, primary_name, "String")

    def _add_table(self, table: str, primary_id: str, primary_name: str, name_type: str) -> None:
        self.tables[table] = {
            "attributes": {
                primary_id: {"LogicalName": primary_id, "SchemaName": primary_id, "AttributeType": "Uniqueidentifier"},
                primary_name: {"LogicalName": primary_name, "SchemaName": primary_name, "AttributeType": name_type},
                "statecode": {"LogicalName": "statecode", "SchemaName": "StateCode", "AttributeType": "State"},
            },
            "keys": {},
        }

    def _table(self, logical_name: str) -> dict[str, Any]:
        if logical_name not in self.tables:
            raise ResourceNotFoundError(f"Could not find entity {logical_name}", status_code=404)
        return self.tables[logical_name]

    # --- reads ---

    def get_entity_definition(self, logical_name: str, *, select: Iterable[str] | None = None) -> dict[str, Any]:
        self._table(logical_name)
        return {"LogicalName": logical_name}

    def list_attributes(self, logical_name: str) -> list[dict[str, Any]]:
        return [dict(a) for a in self._table(logical_name)["attributes"].values()]

    def list_keys(self, logical_name: str) -> list[dict[str, Any]]:
        keys = self._table(logical_name)["keys"]
        out = []
        for key in keys.values():
            if key["EntityKeyIndexStatus"] == "Pending":
                key["polls"] += 1
                if key["polls"] >= self.key_polls_to_active:
                    key["EntityKeyIndexStatus"] = self.final_key_status
            out.append({k: v for k, v in key.items() if k != "polls"})
        return out

    # --- writes ---

    def _check_labels(self, payload: dict[str, Any], where: str) -> None:
        languages = {label["LanguageCode"] for label in payload["DisplayName"]["LocalizedLabels"]}
        if languages != {1033, 1036}:
            raise _bad_request(f"{where}: DisplayName must have English and French labels, got {languages}")

    def create_entity(self, entity_metadata: dict[str, Any], *, solution: str | None = None) -> None:
        schema_name = entity_metadata["SchemaName"]
        logical = schema_name.lower()
        self.calls.append(("create_entity", logical, solution))
        if not logical.startswith("osi_") or logical in self.tables:
            raise _bad_request(f"cannot create entity {schema_name}")
        self._check_labels(entity_metadata, schema_name)
        primary = [a for a in entity_metadata["Attributes"] if a.get("IsPrimaryName")]
        if len(entity_metadata["Attributes"]) != 1 or len(primary) != 1:
            raise _bad_request("the Attributes of a new entity must be exactly its primary name attribute")
        if entity_metadata["IsActivity"] and primary[0]["SchemaName"] != "Subject":
            raise _bad_request("the primary name of a custom activity must be Subject")
        primary_id = "activityid" if entity_metadata["IsActivity"] else f"{logical}id"
        self._add_table(logical, primary_id, primary[0]["SchemaName"].lower(), "String")
        self.tables[logical]["EntitySetName"] = entity_metadata["EntitySetName"]
        self.payloads.setdefault(logical, []).append(primary[0])

    def create_attribute(
        self, entity_logical_name: str, attribute_metadata: dict[str, Any], *, solution: str | None = None
    ) -> None:
        schema_name = attribute_metadata["SchemaName"]
        logical = schema_name.lower()
        self.calls.append(("create_attribute", f"{entity_logical_name}.{logical}", solution))
        attributes = self._table(entity_logical_name)["attributes"]
        if (entity_logical_name, logical) in self.fail_attributes:
            raise _bad_request(f"injected failure for {entity_logical_name}.{logical}")
        if logical in attributes:
            raise _bad_request(f"attribute {logical} already exists on {entity_logical_name}")
        if not logical.startswith("osi_"):
            raise _bad_request(f"attribute {schema_name} lacks the publisher prefix")
        expected_type = attribute_metadata["@odata.type"].removeprefix("Microsoft.Dynamics.CRM.")
        if not expected_type.startswith(attribute_metadata["AttributeType"]):
            raise _bad_request(f"{schema_name}: @odata.type {expected_type} does not match AttributeType")
        self._check_labels(attribute_metadata, schema_name)
        attributes[logical] = {
            "LogicalName": logical, "SchemaName": schema_name, "AttributeType": attribute_metadata["AttributeType"],
        }
        self.payloads.setdefault(entity_logical_name, []).append(attribute_metadata)

    def create_key(
        self, entity_logical_name: str, key_metadata: dict[str, Any], *, solution: str | None = None
    ) -> None:
        schema_name = key_metadata["SchemaName"]
        self.calls.append(("create_key", f"{entity_logical_name}.{schema_name.lower()}", solution))
        table = self._table(entity_logical_name)
        missing = [a for a in key_metadata["KeyAttributes"] if a not in table["attributes"]]
        if missing:
            raise _bad_request(f"key {schema_name} names unknown attributes {missing}")
        table["keys"][schema_name.lower()] = {
            "SchemaName": schema_name, "LogicalName": schema_name.lower(),
            "KeyAttributes": list(key_metadata["KeyAttributes"]), "EntityKeyIndexStatus": "Pending", "polls": 0,
        }

    # --- publishers and solutions (records) ---

    def list_records(self, entity_set: str, *, select: list[str], filter: str | None = None) -> list[dict[str, Any]]:
        column, _, value = (filter or "").partition(" eq ")
        return [dict(r) for r in self.records.setdefault(entity_set, []) if r.get(column) == value.strip("'")]

    def create_record(self, entity_set: str, body: dict[str, Any]) -> str:
        row = {k: v for k, v in body.items() if not k.endswith("@odata.bind")}
        record_id = f"{entity_set}-{len(self.records.setdefault(entity_set, [])) + 1}"
        row[entity_set[:-1] + "id"] = record_id
        if "publisherid@odata.bind" in body:
            row["_publisherid_value"] = body["publisherid@odata.bind"].split("(")[1].rstrip(")")
        self.records[entity_set].append(row)
        self.calls.append(("create_record", entity_set, None))
        return record_id

    def writes(self) -> list[tuple[str, str, str | None]]:
        """Every create call so far, in order."""
        return list(self.calls)
