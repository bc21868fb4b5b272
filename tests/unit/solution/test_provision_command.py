"""`python -m connector provision`: settings from the environment, the report on stdout, the exit code."""

from __future__ import annotations

import argparse

import pytest

from connector import schema
from connector.commands import provision as provision_command
from connector.errors import ConfigurationError
from connector.provision import plan_size
from tests.unit.solution.fake_metadata import FakeMetadataClient


def _run(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    provision_command.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(argv)
    return args.handler(args)


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> FakeMetadataClient:
    client = FakeMetadataClient()
    monkeypatch.setenv("OSI_DATAVERSE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("OSI_STATIC_TOKEN", "t")
    for name in ("OSI_CLIENT_SECRET", "OSI_CERTIFICATE_PATH", "OSI_MANAGED_IDENTITY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(provision_command, "_client", lambda settings: client)
    monkeypatch.setattr("connector.provision.time.sleep", lambda _s: None)
    return client


def test_provision_prints_what_it_created_then_nothing(fake: FakeMetadataClient, capsys: pytest.CaptureFixture[str]):
    assert _run(["provision"]) == 0
    out = capsys.readouterr().out
    assert "created  column contact.osi_healthscore" in out
    assert out.strip().endswith(f"provision: {plan_size()} created, 0 already present")

    assert _run(["provision"]) == 0
    assert capsys.readouterr().out.strip() == f"provision: 0 created, {plan_size()} already present"
    assert {solution for kind, _, solution in fake.writes() if kind != "create_record"} == {schema.SOLUTION_UNIQUE_NAME}


def test_provision_exits_1_when_something_failed(fake: FakeMetadataClient, capsys: pytest.CaptureFixture[str]):
    fake.fail_attributes.add(("account", "osi_analytics"))
    assert _run(["provision", "--solution", "Other"]) == 1
    assert "failed   column account.osi_analytics" in capsys.readouterr().out
    assert {solution for kind, _, solution in fake.writes() if kind != "create_record"} == {"Other"}


def test_provision_without_settings_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OSI_DATAVERSE_URL", raising=False)
    with pytest.raises(ConfigurationError, match="OSI_DATAVERSE_URL"):
        _run(["provision"])
