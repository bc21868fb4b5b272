"""``solution.xml`` (the solution manifest) and ``[Content_Types].xml`` of the generated solution."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable

from connector import schema
from connector.solution.appmodule import APP_UNIQUE_NAME, SITEMAP_UNIQUE_NAME, seller_view_id
from connector.solution.forms import SELLER_VIEWS
from connector.solution.layout import STANDARD_TABLES
from connector.solution.role import ROLES
from connector.solution.webresources import WebResource
from connector.solution.xmlutil import XSI, bilingual, english_only, stable_id, sub

CONTENT_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"

COMPONENT_ENTITY, COMPONENT_ROLE, COMPONENT_VIEW, COMPONENT_FORM = 1, 20, 26, 60
COMPONENT_WEB_RESOURCE, COMPONENT_SITEMAP, COMPONENT_APP_MODULE = 61, 62, 80
"""``solutioncomponent`` type codes of the root components we ship (Entity, Role, SavedQuery, SystemForm,
WebResource, SiteMap, AppModule)."""

ORGANIZATION_VERSION = {"OrganizationVersion": "9.2.24101.200", "OrganizationSchemaType": "Standard",
                        "CRMServerServiceabilityVersion": "9.2.24101.00200"}
"""The organisation attributes an export from Dataverse carries on both roots (the version the files were
checked against; an organisation imports files from the same or an older version)."""

BEHAVIOR_INCLUDE_SUBCOMPONENTS, BEHAVIOR_DO_NOT_INCLUDE_SUBCOMPONENTS = 0, 1

_ADDRESS_FIELDS = ("City", "County", "Country", "Fax", "FreightTermsCode", "ImportSequenceNumber", "Latitude",
                   "Line1", "Line2", "Line3", "Longitude", "Name", "PostalCode", "PostOfficeBox",
                   "PrimaryContactName", "ShippingMethodCode", "StateOrProvince", "Telephone1", "Telephone2",
                   "Telephone3", "TimeZoneRuleVersionNumber", "UPSZone", "UTCOffset", "UTCConversionTimeZoneCode")


def import_export_root(**attrs: str) -> ET.Element:
    """An ``<ImportExportXml>`` root declaring the ``xsi`` namespace (solution files use ``xsi:nil``)."""
    return ET.Element("ImportExportXml", {**attrs, "xmlns:xsi": XSI})


def _nil(parent: ET.Element, tag: str) -> None:
    sub(parent, tag, **{"xsi:nil": "true"})


def solution_manifest(web_resources: Iterable[WebResource] = ()) -> ET.Element:
    """The ``solution.xml`` tree: name, version, unmanaged, publisher ``osi`` / 10730, root components."""
    root = import_export_root(version=ORGANIZATION_VERSION["OrganizationVersion"], SolutionPackageVersion="9.2",
                              languagecode="1033", generatedBy="CrmLive", **ORGANIZATION_VERSION)
    manifest = sub(root, "SolutionManifest")
    sub(manifest, "UniqueName", schema.SOLUTION_UNIQUE_NAME)
    bilingual(manifest, "LocalizedNames", "LocalizedName", schema.SOLUTION_DISPLAY_NAME)
    english_only(manifest, "Descriptions", "Description",
                 "Relationship analytics, predictive scoring, notes analysis, talking points and who-knows-whom "
                 "for Dynamics 365, computed by the Open Sales Insights function app.")
    sub(manifest, "Version", schema.SOLUTION_VERSION)
    sub(manifest, "Managed", "0")
    publisher = sub(manifest, "Publisher")
    sub(publisher, "UniqueName", schema.PUBLISHER_UNIQUE_NAME)
    bilingual(publisher, "LocalizedNames", "LocalizedName", schema.PUBLISHER_DISPLAY_NAME)
    sub(publisher, "Descriptions")
    _nil(publisher, "EMailAddress")
    _nil(publisher, "SupportingWebsiteUrl")
    sub(publisher, "CustomizationPrefix", schema.PREFIX)
    sub(publisher, "CustomizationOptionValuePrefix", schema.OPTION_VALUE_PREFIX)
    addresses = sub(publisher, "Addresses")
    for number in (1, 2):
        address = sub(addresses, "Address")
        sub(address, "AddressNumber", number)
        sub(address, "AddressTypeCode", 1)
        for field in _ADDRESS_FIELDS:
            _nil(address, field)
    components = sub(manifest, "RootComponents")
    for std in STANDARD_TABLES.values():
        # Only our columns, form and views of a standard table travel with the solution, not the table itself:
        # the table as a shell, and each form and view we add to it as a root component of its own.
        sub(components, "RootComponent", type=str(COMPONENT_ENTITY), schemaName=std.logical_name,
            behavior=str(BEHAVIOR_DO_NOT_INCLUDE_SUBCOMPONENTS))
    for std in STANDARD_TABLES.values():
        sub(components, "RootComponent", type=str(COMPONENT_FORM), id=stable_id(std.logical_name, "form", "main"),
            behavior=str(BEHAVIOR_INCLUDE_SUBCOMPONENTS))
        views = [stable_id(std.logical_name, "view", "insights")]
        views += [seller_view_id(std.logical_name)] if std.logical_name in SELLER_VIEWS else []
        for view in views:
            sub(components, "RootComponent", type=str(COMPONENT_VIEW), id=view,
                behavior=str(BEHAVIOR_INCLUDE_SUBCOMPONENTS))
    for table in schema.TABLES:
        sub(components, "RootComponent", type=str(COMPONENT_ENTITY), schemaName=table.logical_name,
            behavior=str(BEHAVIOR_INCLUDE_SUBCOMPONENTS))
    for role in ROLES:
        sub(components, "RootComponent", type=str(COMPONENT_ROLE), id=role.id,
            behavior=str(BEHAVIOR_INCLUDE_SUBCOMPONENTS))
    for resource in web_resources:
        sub(components, "RootComponent", type=str(COMPONENT_WEB_RESOURCE), schemaName=resource.name,
            behavior=str(BEHAVIOR_INCLUDE_SUBCOMPONENTS))
    sub(components, "RootComponent", type=str(COMPONENT_SITEMAP), schemaName=SITEMAP_UNIQUE_NAME,
        behavior=str(BEHAVIOR_INCLUDE_SUBCOMPONENTS))
    sub(components, "RootComponent", type=str(COMPONENT_APP_MODULE), schemaName=APP_UNIQUE_NAME,
        behavior=str(BEHAVIOR_INCLUDE_SUBCOMPONENTS))
    sub(manifest, "MissingDependencies")
    return root


def content_types(extensions: Iterable[str]) -> ET.Element:
    """The ``[Content_Types].xml`` tree: one ``Default`` entry per file extension in the zip, sorted.

    Dataverse's import fails with an unhelpful error when a file's extension has no entry.
    """
    types = ET.Element("Types", xmlns=CONTENT_TYPES_NS)
    for extension in sorted({e.lower() for e in extensions} | {"xml"}):
        sub(types, "Default", Extension=extension, ContentType="application/octet-stream")
    return types
