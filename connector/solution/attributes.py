"""``<attribute>`` and ``<EntityKey>`` elements of ``customizations.xml``, one per schema column and key.

The element names and codes are those of a solution exported from Dataverse: ``<Type>`` is the SQL-ish
type (``nvarchar``, ``ntext``, ``int``, ``decimal``, ``datetime``, ``bit``, ``picklist``), date-time
behaviour 1 = user local, 2 = date only, and a local choice carries its ``<optionset>`` inline.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from connector.schema import ColumnDef, ColumnKind, KeyDef
from connector.schema_fr import ENGLISH, FRENCH
from connector.solution.xmlutil import bilingual, english_only, sub

XML_TYPES: dict[ColumnKind, str] = {
    "string": "nvarchar",
    "memo": "ntext",
    "integer": "int",
    "decimal": "decimal",
    "datetime": "datetime",
    "dateonly": "datetime",
    "boolean": "bit",
    "picklist": "picklist",
}
"""Column kind → the ``<Type>`` an exported solution gives it."""

INTRODUCED_VERSION = "1.0.0.0"

_COMMON_FLAGS = (
    ("ImeMode", "auto"),
    ("ValidForUpdateApi", "1"),
    ("ValidForReadApi", "1"),
    ("ValidForCreateApi", "1"),
    ("IsCustomField", "1"),
    ("IsAuditEnabled", "0"),
    ("IsSecured", "0"),
    ("IntroducedVersion", INTRODUCED_VERSION),
    ("IsCustomizable", "1"),
    ("IsRenameable", "1"),
    ("CanModifySearchSettings", "1"),
    ("CanModifyRequirementLevelSettings", "1"),
    ("CanModifyAdditionalSettings", "1"),
    ("SourceType", "0"),
    ("IsGlobalFilterEnabled", "0"),
    ("IsSortableEnabled", "0"),
    ("CanModifyGlobalFilterSettings", "1"),
    ("CanModifyIsSortableSettings", "1"),
    ("IsDataSourceSecret", "0"),
    ("AutoNumberFormat", ""),
    ("IsSearchable", "0"),
    ("IsFilterable", "0"),
    ("IsRetrievable", "0"),
    ("IsLocalizable", "0"),
)


def attribute_element(table: str, column: ColumnDef, *, primary_name: bool = False) -> ET.Element:
    """The ``<attribute PhysicalName=…>`` element that defines ``column`` on ``table``.

    Args:
        table: logical name of the table (names the local option set of a choice).
        column: the column.
        primary_name: the column is the table's primary name column.

    Raises:
        KeyError: a label has no French translation.
        ValueError: a picklist column has no option set.
    """
    attr = ET.Element("attribute", PhysicalName=column.schema_name)
    sub(attr, "Type", XML_TYPES[column.kind])
    sub(attr, "Name", column.logical_name)
    sub(attr, "LogicalName", column.logical_name)
    sub(attr, "RequiredLevel", "required" if primary_name else "none")
    mask = "ValidForAdvancedFind|ValidForForm|ValidForGrid"
    sub(attr, "DisplayMask", "PrimaryName|" + mask + "|RequiredForForm" if primary_name else mask)
    for tag, value in _COMMON_FLAGS:
        sub(attr, tag, value)
    _type_specific(attr, table, column)
    bilingual(attr, "displaynames", "displayname", column.label)
    english_only(attr, "Descriptions", "Description", column.description)
    return attr


def _type_specific(attr: ET.Element, table: str, column: ColumnDef) -> None:
    kind = column.kind
    if kind == "string":
        length = column.max_length or 100
        sub(attr, "Format", "text")
        sub(attr, "MaxLength", length)
        sub(attr, "Length", 2 * length)  # bytes: nvarchar stores two per character
    elif kind == "memo":
        sub(attr, "Format", "text")
        sub(attr, "MaxLength", column.max_length or 2000)
    elif kind == "integer":
        sub(attr, "Format", "none")
        sub(attr, "MinValue", int(column.min_value or 0))
        sub(attr, "MaxValue", int(column.max_value or 0))
    elif kind == "decimal":
        sub(attr, "MinValue", _decimal(column.min_value))
        sub(attr, "MaxValue", _decimal(column.max_value))
        sub(attr, "Accuracy", column.precision or 2)
    elif kind in ("datetime", "dateonly"):
        sub(attr, "Format", "date" if kind == "dateonly" else "datetime")
        sub(attr, "CanChangeDateTimeBehavior", "1")
        sub(attr, "Behavior", "2" if kind == "dateonly" else "1")
    elif kind == "boolean":
        sub(attr, "AppDefaultValue", "0")
        options = _optionset(attr, f"{table}_{column.logical_name}", "bit", column)
        for value, en, fr in ((1, "Yes", "Oui"), (0, "No", "Non")):
            _option(options, value, en, fr)
    elif kind == "picklist":
        if column.options is None:
            raise ValueError(f"picklist column {column.schema_name} has no option set")
        sub(attr, "AppDefaultValue", "-1")
        options = _optionset(attr, f"{table}_{column.logical_name}", "picklist", column)
        for value, en, fr in column.options.options:
            _option(options, value, en, fr)


def _decimal(value: float | None) -> str:
    return f"{value or 0:.10f}".rstrip("0").rstrip(".") or "0"


def _optionset(attr: ET.Element, name: str, set_type: str, column: ColumnDef) -> ET.Element:
    optionset = sub(attr, "optionset", Name=name)
    sub(optionset, "OptionSetType", set_type)
    sub(optionset, "IsGlobal", "0")
    sub(optionset, "IntroducedVersion", INTRODUCED_VERSION)
    sub(optionset, "IsCustomizable", "1")
    bilingual(optionset, "displaynames", "displayname", column.label)
    english_only(optionset, "Descriptions", "Description", column.description)
    return sub(optionset, "options")


def _option(options: ET.Element, value: int, english: str, french_text: str) -> None:
    option = sub(options, "option", value=str(value), ExternalValue="", IsHidden="0")
    labels = sub(option, "labels")
    sub(labels, "label", description=english, languagecode=str(ENGLISH))
    sub(labels, "label", description=french_text, languagecode=str(FRENCH))


def primary_key_element(id_name: str, label: str) -> ET.Element:
    """The ``primarykey`` attribute (``<table>id``, or ``activityid`` for an activity) of a table we create."""
    attr = ET.Element("attribute", PhysicalName=id_name)
    sub(attr, "Type", "primarykey")
    sub(attr, "Name", id_name)
    sub(attr, "LogicalName", id_name)
    sub(attr, "RequiredLevel", "systemrequired")
    sub(attr, "DisplayMask", "ValidForAdvancedFind|RequiredForGrid")
    for tag, value in _COMMON_FLAGS:
        sub(attr, tag, "0" if tag in ("IsCustomField", "IsRenameable", "ValidForUpdateApi") else value)
    english_only(attr, "displaynames", "displayname", label)
    english_only(attr, "Descriptions", "Description", f"Unique identifier of the {label.lower()} row")
    return attr


def key_element(key: KeyDef) -> ET.Element:
    """The ``<EntityKey>`` element of alternate key ``key``.

    Raises:
        KeyError: the key's label has no French translation.
    """
    element = ET.Element("EntityKey")
    sub(element, "Name", key.schema_name)
    sub(element, "LogicalName", key.logical_name)
    sub(element, "IntroducedVersion", INTRODUCED_VERSION)
    sub(element, "IsCustomizable", "1")
    names = sub(element, "EntityKeyAttributes")
    for column in key.columns:
        sub(names, "AttributeName", column)
    bilingual(element, "displaynames", "displayname", key.label)
    return element
