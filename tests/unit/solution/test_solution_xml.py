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
from connector.solution.forms import CONTROL_CLASSES
from connector.solution.layout import STANDARD_TABLES
from connector.solution.role import role_privileges
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
    assert tags[:2] == ["Entities", "Roles"] and tags[-2:] == ["WebResources", "Languages"]
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
        assert info.findtext("PrimaryIdAttribute") == table.primary_id
        assert info.findtext("PrimaryNameAttribute") == table.primary_name.logical_name
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


def test_role_is_least_privilege_with_dataverse_privilege_names(files: dict[str, ET.Element]) -> None:
    role = files[CUSTOMIZATIONS_XML].find("Roles/Role")
    assert role.get("name") == schema.APP_USER_ROLE_NAME
    granted = {p.get("name"): p.get("level") for p in role.find("RolePrivileges")}
    assert list(granted) == role_privileges()
    assert set(granted.values()) == {"Global"}
    for std in ("Contact", "Account", "Lead", "Opportunity"):
        assert {f"prvRead{std}", f"prvWrite{std}"} <= set(granted)
        assert f"prvCreate{std}" not in granted and f"prvDelete{std}" not in granted
    for table in schema.TABLES:
        target = "Activity" if table.is_activity else table.schema_name
        assert {f"prv{a}{target}" for a in ("Create", "Read", "Write", "Delete")} <= set(granted)
    assert {"prvReadUser", "prvReadNote", "prvCreateosi_connection"} <= set(granted)
    assert not {n for n in granted if n.startswith(("prvShare", "prvAssign"))}


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
    assert role_ids == [files[CUSTOMIZATIONS_XML].find("Roles/Role").get("id")]


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
