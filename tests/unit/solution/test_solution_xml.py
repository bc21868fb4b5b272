"""The generated solution files: well-formed, the expected structure, and in agreement with provisioning."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from connector import schema
from connector.provision import provision
from connector.schema_metadata import ATTRIBUTE_TYPES
from connector.solution.attributes import XML_TYPES
from connector.solution.builder import ASSETS_DIR, CONTENT_TYPES_XML, CUSTOMIZATIONS_XML, SOLUTION_XML, build
from connector.solution.forms import CONTROL_CLASSES, SELLER_VIEWS
from connector.solution.layout import STANDARD_TABLES
from connector.solution.role import ADMIN_ROLE_NAME, SELLER_ROLE_NAME, SYNC_DELETES, role_privileges
from tests.unit.solution.fake_metadata import FakeMetadataClient

# The one place that says which Web API attribute type and which solution-file type belong together.
TYPE_PAIRS = {
    ("String", "nvarchar"), ("Memo", "ntext"), ("Integer", "int"), ("Decimal", "decimal"),
    ("DateTime", "datetime"), ("Boolean", "bit"), ("Picklist", "picklist"),
}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ET.Element]:
    solution = build(tmp_path_factory.mktemp("empty") / "WebResources")
    return {name: ET.fromstring(data) for name, data in solution.files.items()}


def _entities(customizations: ET.Element) -> dict[str, ET.Element]:
    return {e.findtext("Name"): e for e in customizations.find("Entities")}


def _xml_attributes(entity: ET.Element) -> dict[str, ET.Element]:
    return {a.findtext("LogicalName"): a for a in entity.find("EntityInfo/entity/attributes")}


def test_every_generated_and_committed_file_is_well_formed() -> None:
    for path in sorted(ASSETS_DIR.glob("*.xml")):
        ET.parse(path)
    assert {p.name for p in ASSETS_DIR.glob("*.xml")} >= {SOLUTION_XML, CUSTOMIZATIONS_XML, CONTENT_TYPES_XML}


def test_kind_to_type_mappings_agree() -> None:
    assert set(ATTRIBUTE_TYPES) == set(XML_TYPES) == set(CONTROL_CLASSES)
    assert {(ATTRIBUTE_TYPES[k][1], XML_TYPES[k]) for k in XML_TYPES} == TYPE_PAIRS


def test_customizations_top_level_sections(files: dict[str, ET.Element]) -> None:
    root = files[CUSTOMIZATIONS_XML]
    assert root.tag == "ImportExportXml"
    tags = [child.tag for child in root]
    assert tags[:2] == ["Entities", "Roles"]
    assert tags[-4:] == ["WebResources", "AppModuleSiteMaps", "AppModules", "Languages"]
    assert [lang.text for lang in root.find("Languages")] == ["1033", "1036"]


def test_standard_entities_hold_only_our_columns(files: dict[str, ET.Element]) -> None:
    entities = _entities(files[CUSTOMIZATIONS_XML])
    for table, columns in schema.EXTENDED_TABLES.items():
        entity = entities[STANDARD_TABLES[table].schema_name]
        assert entity.find("EntityInfo/entity").get("unmodified") == "1"
        physical = [a.get("PhysicalName") for a in entity.find("EntityInfo/entity/attributes")]
        assert physical == [c.schema_name for c in columns]


def test_our_tables_are_complete(files: dict[str, ET.Element]) -> None:
    entities = _entities(files[CUSTOMIZATIONS_XML])
    for table in schema.TABLES:
        info = entities[table.schema_name].find("EntityInfo/entity")
        assert info.get("Name") == table.schema_name
        assert info.findtext("EntitySetName") == table.entity_set_name
        assert info.findtext("IsActivity") == ("1" if table.is_activity else "0")
        assert info.findtext("OwnershipTypeMask") == "UserOwned"
        # Neither the published schema nor real exports have these two elements: the primary key and name
        # are told by the attributes' Type (primarykey) and DisplayMask (PrimaryName).
        assert info.find("PrimaryIdAttribute") is None and info.find("PrimaryNameAttribute") is None
        # A custom activity must have notes (Dataverse: 0x8004F123).
        assert info.findtext("HasRelatedNotes") == ("True" if table.is_activity else "False")
        attrs = _xml_attributes(entities[table.schema_name])
        assert attrs[table.primary_id].findtext("Type") == "primarykey"
        assert attrs[table.primary_name.logical_name].findtext("DisplayMask").startswith("PrimaryName|")
        keys = {k.findtext("LogicalName"): [n.text for n in k.find("EntityKeyAttributes")]
                for k in info.find("EntityKeys")}
        assert keys == {k.logical_name: list(k.columns) for k in table.keys}
        names = {n.get("languagecode") for n in info.find("LocalizedNames")}
        assert names == {"1033", "1036"}


def test_provisioning_and_solution_agree_column_for_column(files: dict[str, ET.Element]) -> None:
    client = FakeMetadataClient()
    provision(client, sleep=lambda _s: None)
    entities = _entities(files[CUSTOMIZATIONS_XML])
    for table, columns in schema.all_columns().items():
        std = STANDARD_TABLES.get(table)
        xml_attrs = _xml_attributes(entities[std.schema_name if std else table])
        sent = {p["SchemaName"].lower(): p for p in client.payloads[table]}
        assert set(sent) == {c.logical_name for c in columns}, table
        for column in columns:
            payload, element = sent[column.logical_name], xml_attrs[column.logical_name]
            assert element.get("PhysicalName") == payload["SchemaName"] == column.schema_name
            assert (payload["AttributeType"], element.findtext("Type")) in TYPE_PAIRS, column.logical_name
            if payload["AttributeType"] == "DateTime":
                assert (payload["Format"], element.findtext("Format")) in {("DateOnly", "date"),
                                                                            ("DateAndTime", "datetime")}
            if "MaxLength" in payload:
                assert int(element.findtext("MaxLength")) == payload["MaxLength"]
            if payload["AttributeType"] == "Picklist":
                sent_options = [(o["Value"], o["Label"]["LocalizedLabels"][1]["Label"])
                                for o in payload["OptionSet"]["Options"]]
                xml_options = [(int(o.get("value")), o.find("labels")[1].get("description"))
                               for o in element.find("optionset/options")]
                assert sent_options == xml_options, column.logical_name
            en_fr = [lbl.get("description") for lbl in element.find("displaynames")]
            assert en_fr == [lbl["Label"] for lbl in payload["DisplayName"]["LocalizedLabels"]]


def test_every_column_is_on_a_form_with_a_matching_control(files: dict[str, ET.Element]) -> None:
    entities = _entities(files[CUSTOMIZATIONS_XML])
    for table, columns in schema.all_columns().items():
        std = STANDARD_TABLES.get(table)
        entity = entities[std.schema_name if std else table]
        form = entity.find("FormXml/forms[@type='main']/systemform")
        controls = {c.get("datafieldname"): c.get("classid") for c in form.iter("control")}
        for column in columns:
            assert controls[column.logical_name] == CONTROL_CLASSES[column.kind], (table, column.logical_name)
        if std:
            tab_labels = {lbl.get("description") for lbl in form.find("form/tabs/tab/labels")}
            assert "Sales insights" in tab_labels


def test_views_only_use_columns_that_exist(files: dict[str, ET.Element]) -> None:
    entities = _entities(files[CUSTOMIZATIONS_XML])
    for table, columns in schema.all_columns().items():
        std = STANDARD_TABLES.get(table)
        entity = entities[std.schema_name if std else table]
        known = {c.logical_name for c in columns}
        known |= {std.primary_id, std.primary_name} if std else {schema.table(table).primary_id}
        views = entity.findall("SavedQueries/savedqueries/savedquery")
        assert views
        for view in views:
            fetch_entity = view.find("fetchxml/fetch/entity")
            assert fetch_entity.get("name") == table
            used = {a.get("name") for a in fetch_entity.findall("attribute")}
            used |= {c.get("name") for c in view.iter("cell")}
            assert used <= known, (table, used - known)
        if not std:
            assert sorted(v.findtext("querytype") for v in views) == ["0", "4", "64"]


def _roles(customizations: ET.Element) -> dict[str, dict[str, str]]:
    return {r.get("name"): {p.get("name"): p.get("level") for p in r.find("RolePrivileges")}
            for r in customizations.find("Roles")}


def test_app_user_role_is_least_privilege_with_dataverse_privilege_names(files: dict[str, ET.Element]) -> None:
    granted = _roles(files[CUSTOMIZATIONS_XML])[schema.APP_USER_ROLE_NAME]
    assert list(granted) == role_privileges()
    for std in ("Contact", "Account", "Lead", "Opportunity"):
        assert {f"prvRead{std}", f"prvWrite{std}", f"prvAppendTo{std}"} <= set(granted)
        assert f"prvCreate{std}" not in granted and f"prvDelete{std}" not in granted
    # Timeline entries only: its own activities, never anyone's e-mails or meetings, and no delete at all.
    assert granted["prvReadActivity"] == "Global"
    assert {granted[f"prv{a}Activity"] for a in ("Create", "Write", "Append")} == {"Basic"}
    assert "prvDeleteActivity" not in granted and "prvDeleteNote" not in granted
    for table in schema.TABLES:
        if table.is_activity:
            continue
        assert {f"prv{a}{table.schema_name}" for a in ("Create", "Read", "Write")} <= set(granted)
        assert (f"prvDelete{table.schema_name}" in granted) == (table.logical_name in SYNC_DELETES)
    assert {"prvReadUser", "prvReadNote", "prvReadUserSettings", "prvReadSolution"} <= set(granted)
    # Assign only where the sync creates rows owned by a seller (talking points from their mail).
    assert {n for n in granted if n.startswith(("prvShare", "prvAssign", "prvCreateEntity"))} == {
        "prvAssignosi_talkingpoint"}
    assert set(granted.values()) <= {"Basic", "Global"}


def test_the_app_user_deletes_only_where_the_load_deletes() -> None:
    from connector.pipeline.registry import REGISTRY

    targets = REGISTRY.targets()
    deleting = {name for name, target in targets.items() if target.kind == "upsert" and target.delete_missing}
    assert SYNC_DELETES == deleting
    # Every table the sync writes is one the role (and the solution) knows.
    assert {t.logical_name for t in REGISTRY.tables()} == {t.logical_name for t in schema.TABLES}


def test_seller_and_admin_roles(files: dict[str, ET.Element]) -> None:
    roles = _roles(files[CUSTOMIZATIONS_XML])
    seller, admin = roles[SELLER_ROLE_NAME], roles[ADMIN_ROLE_NAME]
    ours = [t.schema_name for t in schema.TABLES if not t.is_activity]
    # Talking points only from the seller's own mail; every other table of ours in full.
    assert all(seller[f"prvRead{name}"] == ("Basic" if name == "osi_talkingpoint" else "Global") for name in ours)
    assert seller["prvWriteosi_notesuggestion"] == "Global"  # accept or dismiss a suggestion
    assert seller["prvCreateosi_carddismissal"] == "Basic"  # dismiss an assistant card for oneself
    assert seller["prvCreateActivity"] == "Basic" and seller["prvCreateContact"] == "Basic"
    assert not {n for n in seller if n.startswith("prvDelete")}
    assert {"prvWriteosi_setting", "prvCreateosi_setting", "prvWriteosi_scoringmodel"} <= set(admin)
    assert all(admin[f"prvRead{name}"] == "Global" for name in ours)
    assert not {n for n in admin if n.startswith("prvDelete")}


def test_model_driven_app_with_a_sitemap_for_sellers_and_the_admin_page(files: dict[str, ET.Element]) -> None:
    root = files[CUSTOMIZATIONS_XML]
    site = root.find("AppModuleSiteMaps/AppModuleSiteMap")
    assert site.findtext("SiteMapUniqueName") == "osi_salesinsights"
    urls = [a.get("Url") for a in site.iter("SubArea") if a.get("Url")]
    assert "$webresource:osi_/admin/admin.html" in urls
    for table in SELLER_VIEWS:
        assert any(f"etn={table}&viewid=" in u for u in urls), table
    app = root.find("AppModules/AppModule")
    assert app.findtext("UniqueName") == "osi_SalesInsights"
    components = {(c.get("type"), c.get("schemaName") or c.get("id")) for c in app.find("AppModuleComponents")}
    assert ("62", "osi_salesinsights") in components
    assert {r.get("id") for r in app.find("AppModuleRoleMaps")} == {r.get("id") for r in root.find("Roles")}


def test_solution_manifest(files: dict[str, ET.Element]) -> None:
    manifest = files[SOLUTION_XML].find("SolutionManifest")
    assert manifest.findtext("UniqueName") == schema.SOLUTION_UNIQUE_NAME
    assert manifest.findtext("Version") == schema.SOLUTION_VERSION
    assert manifest.findtext("Managed") == "0"
    assert manifest.findtext("Publisher/CustomizationPrefix") == "osi"
    assert manifest.findtext("Publisher/CustomizationOptionValuePrefix") == "10730"
    roots = [(c.get("type"), c.get("schemaName") or c.get("id"), c.get("behavior"))
             for c in manifest.find("RootComponents")]
    entities = {name: behavior for kind, name, behavior in roots if kind == "1"}
    assert entities == {**dict.fromkeys(schema.EXTENDED_TABLES, "1"), **{t.logical_name: "0" for t in schema.TABLES}}
    role_ids = [name for kind, name, _ in roots if kind == "20"]
    assert role_ids == [r.get("id") for r in files[CUSTOMIZATIONS_XML].find("Roles")]
    # Forms and views added to standard tables are root components of their own (the table is only a shell).
    customizations = files[CUSTOMIZATIONS_XML]
    added_forms = {f.findtext("formid") for table in STANDARD_TABLES.values()
                   for f in _entities(customizations)[table.schema_name].iter("systemform")}
    added_views = {v.findtext("savedqueryid") for table in STANDARD_TABLES.values()
                   for v in _entities(customizations)[table.schema_name].iter("savedquery")}
    assert {name for kind, name, _ in roots if kind == "60"} == added_forms
    assert {name for kind, name, _ in roots if kind == "26"} == added_views
    assert ("62", "osi_salesinsights", "0") in roots and ("80", "osi_SalesInsights", "0") in roots
    # Every root component type is one of the documented solutioncomponent types we ship.
    assert {kind for kind, _, _ in roots} <= {"1", "20", "26", "60", "61", "62", "80"}


def test_both_roots_carry_the_attributes_of_a_real_export(files: dict[str, ET.Element]) -> None:
    for name in (SOLUTION_XML, CUSTOMIZATIONS_XML):
        root = files[name]
        assert root.get("OrganizationVersion", "").startswith("9.2.")
        assert root.get("OrganizationSchemaType") == "Standard"
        assert root.get("CRMServerServiceabilityVersion", "").startswith("9.2.")
    solution = files[SOLUTION_XML]
    assert solution.get("version") == solution.get("OrganizationVersion")
    assert solution.get("SolutionPackageVersion") == "9.2" and solution.get("generatedBy") == "CrmLive"


# Children of <EntityInfo><entity> in Microsoft's customizations schema (CustomizationsSolution.xsd,
# EntityType) that the generator may write; anything else is refused.
DOCUMENTED_ENTITY_ELEMENTS = {
    "LocalizedNames", "LocalizedCollectionNames", "Descriptions", "attributes", "EntityKeys", "EntitySetName",
    "IsDuplicateCheckSupported", "IsBusinessProcessEnabled", "IsRequiredOffline", "IsInteractionCentricEnabled",
    "IsCollaboration", "AutoRouteToOwnerQueue", "IsConnectionsEnabled", "IsDocumentManagementEnabled",
    "AutoCreateAccessTeams", "IsOneNoteIntegrationEnabled", "IsKnowledgeManagementEnabled", "IsSLAEnabled",
    "IsDocumentRecommendationsEnabled", "IsBPFEntity", "OwnershipTypeMask", "IsAuditEnabled",
    "IsRetrieveAuditEnabled", "IsRetrieveMultipleAuditEnabled", "IsActivity", "IsActivityParty", "IsReplicated",
    "IsReplicationUserFiltered", "IsMailMergeEnabled", "IsVisibleInMobile", "IsVisibleInMobileClient",
    "IsReadOnlyInMobileClient", "IsOfflineInMobileClient", "DaysSinceRecordLastModified", "MobileOfflineFilters",
    "IsMapiGridEnabled", "IsReadingPaneEnabled", "IsQuickCreateEnabled", "SyncToExternalSearchIndex",
    "IntroducedVersion", "IsCustomizable", "IsRenameable", "IsMappable", "CanModifyAuditSettings",
    "CanModifyMobileVisibility", "CanModifyMobileClientVisibility", "CanModifyMobileClientReadOnly",
    "CanModifyQueueSettings", "CanModifyConnectionSettings", "CanModifyDuplicateDetectionSettings",
    "CanModifyMailMergeSettings", "CanModifyMobileClientOffline", "CanChangeHierarchicalRelationship",
    "EntityHelpUrlEnabled", "ChangeTrackingEnabled", "IsEnabledForExternalChannels", "HasRelatedNotes",
    "HasRelatedActivities",
}


def test_entity_elements_are_all_documented(files: dict[str, ET.Element]) -> None:
    for entity in files[CUSTOMIZATIONS_XML].find("Entities"):
        info = entity.find("EntityInfo/entity")
        undocumented = {child.tag for child in info} - DOCUMENTED_ENTITY_ELEMENTS
        assert not undocumented, (entity.findtext("Name"), undocumented)


def test_committed_solution_assets_are_what_the_generator_writes() -> None:
    solution = build(ASSETS_DIR / "WebResources")
    for name, data in solution.files.items():
        assert (ASSETS_DIR / name).read_bytes() == data, f"{name}: run `python -m connector solution generate`"


def test_content_types_cover_xml(files: dict[str, ET.Element]) -> None:
    ns = "{http://schemas.openxmlformats.org/package/2006/content-types}"
    types = files[CONTENT_TYPES_XML]
    assert types.tag == f"{ns}Types"
    assert [d.get("Extension") for d in types.findall(f"{ns}Default")] == ["xml"]


def test_option_values_use_the_publisher_prefix(files: dict[str, ET.Element]) -> None:
    values = [int(o.get("value")) for o in files[CUSTOMIZATIONS_XML].iter("option")
              if o.find("labels") is not None and o.get("value") not in ("0", "1")]
    assert values and all(str(v).startswith("10730") for v in values)


def test_labels_are_escaped_by_the_xml_library(tmp_path: Path) -> None:
    # Labels such as "Pas assez d'informations" and "Tâche" must round-trip exactly.
    root = ET.fromstring(build(tmp_path / "none").files[CUSTOMIZATIONS_XML])
    labels = {lbl.get("description") for lbl in root.iter("label")}
    assert {"Pas assez d'informations", "Tâche", "Santé"} <= labels
