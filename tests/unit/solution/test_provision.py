"""Provisioning against the in-memory metadata service: creates what is missing, then nothing."""

from __future__ import annotations

import pytest

from connector import schema
from connector.provision import ProvisionReport, plan_size, provision
from connector.schema_metadata import ATTRIBUTE_TYPES, attribute_metadata, entity_metadata, key_metadata, label
from tests.unit.solution.fake_metadata import FakeMetadataClient


class RecordingSleeper:
    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


def _expected_columns() -> dict[str, set[str]]:
    return {table: {c.logical_name for c in cols} for table, cols in schema.all_columns().items()}


def test_first_run_on_a_bare_org_creates_every_table_column_and_key() -> None:
    client = FakeMetadataClient()
    report = provision(client, sleep=RecordingSleeper())

    tables = len(schema.TABLES)
    columns = sum(len(c) for c in schema.EXTENDED_TABLES.values()) + sum(len(t.columns) for t in schema.TABLES)
    keys = sum(len(t.keys) for t in schema.TABLES)
    assert report.created == 2 + tables + columns + keys == plan_size()  # + the publisher and the solution
    assert report.present == 0 and report.ok
    assert [s.kind for s in report.steps[:2]] == ["publisher", "solution"]
    assert client.records["publishers"][0]["customizationprefix"] == schema.PREFIX
    for table, names in _expected_columns().items():
        assert names <= {a["LogicalName"] for a in client.list_attributes(table)}, table
    for table in schema.TABLES:
        statuses = {k["LogicalName"]: k["EntityKeyIndexStatus"] for k in client.list_keys(table.logical_name)}
        assert statuses == {k.logical_name: "Active" for k in table.keys}
    assert {solution for kind, _, solution in client.writes() if kind != "create_record"} == {
        schema.SOLUTION_UNIQUE_NAME}


def test_a_publisher_with_another_prefix_stops_provisioning_before_any_component() -> None:
    client = FakeMetadataClient()
    client.create_record("publishers", {"uniquename": schema.PUBLISHER_UNIQUE_NAME, "customizationprefix": "new"})
    report = provision(client, sleep=RecordingSleeper())
    assert not report.ok
    assert [(s.kind, s.outcome) for s in report.steps] == [("publisher", "failed")]
    assert "'new'" in report.steps[0].detail
    assert [c for c in client.writes() if c[0] != "create_record"] == []


def test_the_custom_activity_is_created_with_notes() -> None:
    insight = schema.table("osi_insight")
    assert insight.is_activity and entity_metadata(insight)["HasNotes"] is True
    assert entity_metadata(schema.table("osi_setting"))["HasNotes"] is False


def test_second_run_creates_nothing_and_says_so() -> None:
    client = FakeMetadataClient()
    provision(client, sleep=RecordingSleeper())
    writes_after_first = len(client.writes())

    report = provision(client, sleep=RecordingSleeper())

    assert len(client.writes()) == writes_after_first
    assert report.created == 0
    assert report.present == plan_size()
    assert report.summary() == f"0 created, {plan_size()} already present"


def test_partly_provisioned_org_gets_only_the_missing_pieces() -> None:
    client = FakeMetadataClient()
    provision(client, sleep=RecordingSleeper())
    del client.tables["contact"]["attributes"]["osi_healthscore"]
    del client.tables["osi_connection"]["keys"]["osi_connection_key"]
    del client.tables["osi_syncrun"]
    before = len(client.writes())

    report = provision(client, sleep=RecordingSleeper())

    created = {(s.kind, s.table, s.name) for s in report.steps if s.outcome == "created"}
    syncrun = schema.table("osi_syncrun")
    assert created == {
        ("column", "contact", "osi_healthscore"),
        ("key", "osi_connection", "osi_connection_key"),
        ("table", "osi_syncrun", "osi_syncrun"),
        *{("column", "osi_syncrun", c.logical_name) for c in syncrun.columns},
        ("key", "osi_syncrun", "osi_syncrun_key"),
    }
    assert len(client.writes()) - before == len(created)


def test_a_failing_column_is_reported_and_the_others_still_get_created() -> None:
    client = FakeMetadataClient()
    client.fail_attributes.add(("lead", "osi_score"))

    report = provision(client, sleep=RecordingSleeper())

    failed = [s for s in report.steps if s.outcome == "failed"]
    assert [(s.table, s.name) for s in failed] == [("lead", "osi_score")]
    assert "injected failure" in failed[0].detail
    assert "osi_grade" in {a["LogicalName"] for a in client.list_attributes("lead")}
    assert "osi_score" in {a["LogicalName"] for a in client.list_attributes("opportunity")}
    assert not report.ok and "1 failed" in report.summary()


def test_new_key_is_polled_until_active_with_the_injected_sleeper() -> None:
    client = FakeMetadataClient(key_polls_to_active=3)
    sleeper = RecordingSleeper()

    report = provision(client, sleep=sleeper, key_poll_seconds=2.0)

    keys = sum(len(t.keys) for t in schema.TABLES)
    assert report.ok
    # First poll right after creation, then two sleeps before the third read says Active.
    assert sleeper.calls == [2.0] * (2 * keys)


def test_key_that_never_activates_is_reported_pending_after_the_bounded_wait() -> None:
    client = FakeMetadataClient(key_polls_to_active=10_000)
    sleeper = RecordingSleeper()

    report = provision(client, sleep=sleeper, key_wait_seconds=6.0, key_poll_seconds=2.0)

    keys = sum(len(t.keys) for t in schema.TABLES)
    assert report.count("pending") == keys
    assert len(sleeper.calls) == 3 * keys
    assert "keys not active yet" in report.summary()


def test_key_whose_index_fails_is_reported_failed() -> None:
    client = FakeMetadataClient(final_key_status="Failed")
    report = provision(client, sleep=RecordingSleeper())
    assert {s.name for s in report.steps if s.outcome == "failed"} == {
        k.logical_name for t in schema.TABLES for k in t.keys
    }


def test_progress_is_called_once_per_step() -> None:
    steps = []
    report = provision(FakeMetadataClient(), progress=steps.append, sleep=RecordingSleeper())
    assert steps == report.steps and len(steps) == plan_size()


def test_custom_activity_is_created_as_an_activity_with_subject_as_primary_name() -> None:
    payload = entity_metadata(schema.table("osi_insight"))
    assert payload["IsActivity"] is True
    assert payload["Attributes"][0]["SchemaName"] == "Subject"
    assert payload["Attributes"][0]["IsPrimaryName"] is True
    assert entity_metadata(schema.table("osi_connection"))["IsActivity"] is False


def test_entity_set_name_is_set_explicitly_as_the_sync_expects() -> None:
    for table in schema.TABLES:
        assert entity_metadata(table)["EntitySetName"] == table.entity_set_name
    assert entity_metadata(schema.table("osi_scorehistory"))["EntitySetName"] == "osi_scorehistories"


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("string", {"MaxLength": 36, "FormatName": {"Value": "Text"}}),
        ("memo", {"Format": "TextArea"}),
        ("integer", {"Format": "None", "MinValue": 0}),
        ("decimal", {"Precision": 4, "MinValue": 0, "MaxValue": 1}),
        ("datetime", {"Format": "DateAndTime", "DateTimeBehavior": {"Value": "UserLocal"}}),
        ("dateonly", {"Format": "DateOnly", "DateTimeBehavior": {"Value": "DateOnly"}}),
        ("boolean", {"DefaultValue": False}),
        ("picklist", {}),
    ],
)
def test_attribute_payload_per_kind(kind: str, expected: dict[str, object]) -> None:
    samples = {
        "string": schema.ColumnDef("osi_X", "string", "Key", "d", max_length=36),
        "memo": schema.ColumnDef("osi_X", "memo", "Key", "d", max_length=500),
        "integer": schema.ColumnDef("osi_X", "integer", "Key", "d", min_value=0, max_value=100),
        "decimal": schema.ColumnDef("osi_X", "decimal", "Key", "d", min_value=0, max_value=1, precision=4),
        "datetime": schema.ColumnDef("osi_X", "datetime", "Key", "d"),
        "dateonly": schema.ColumnDef("osi_X", "dateonly", "Key", "d"),
        "boolean": schema.ColumnDef("osi_X", "boolean", "Key", "d"),
        "picklist": schema.ColumnDef("osi_X", "picklist", "Key", "d", options=schema.GRADE),
    }
    payload = attribute_metadata(samples[kind])
    odata_type, attribute_type, type_name = ATTRIBUTE_TYPES[kind]
    assert payload["@odata.type"] == f"Microsoft.Dynamics.CRM.{odata_type}"
    assert payload["AttributeType"] == attribute_type
    assert payload["AttributeTypeName"] == {"Value": type_name}
    assert payload["SchemaName"] == "osi_X"
    assert {k: payload[k] for k in expected} == expected
    if kind == "picklist":
        options = payload["OptionSet"]["Options"]
        assert payload["OptionSet"]["IsGlobal"] is False
        assert [o["Value"] for o in options] == [107300000, 107300001, 107300002, 107300003]
        assert options[0]["Label"]["LocalizedLabels"][1] == {
            "@odata.type": "Microsoft.Dynamics.CRM.LocalizedLabel", "Label": "A", "LanguageCode": 1036,
        }
    if kind == "boolean":
        assert payload["OptionSet"]["TrueOption"]["Value"] == 1


def test_picklist_without_options_is_rejected() -> None:
    with pytest.raises(ValueError, match="osi_X"):
        attribute_metadata(schema.ColumnDef("osi_X", "picklist", "Key", "d"))


def test_every_schema_label_has_a_french_translation() -> None:
    for cols in schema.all_columns().values():
        for column in cols:
            label(column.label)
    for table in schema.TABLES:
        label(table.label), label(table.plural_label)
        for key in table.keys:
            assert key_metadata(key)["DisplayName"]["LocalizedLabels"][1]["LanguageCode"] == 1036


def test_report_summary_counts() -> None:
    assert ProvisionReport().summary() == "0 created, 0 already present"
