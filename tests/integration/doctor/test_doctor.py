"""``doctor`` against the emulator: a table without change tracking and a missing privilege, each with its fix."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from connector.cli import main
from connector.doctor import ROLE_FIX, run_checks, tracked_tables
from connector.pipeline import service
from connector.provision import provision
from connector.settings import Settings
from connector.solution.role import app_user_privileges
from emulator.server import API_PREFIX, Emulator

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def provisioned(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Emulator, Settings]]:
    home = tmp_path_factory.mktemp("doctor")
    with Emulator(home / "org.db", token="t") as em:
        settings = Settings.from_env({"OSI_DATAVERSE_URL": em.url, "OSI_STATIC_TOKEN": "t",
                                      "OSI_STATE_DIR": str(home / "state")})
        provision(service.clients(settings)[0], sleep=lambda _s: None)
        yield em, settings
    service.clients.cache_clear()


@pytest.fixture
def org(provisioned: tuple[Emulator, Settings]) -> Iterator[tuple[Emulator, Settings]]:
    em, settings = provisioned
    em.security.grant_only(app_user_privileges())  # the application user with the shipped role
    yield em, settings
    table = em.store.tables["systemuser"]
    if not table.change_tracking:
        table.change_tracking = True
        with em.store.transaction() as conn:
            em.store.save_table(conn, table)


def _failed(checks) -> dict[str, str]:
    return {c.name: c.fix for c in checks if c.outcome == "fail"}


def test_a_ready_organisation_passes_every_check(org) -> None:
    em, settings = org
    checks = run_checks(service.clients(settings)[0])
    assert _failed(checks) == {}
    assert [c.name for c in checks] == ["credentials", "WhoAmI", "change tracking", "privileges",
                                        "columns and keys", "solution"]
    assert "systemuser" in tracked_tables()


def test_doctor_reports_a_table_without_change_tracking_and_the_emulator_refuses_its_delta(org) -> None:
    em, settings = org
    table = em.store.tables["systemuser"]
    table.change_tracking = False
    with em.store.transaction() as conn:
        em.store.save_table(conn, table)
    r = requests.get(em.url + API_PREFIX + "systemusers?$select=fullname", timeout=10,
                     headers={"Authorization": "Bearer t", "Prefer": "odata.track-changes"})
    assert r.status_code == 400 and "Change tracking is not enabled" in r.json()["error"]["message"]

    failed = _failed(run_checks(service.clients(settings)[0]))
    assert list(failed) == ["change tracking: systemuser"]
    assert "Track changes" in failed["change tracking: systemuser"]


def test_doctor_reports_a_missing_privilege_with_its_fix(org, monkeypatch, capsys) -> None:
    em, settings = org
    em.security.grant_only({k: v for k, v in app_user_privileges().items() if k != "prvReadUser"}
                           | {"prvWriteActivity": "Global", "prvDeleteActivity": "Global"})
    for name, value in {"OSI_DATAVERSE_URL": em.url, "OSI_STATIC_TOKEN": "t"}.items():
        monkeypatch.setenv(name, value)
    service.clients.cache_clear()
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "[fail] privilege prvReadUser: missing (held: none, needed: Global)" in out
    assert ROLE_FIX in out
    # Broader than the role (delete every activity) is a warning with its own fix.
    assert "[warn] privileges: 1 privileges beyond what the sync needs (e.g. prvDeleteActivity)" in out
    assert out.strip().endswith("1 failed, 1 warnings")
