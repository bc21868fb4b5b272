"""doctor's checks on a fake metadata service: what each failure says and what it tells the admin to do."""

from __future__ import annotations

from typing import Any

from connector import schema
from connector.doctor import PROVISION_FIX, _read_columns, check_columns_and_keys, check_solution


class FakeOrg:
    """Every column the sync reads and writes, every key Active; tests then break one thing."""

    def __init__(self) -> None:
        self.columns = {t: set(c) for t, c in _read_columns().items()}
        for table, columns in schema.all_columns().items():
            self.columns.setdefault(table, set()).update(c.logical_name for c in columns)
        self.keys = {t.logical_name: {k.logical_name: "Active" for k in t.keys} for t in schema.TABLES}
        self.version = schema.SOLUTION_VERSION

    def list_attributes(self, table: str) -> list[dict[str, Any]]:
        return [{"LogicalName": c} for c in sorted(self.columns.get(table, ()))]

    def list_keys(self, table: str) -> list[dict[str, Any]]:
        return [{"LogicalName": k, "EntityKeyIndexStatus": s} for k, s in self.keys.get(table, {}).items()]

    def list_records(self, entity_set: str, **kwargs: Any) -> list[dict[str, Any]]:
        return [{"uniquename": schema.SOLUTION_UNIQUE_NAME, "version": self.version}] if self.version else []


def test_a_ready_organisation_passes() -> None:
    org = FakeOrg()
    assert [c.outcome for c in check_columns_and_keys(org) + check_solution(org)] == ["ok", "ok"]


def test_a_missing_read_column_a_missing_osi_column_and_a_failed_key_are_each_named() -> None:
    org = FakeOrg()
    org.columns["systemuser"].discard("azureactivedirectoryobjectid")
    org.columns["lead"].discard("osi_score")
    org.keys["osi_connection"]["osi_connection_key"] = "Failed"
    checks = {c.name: c for c in check_columns_and_keys(org)}
    assert "azureactivedirectoryobjectid" in checks["columns read: systemuser"].detail
    assert checks["columns: lead"].fix == PROVISION_FIX and "osi_score" in checks["columns: lead"].detail
    assert "duplicate osi_key values" in checks["alternate key: osi_connection_key"].fix


def test_an_older_solution_warns_and_a_missing_one_fails() -> None:
    org = FakeOrg()
    org.version = "0.0.0.1"
    assert check_solution(org)[0].outcome == "warn"
    org.version = ""
    assert check_solution(org)[0].outcome == "fail"
