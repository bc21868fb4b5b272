"""One ``<Entity>`` element of ``customizations.xml`` per table the solution touches.

A standard table (contact, account, lead, opportunity) appears as an unmodified shell holding only our
columns, the "Sales insights" form and view. A table we create carries its full definition: names in
English and French, the primary key and primary name, every column, the alternate keys, the table
properties an export has, and its form and views.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from connector import schema
from connector.schema import TableDef
from connector.solution.attributes import INTRODUCED_VERSION, attribute_element, key_element, primary_key_element
from connector.solution.forms import insights_form, insights_views, table_form, table_views
from connector.solution.layout import STANDARD_TABLES
from connector.solution.xmlutil import bilingual, english_only, sub

_ENTITY_FLAGS = (
    ("IsDuplicateCheckSupported", "0"),
    ("IsBusinessProcessEnabled", "0"),
    ("IsRequiredOffline", "0"),
    ("IsInteractionCentricEnabled", "0"),
    ("IsCollaboration", "0"),
    ("AutoRouteToOwnerQueue", "0"),
    ("IsConnectionsEnabled", "0"),
    ("IsDocumentManagementEnabled", "0"),
    ("AutoCreateAccessTeams", "0"),
    ("IsOneNoteIntegrationEnabled", "0"),
    ("IsKnowledgeManagementEnabled", "0"),
    ("IsSLAEnabled", "0"),
    ("IsDocumentRecommendationsEnabled", "0"),
    ("IsBPFEntity", "0"),
    ("OwnershipTypeMask", "UserOwned"),
    ("IsAuditEnabled", "0"),
    ("IsRetrieveAuditEnabled", "0"),
    ("IsRetrieveMultipleAuditEnabled", "0"),
)

_ENTITY_TAIL = (
    ("IsActivityParty", "0"),
    ("IsReplicated", "0"),
    ("IsReplicationUserFiltered", "0"),
    ("IsMailMergeEnabled", "0"),
    ("IsVisibleInMobile", "0"),
    ("IsVisibleInMobileClient", "1"),
    ("IsReadOnlyInMobileClient", "0"),
    ("IsOfflineInMobileClient", "0"),
    ("DaysSinceRecordLastModified", "0"),
    ("MobileOfflineFilters", ""),
    ("IsMapiGridEnabled", "1"),
    ("IsReadingPaneEnabled", "1"),
    ("IsQuickCreateEnabled", "0"),
    ("SyncToExternalSearchIndex", "0"),
    ("IntroducedVersion", INTRODUCED_VERSION),
    ("IsCustomizable", "1"),
    ("IsRenameable", "1"),
    ("IsMappable", "1"),
    ("CanModifyAuditSettings", "1"),
    ("CanModifyMobileVisibility", "1"),
    ("CanModifyMobileClientVisibility", "1"),
    ("CanModifyMobileClientReadOnly", "1"),
    ("CanModifyQueueSettings", "1"),
    ("CanModifyConnectionSettings", "1"),
    ("CanModifyDuplicateDetectionSettings", "1"),
    ("CanModifyMailMergeSettings", "1"),
    ("CanModifyMobileClientOffline", "1"),
    ("CanChangeHierarchicalRelationship", "1"),
    ("EntityHelpUrlEnabled", "0"),
    ("ChangeTrackingEnabled", "1"),
    ("IsEnabledForExternalChannels", "0"),
)


def standard_entity(table: str, web_resource: str | None = None) -> ET.Element:
    """The ``<Entity>`` of standard ``table`` with only our columns, our form and our view.

    Args:
        table: logical name of a standard table we extend.
        web_resource: seller-panel web resource to show on the "Sales insights" form, if any.

    Raises:
        KeyError: ``table`` is not one of the extended standard tables, or a label lacks a translation.
    """
    std = STANDARD_TABLES[table]
    entity = ET.Element("Entity")
    sub(entity, "Name", std.schema_name, LocalizedName=std.label, OriginalName=std.label)
    info = sub(sub(entity, "EntityInfo"), "entity", Name=std.schema_name, unmodified="1")
    attributes = sub(info, "attributes")
    for column in schema.EXTENDED_TABLES[table]:
        attributes.append(attribute_element(table, column))
    sub(entity, "FormXml").append(insights_form(table, web_resource))
    sub(entity, "SavedQueries").append(insights_views(table))
    return entity


def custom_entity(table: TableDef) -> ET.Element:
    """The ``<Entity>`` that defines one of our tables completely.

    Raises:
        KeyError: a label has no French translation.
    """
    entity = ET.Element("Entity")
    sub(entity, "Name", table.schema_name, LocalizedName=table.label, OriginalName=table.label)
    info = sub(sub(entity, "EntityInfo"), "entity", Name=table.schema_name)
    bilingual(info, "LocalizedNames", "LocalizedName", table.label)
    bilingual(info, "LocalizedCollectionNames", "LocalizedCollectionName", table.plural_label)
    english_only(info, "Descriptions", "Description", table.description)
    attributes = sub(info, "attributes")
    attributes.append(primary_key_element(table.primary_id, table.label))
    attributes.append(attribute_element(table.logical_name, table.primary_name, primary_name=True))
    for column in table.columns:
        attributes.append(attribute_element(table.logical_name, column))
    if table.keys:
        keys = sub(info, "EntityKeys")
        for key in table.keys:
            keys.append(key_element(key))
    sub(info, "EntitySetName", table.entity_set_name)
    for tag, value in _ENTITY_FLAGS:
        sub(info, tag, value)
    sub(info, "IsActivity", "1" if table.is_activity else "0")
    for tag, value in _ENTITY_TAIL:
        sub(info, tag, value)
    # Dataverse refuses a custom activity without notes (0x8004F123).
    sub(info, "HasRelatedNotes", "True" if table.is_activity else "False")
    sub(info, "HasRelatedActivities", "False")
    sub(entity, "FormXml").append(table_form(table))
    sub(entity, "SavedQueries").append(table_views(table))
    return entity

