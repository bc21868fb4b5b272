"""The metadata API: ``EntityDefinitions`` reads, and creating tables, columns and alternate keys.

Creation follows the rules Dataverse enforces (the caller's customizer privileges are checked by
:mod:`emulator.privileges` before these run):

- ``MSCRM.SolutionUniqueName`` must name an existing solution, and a new table's, column's or key's schema
  name must carry that solution's publisher's customization prefix;
- a custom activity must have notes (``HasNotes: true``), else error 0x8004F123 (ActivityMustHaveRelatedNotes).
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from typing import Any

from emulator.catalog import Column, Table, activity_columns, metadata_id
from emulator.errors import ApiError, bad_request
from emulator.labels_fr import LABELS_FR
from emulator.store import Store, q

ENTITY_PROPS = ("MetadataId", "LogicalName", "SchemaName", "EntitySetName", "PrimaryIdAttribute",
                "PrimaryNameAttribute", "ChangeTrackingEnabled", "IsActivity", "IsCustomEntity", "OwnershipType",
                "HasActivities", "HasNotes", "DisplayName", "LogicalCollectionName")
_TYPES = {  # kind → (@odata.type suffix, AttributeType, AttributeTypeName)
    "uniqueidentifier": ("Uniqueidentifier", "Uniqueidentifier", "UniqueidentifierType"),
    "string": ("String", "String", "StringType"), "memo": ("Memo", "Memo", "MemoType"),
    "entityname": ("EntityName", "EntityName", "EntityNameType"),
    "integer": ("Integer", "Integer", "IntegerType"), "bigint": ("BigInt", "BigInt", "BigIntType"),
    "decimal": ("Decimal", "Decimal", "DecimalType"), "money": ("Money", "Money", "MoneyType"),
    "double": ("Double", "Double", "DoubleType"), "datetime": ("DateTime", "DateTime", "DateTimeType"),
    "dateonly": ("DateTime", "DateTime", "DateTimeType"), "boolean": ("Boolean", "Boolean", "BooleanType"),
    "picklist": ("Picklist", "Picklist", "PicklistType"), "state": ("State", "State", "StateType"),
    "status": ("Status", "Status", "StatusType"), "lookup": ("Lookup", "Lookup", "LookupType"),
}
_CREATABLE = {"StringAttributeMetadata": "string", "MemoAttributeMetadata": "memo",
              "IntegerAttributeMetadata": "integer", "BigIntAttributeMetadata": "bigint",
              "DecimalAttributeMetadata": "decimal", "MoneyAttributeMetadata": "money",
              "DoubleAttributeMetadata": "double", "DateTimeAttributeMetadata": "datetime",
              "BooleanAttributeMetadata": "boolean", "PicklistAttributeMetadata": "picklist"}
_SIMPLE_FILTER = re.compile(r"^\s*(\w+)\s+eq\s+('(?:[^']|'')*'|true|false)\s*$")


def _label(text: str, french: str | None = None) -> dict[str, Any]:
    localized = {"Label": text, "LanguageCode": 1033}
    labels = [localized] + ([{"Label": french, "LanguageCode": 1036}] if french else [])
    return {"LocalizedLabels": labels, "UserLocalizedLabel": localized}


def _label_text(value: Any, default: str) -> str:
    try:
        return str(value["LocalizedLabels"][0]["Label"])
    except (KeyError, IndexError, TypeError):
        return default


def entity_json(table: Table) -> dict[str, Any]:
    """EntityMetadata of a table."""
    return {"MetadataId": metadata_id(table.logical), "LogicalName": table.logical, "SchemaName": table.schema_name,
            "EntitySetName": table.entity_set, "PrimaryIdAttribute": table.primary_id,
            "PrimaryNameAttribute": table.primary_name, "ChangeTrackingEnabled": table.change_tracking,
            "IsActivity": table.is_activity, "IsCustomEntity": table.custom, "OwnershipType": table.ownership,
            "HasActivities": table.is_activity or table.logical in ("account", "contact", "lead", "opportunity"),
            # Custom activities cannot exist without notes (create_entity refuses them).
            "HasNotes": not table.is_activity or table.custom, "DisplayName": _label(table.schema_name),
            "LogicalCollectionName": table.entity_set}


def attribute_json(table: Table, col: Column, *, with_options: bool = False) -> dict[str, Any]:
    """AttributeMetadata of a column."""
    suffix, attr_type, type_name = _TYPES[col.kind]
    out: dict[str, Any] = {
        "@odata.type": f"#Microsoft.Dynamics.CRM.{suffix}AttributeMetadata",
        "MetadataId": metadata_id(table.logical, col.logical), "LogicalName": col.logical,
        "SchemaName": col.schema_name, "EntityLogicalName": table.logical, "AttributeType": attr_type,
        "AttributeTypeName": {"Value": type_name}, "IsCustomAttribute": col.custom,
        "IsPrimaryId": col.logical == table.primary_id, "IsPrimaryName": col.logical == table.primary_name,
        "IsValidForCreate": not col.read_only,
        "IsValidForUpdate": not col.read_only and col.logical != table.primary_id,
        "IsValidForRead": True,
    }
    if col.max_length is not None:
        out["MaxLength"] = col.max_length
    if col.is_lookup:
        out["Targets"] = list(col.targets)
    if col.kind in ("datetime", "dateonly"):
        out["Format"] = "DateOnly" if col.date_only else "DateAndTime"
    if col.min_value is not None:
        out["MinValue"] = col.min_value
    if col.max_value is not None:
        out["MaxValue"] = col.max_value
    if col.precision is not None:
        out["Precision"] = col.precision
    if with_options and col.kind in ("picklist", "state", "status", "boolean"):
        # The organisation has the French language pack: standard options carry their 1036 label too.
        options = [{"Value": v, "Label": _label(text, LABELS_FR.get(text))} for v, text in sorted(col.options.items())]
        out["OptionSet"] = {"Options": options}
    return out


def select(obj: dict[str, Any], wanted_text: str | None) -> dict[str, Any]:
    """Keep the properties named by ``$select`` (plus annotations and MetadataId, which Dataverse always sends)."""
    if not wanted_text:
        return obj
    wanted = [s.strip() for s in wanted_text.split(",") if s.strip()]
    keep = {k: v for k, v in obj.items() if k in wanted or k.startswith("@") or k == "MetadataId"}
    return keep


def matches(obj: dict[str, Any], filter_text: str | None) -> bool:
    """Whether ``obj`` passes a metadata ``$filter`` of ``Property eq value`` clauses joined by ``and``.

    Raises:
        ApiError: 400 for any other filter.
    """
    if not filter_text:
        return True
    for clause in re.split(r"\s+and\s+", filter_text):
        m = _SIMPLE_FILTER.match(clause)
        if m is None:
            raise bad_request(f"The emulator supports only 'Property eq value' clauses joined by 'and' in "
                              f"metadata filters, not '{clause[:100]}'.", code="0x0")
        raw = m.group(2)
        value: Any = raw == "true" if raw in ("true", "false") else raw[1:-1].replace("''", "'")
        actual = obj.get(m.group(1))
        if isinstance(value, str) and isinstance(actual, str):
            if actual.lower() != value.lower():
                return False
        elif actual != value:
            return False
    return True


def list_entities(store: Store, args: dict[str, str]) -> list[dict[str, Any]]:
    """``GET EntityDefinitions`` with ``$select`` and simple ``$filter``."""
    out = []
    for table in store.tables.values():
        obj = entity_json(table)
        if matches(obj, args.get("$filter")):
            out.append(select(obj, args.get("$select")))
    return out


def find_table(store: Store, key: str) -> Table:
    """The table named by ``LogicalName='x'`` or a MetadataId.

    Raises:
        ApiError: 404 when there is no such table.
    """
    m = re.fullmatch(r"LogicalName='([^']*)'", key.strip())
    for table in store.tables.values():
        if (m and table.logical == m.group(1)) or (not m and metadata_id(table.logical) == key.strip().lower()):
            return table
    name = m.group(1) if m else key
    raise ApiError(404, "0x80040217", f"Could not find an entity with name {name}")


def find_column(table: Table, key: str) -> Column:
    """The column named by ``LogicalName='y'`` or a MetadataId.

    Raises:
        ApiError: 404 when there is no such column.
    """
    m = re.fullmatch(r"LogicalName='([^']*)'", key.strip())
    for col in table.columns.values():
        if (m and col.logical == m.group(1)) or (not m and metadata_id(table.logical, col.logical) == key.lower()):
            return col
    raise ApiError(404, "0x80040217", f"Could not find attribute {m.group(1) if m else key} for entity "
                   f"{table.logical}")


def column_from_body(body: Any) -> Column:
    """Build a column from an AttributeMetadata payload.

    Raises:
        ApiError: 400 for an unsupported type or a missing/invalid SchemaName.
    """
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object.", code="0x0")
    odata_type = str(body.get("@odata.type", "")).lstrip("#").removeprefix("Microsoft.Dynamics.CRM.")
    kind = _CREATABLE.get(odata_type)
    if kind is None:
        raise bad_request(f"The emulator cannot create attributes of type '{odata_type or '(none)'}'.", code="0x0")
    schema_name = body.get("SchemaName")
    if not isinstance(schema_name, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+", schema_name):
        raise bad_request("A custom attribute needs a SchemaName with the publisher prefix (e.g. 'new_Name').",
                          code="0x80044355")
    col = Column(schema_name.lower(), kind, schema_name=schema_name, custom=True,
                 max_length=body.get("MaxLength") if kind in ("string", "memo") else None,
                 min_value=body.get("MinValue"), max_value=body.get("MaxValue"), precision=body.get("Precision"))
    if kind == "datetime":
        behaviour = (body.get("DateTimeBehavior") or {}).get("Value")
        if body.get("Format") == "DateOnly" or behaviour == "DateOnly":
            col.kind, col.date_only = "dateonly", True
    if kind == "string" and col.max_length is None:
        col.max_length = 100
    if kind == "memo" and col.max_length is None:
        col.max_length = 2000
    if kind == "picklist":
        options = ((body.get("OptionSet") or {}).get("Options")) or []
        col.options = {int(o["Value"]): _label_text(o.get("Label"), str(o["Value"])) for o in options
                       if isinstance(o, dict) and isinstance(o.get("Value"), int)}
    if kind == "boolean":
        opts = body.get("OptionSet") or {}
        col.options = {0: _label_text((opts.get("FalseOption") or {}).get("Label"), "No"),
                       1: _label_text((opts.get("TrueOption") or {}).get("Label"), "Yes")}
    return col


def solution_prefix(store: Store, solution: str | None) -> str | None:
    """The customization prefix of the publisher of solution ``solution`` (``None`` without a solution).

    Raises:
        ApiError: 400 when no solution has that unique name.
    """
    if solution is None:
        return None
    with store.read() as conn:
        row = conn.execute('SELECT p."customizationprefix" FROM "t_solution" s LEFT JOIN "t_publisher" p '
                           'ON p."publisherid" = s."publisherid" WHERE lower(s."uniquename") = lower(?)',
                           (solution,)).fetchone()
    if row is None:
        raise bad_request(f"The solution with unique name '{solution[:100]}' does not exist: create it (and its "
                          "publisher) before adding components to it.", code="0x0")
    return str(row[0] or "")


def check_prefix(store: Store, solution: str | None, schema_name: Any, what: str) -> None:
    """Refuse a schema name that does not carry the solution publisher's prefix.

    Raises:
        ApiError: 400 for a missing solution or a prefix that does not match.
    """
    prefix = solution_prefix(store, solution)
    if prefix is None or not isinstance(schema_name, str):
        return
    if not schema_name.lower().startswith(prefix.lower() + "_"):
        raise bad_request(f"The {what} schema name '{schema_name[:100]}' must start with '{prefix}_', the "
                          f"customization prefix of the publisher of solution '{solution}'.", code="0x80044355")


def add_attribute(store: Store, table: Table, body: Any, *, solution: str | None = None) -> Column:
    """``POST EntityDefinitions(...)/Attributes``.

    Raises:
        ApiError: 400 for an invalid payload, an attribute that already exists, a missing solution or a
            schema name without the solution publisher's prefix.
    """
    check_prefix(store, solution, body.get("SchemaName") if isinstance(body, dict) else None, "attribute")
    col = column_from_body(body)
    if col.logical in table.columns:
        raise ApiError(400, "0x80047013", f"An attribute with the SchemaName '{col.schema_name}' already exists on "
                       f"the entity '{table.logical}'.")
    store.add_column(table, col)
    return col


def create_entity(store: Store, body: Any, *, solution: str | None = None) -> Table:
    """``POST EntityDefinitions``: a custom table with its primary-name attribute.

    Raises:
        ApiError: 400 for an invalid payload, an existing table, a missing solution, a schema name without
            the solution publisher's prefix, or a custom activity without notes (0x8004F123).
    """
    if not isinstance(body, dict):
        raise bad_request("The request body must be a JSON object.", code="0x0")
    schema_name = body.get("SchemaName")
    check_prefix(store, solution, schema_name, "table")
    if body.get("IsActivity") and body.get("HasNotes") is not True:
        raise ApiError(400, "0x8004F123", "An activity entity must have a relationship with notes: create the custom "
                       "activity with HasNotes set to true (ActivityMustHaveRelatedNotes).")
    if not isinstance(schema_name, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*_[A-Za-z0-9_]+", schema_name):
        raise bad_request("A custom table needs a SchemaName with the publisher prefix (e.g. 'new_Thing').",
                          code="0x80044355")
    logical = schema_name.lower()
    if logical in store.tables:
        raise ApiError(400, "0x80047012", f"An entity with the SchemaName '{schema_name}' already exists.")
    is_activity = bool(body.get("IsActivity"))
    attrs = body.get("Attributes") or []
    primary = next((a for a in attrs if isinstance(a, dict) and a.get("IsPrimaryName")), None)
    if primary is None and not is_activity:
        raise bad_request("The Attributes of a new table must include its primary name attribute "
                          "(IsPrimaryName: true).", code="0x0")
    pk = "activityid" if is_activity else f"{logical}id"
    cols: dict[str, Column] = {pk: Column(pk, "uniqueidentifier")}
    if is_activity:
        cols.update({c.logical: c for c in activity_columns(logical)})
        primary_name = "subject"
    else:
        ownership = str(body.get("OwnershipType") or "UserOwned")
        if ownership == "UserOwned":
            cols["ownerid"] = Column("ownerid", "lookup", targets=("systemuser",))
        cols["statecode"] = Column("statecode", "state", options={0: "Active", 1: "Inactive"})
        cols["statuscode"] = Column("statuscode", "status", options={1: "Active", 2: "Inactive"})
        cols["createdon"] = Column("createdon", "datetime", read_only=True)
        cols["modifiedon"] = Column("modifiedon", "datetime", read_only=True)
        primary_name = None
    for attr in attrs:
        if is_activity and isinstance(attr, dict) and attr.get("IsPrimaryName"):
            continue  # an activity's primary name is always the built-in 'subject'
        col = column_from_body(attr)
        if col.logical in cols:
            continue
        cols[col.logical] = col
        if attr.get("IsPrimaryName"):
            primary_name = col.logical
    table = Table(logical, str(body.get("EntitySetName") or logical + "s"), pk, primary_name, cols,
                  schema_name=schema_name, is_activity=is_activity,
                  change_tracking=bool(body.get("ChangeTrackingEnabled", False)), custom=True,
                  ownership=str(body.get("OwnershipType") or "UserOwned"))
    if any(t.entity_set == table.entity_set for t in store.tables.values()):
        raise ApiError(400, "0x80047012", f"The entity set name '{table.entity_set}' is already in use.")
    store.create_table(table)
    return table


def update_entity(store: Store, table: Table, body: Any) -> None:
    """``PUT EntityDefinitions(...)``: only ``ChangeTrackingEnabled`` is honoured (it can be switched on, not off)."""
    if isinstance(body, dict) and body.get("ChangeTrackingEnabled") is True and not table.change_tracking:
        table.change_tracking = True
        with store.transaction() as conn:
            store.save_table(conn, table)


def keys_json(table: Table) -> list[dict[str, Any]]:
    """EntityKeyMetadata of a table's alternate keys."""
    return [dict(k) for k in table.keys.values()]


def add_key(store: Store, table: Table, body: Any, *, solution: str | None = None) -> dict[str, Any]:
    """``POST EntityDefinitions(...)/Keys``: an alternate key, immediately Active.

    Raises:
        ApiError: 400 for an invalid payload, an unknown column, existing duplicates, a missing solution or a
            schema name without the solution publisher's prefix.
    """
    if not isinstance(body, dict) or not isinstance(body.get("SchemaName"), str):
        raise bad_request("An alternate key needs a SchemaName and KeyAttributes.", code="0x0")
    check_prefix(store, solution, body["SchemaName"], "key")
    attrs = body.get("KeyAttributes")
    if not isinstance(attrs, list) or not attrs or not all(isinstance(a, str) for a in attrs):
        raise bad_request("An alternate key needs a non-empty KeyAttributes list.", code="0x0")
    for name in attrs:
        col = table.columns.get(name)
        if col is None or col.kind not in ("string", "integer", "decimal", "datetime", "dateonly", "lookup",
                                           "picklist", "uniqueidentifier"):
            raise bad_request(f"The attribute '{name}' cannot be part of an alternate key of '{table.logical}'.",
                              code="0x80060891")
    logical = body["SchemaName"].lower()
    if logical in table.keys:
        raise ApiError(400, "0x80060890", f"An alternate key named '{body['SchemaName']}' already exists.")
    key = {"MetadataId": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{table.logical}/{logical}")),
           "LogicalName": logical, "SchemaName": body["SchemaName"], "EntityLogicalName": table.logical,
           "KeyAttributes": list(attrs), "EntityKeyIndexStatus": "Active",
           "DisplayName": body.get("DisplayName") or _label(body["SchemaName"])}
    cols = ", ".join(q(a) for a in attrs)
    where = " AND ".join(f"{q(a)} IS NOT NULL" for a in attrs)
    try:
        with store.transaction() as conn:
            conn.execute(f"CREATE UNIQUE INDEX {q(table.sql_name + '__key_' + logical)} ON {q(table.sql_name)} "
                         f"({cols}) WHERE {where}")
            table.keys = {**table.keys, logical: key}
            store.save_table(conn, table)
    except sqlite3.IntegrityError as exc:  # existing duplicate values
        table.keys = {k: v for k, v in table.keys.items() if k != logical}
        raise ApiError(400, "0x80060893", f"The alternate key '{body['SchemaName']}' cannot be activated: "
                       f"existing rows of '{table.logical}' have duplicate values.") from exc
    return key
