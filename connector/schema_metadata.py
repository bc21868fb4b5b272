"""Dataverse Web API metadata payloads for :mod:`connector.schema`: tables, columns and alternate keys.

Pure functions: :func:`label`, :func:`attribute_metadata`, :func:`entity_metadata` and :func:`key_metadata`
turn schema definitions into the JSON bodies of ``POST EntityDefinitions``, ``POST …/Attributes`` and
``POST …/Keys``. :mod:`connector.provision` sends them; :data:`ATTRIBUTE_TYPES` is the one mapping from a
column kind to its Dataverse attribute type.
"""

from __future__ import annotations

from typing import Any

from connector.schema import ColumnDef, ColumnKind, KeyDef, TableDef
from connector.schema_fr import ENGLISH, FRENCH, french

_NS = "Microsoft.Dynamics.CRM."

ATTRIBUTE_TYPES: dict[ColumnKind, tuple[str, str, str]] = {
    "string": ("StringAttributeMetadata", "String", "StringType"),
    "memo": ("MemoAttributeMetadata", "Memo", "MemoType"),
    "integer": ("IntegerAttributeMetadata", "Integer", "IntegerType"),
    "decimal": ("DecimalAttributeMetadata", "Decimal", "DecimalType"),
    "datetime": ("DateTimeAttributeMetadata", "DateTime", "DateTimeType"),
    "dateonly": ("DateTimeAttributeMetadata", "DateTime", "DateTimeType"),
    "boolean": ("BooleanAttributeMetadata", "Boolean", "BooleanType"),
    "picklist": ("PicklistAttributeMetadata", "Picklist", "PicklistType"),
}
"""Column kind → (metadata type, ``AttributeType``, ``AttributeTypeName``)."""


def label(english: str, french_text: str | None = None) -> dict[str, Any]:
    """A ``Label`` with the English (1033) and French (1036) text.

    Args:
        english: the English text.
        french_text: the French text; looked up in :mod:`connector.schema_fr` when omitted.

    Raises:
        KeyError: ``french_text`` is omitted and the English label has no translation.
    """
    fr = french(english) if french_text is None else french_text
    return {
        "@odata.type": _NS + "Label",
        "LocalizedLabels": [
            {"@odata.type": _NS + "LocalizedLabel", "Label": english, "LanguageCode": ENGLISH},
            {"@odata.type": _NS + "LocalizedLabel", "Label": fr, "LanguageCode": FRENCH},
        ],
    }


def _english_label(text: str) -> dict[str, Any]:
    # Descriptions are documentation for makers; the schema keeps them in English only.
    return {
        "@odata.type": _NS + "Label",
        "LocalizedLabels": [{"@odata.type": _NS + "LocalizedLabel", "Label": text, "LanguageCode": ENGLISH}],
    }


def attribute_metadata(column: ColumnDef, *, primary_name: bool = False) -> dict[str, Any]:
    """The ``…AttributeMetadata`` payload that creates ``column``.

    Args:
        column: the column to create.
        primary_name: mark it as the table's primary name column (``IsPrimaryName``).

    Raises:
        KeyError: a label has no French translation.
        ValueError: a picklist column has no option set.
    """
    odata_type, attribute_type, type_name = ATTRIBUTE_TYPES[column.kind]
    payload: dict[str, Any] = {
        "@odata.type": _NS + odata_type,
        "AttributeType": attribute_type,
        "AttributeTypeName": {"Value": type_name},
        "SchemaName": column.schema_name,
        "DisplayName": label(column.label, column.label_fr),
        "Description": _english_label(column.description),
        "RequiredLevel": {
            "Value": "None",
            "CanBeChanged": True,
            "ManagedPropertyLogicalName": "canmodifyrequirementlevelsettings",
        },
    }
    return payload | _kind_fields(column, primary_name)


def _kind_fields(column: ColumnDef, primary_name: bool) -> dict[str, Any]:
    """The part of the payload that depends on the column's kind (length, range, format, option set).

    Raises:
        KeyError: an option label has no French translation.
        ValueError: a picklist column has no option set.
    """
    if column.kind == "string":
        return {"MaxLength": column.max_length or 100, "FormatName": {"Value": "Text"},
                **({"IsPrimaryName": True} if primary_name else {})}
    if column.kind == "memo":
        return {"MaxLength": column.max_length or 2000, "Format": "TextArea"}
    if column.kind == "integer":
        return {"Format": "None", "MinValue": int(column.min_value or 0), "MaxValue": int(column.max_value or 0)}
    if column.kind == "decimal":
        return {"MinValue": column.min_value, "MaxValue": column.max_value, "Precision": column.precision or 2}
    if column.kind in ("datetime", "dateonly"):
        date_only = column.kind == "dateonly"
        return {
            "Format": "DateOnly" if date_only else "DateAndTime",
            "DateTimeBehavior": {"Value": "DateOnly" if date_only else "UserLocal"},
        }
    if column.kind == "boolean":
        return {
            "DefaultValue": False,
            "OptionSet": {
                "@odata.type": _NS + "BooleanOptionSetMetadata",
                "OptionSetType": "Boolean",
                "TrueOption": {"Value": 1, "Label": label("Yes", "Oui")},
                "FalseOption": {"Value": 0, "Label": label("No", "Non")},
            },
        }
    if column.kind == "picklist":
        if column.options is None:
            raise ValueError(f"picklist column {column.schema_name} has no option set")
        return {"OptionSet": {
            "@odata.type": _NS + "OptionSetMetadata",
            "IsGlobal": False,
            "OptionSetType": "Picklist",
            "Options": [{"Value": value, "Label": label(en, fr)} for value, en, fr in column.options.options],
        }}
    return {}


def entity_metadata(table: TableDef) -> dict[str, Any]:
    """The ``EntityMetadata`` payload that creates ``table`` with its primary name column only.

    The other columns are created one by one afterwards, so a partly provisioned table is completed by the
    next run the same way as a new one.

    Raises:
        KeyError: a label has no French translation.
    """
    return {
        "@odata.type": _NS + "EntityMetadata",
        "SchemaName": table.schema_name,
        # Set explicitly: the sync addresses our tables by this name, so it must not depend on the service's
        # own pluralisation.
        "EntitySetName": table.entity_set_name,
        "DisplayName": label(table.label, table.label_fr[0] if table.label_fr else None),
        "DisplayCollectionName": label(table.plural_label, table.label_fr[1] if table.label_fr else None),
        "Description": _english_label(table.description),
        "OwnershipType": "UserOwned",
        "IsActivity": table.is_activity,
        "HasActivities": False,
        # Dataverse refuses a custom activity without notes (0x8004F123, ActivityMustHaveRelatedNotes).
        "HasNotes": table.is_activity,
        # The sync diffs what it computed against what Dataverse holds; change tracking lets it read deltas.
        "ChangeTrackingEnabled": True,
        "Attributes": [attribute_metadata(table.primary_name, primary_name=True)],
    }


def key_metadata(key: KeyDef) -> dict[str, Any]:
    """The ``EntityKeyMetadata`` payload that creates alternate key ``key``.

    Raises:
        KeyError: the key's label has no French translation.
    """
    return {
        "@odata.type": _NS + "EntityKeyMetadata",
        "SchemaName": key.schema_name,
        "DisplayName": label(key.label),
        "KeyAttributes": list(key.columns),
    }
