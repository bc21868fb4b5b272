"""The azd / Bicep template and host.json agree with the code (the Bicep CLI is not installed here, so the
template is read as text): every setting the code reads is set, the timeout fits the plan, triggers resolve."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import function_app
from connector.settings import DEFAULTS
from connector.sync.azure_storage import QUEUE_MESSAGE_ENCODING
from functions.sync_bp import MAX_DEQUEUE_COUNT

ROOT = Path(__file__).resolve().parents[3]
APP = (ROOT / "infra" / "app.bicep").read_text()
MAIN = (ROOT / "infra" / "main.bicep").read_text()
HOST = json.loads((ROOT / "host.json").read_text())

NOT_IN_AZURE = {
    "OSI_STATIC_TOKEN": "the emulator's token; refused for any non-loopback URL",
    "OSI_CERTIFICATE_PATH": "alternative credential (the template uses the client secret in Key Vault)",
    "OSI_CERTIFICATE_PASSWORD": "alternative credential",
    "OSI_MANAGED_IDENTITY": "alternative credential",
    "OSI_MANAGED_IDENTITY_CLIENT_ID": "alternative credential",
    "OSI_STATE_DIR": "local state folder; in Azure the state lives in the osi-state blob container",
    "AzureWebJobsStorage": "connection-string storage; the template uses the identity-based form",
    "AzureWebJobsStorage__blobServiceUri": "derived from __accountName",
    "AzureWebJobsStorage__queueServiceUri": "derived from __accountName",
    "OSI_WRITER_CLIENT_IDS": "other application users need a certificate or managed identities; the template's "
                             "credential is one app registration's client secret",
}
"""Settings the code reads that the template deliberately leaves unset, and why."""

PLAN_TIMEOUT_MINUTES = {"Dynamic": 10, "FlexConsumption": None, "ElasticPremium": None}
"""Largest functionTimeout of each plan tier (None: unbounded). Microsoft Learn, functions-scale."""


def _function_json() -> list[str]:
    # get_functions() indexes the app as the host does once per process; forget the previous indexing first.
    function_app.app.functions_bindings = {}
    return [fn.get_function_json() for fn in function_app.app.get_functions()]


def _app_settings() -> dict[str, str]:
    block = re.search(r"var appSettings = \{\n(.*?)\n\}", APP, re.S)
    assert block, "infra/app.bicep has no `var appSettings = { ... }` block"
    pairs = (re.match(r"\s*([A-Za-z_]+):\s*(.+?)\s*$", line) for line in block.group(1).splitlines())
    return {m.group(1): m.group(2) for m in pairs if m}


def _settings_the_code_reads() -> set[str]:
    source = "".join((ROOT / "connector" / name).read_text() for name in ("settings.py", "scale_settings.py"))
    names = set(re.findall(r'reader\.\w+\(\s*"([A-Za-z_]+)"', source))
    names |= {"AzureWebJobsStorage" + suffix for suffix in re.findall(r'reader\.\w+\(f"\{STORAGE\}(__\w+)"', source)}
    names |= set(re.findall(r'reader\.\w+\(\s*(STORAGE)\)', source)) and {"AzureWebJobsStorage"}
    names |= set(re.findall(r'os\.environ\.get\("([A-Za-z_]+)"', (ROOT / "function_app.py").read_text()))
    for text in _function_json():
        names |= set(re.findall(r"%([A-Za-z_]+)%", text))
    return names


def _param_default(name: str) -> str | None:
    """The default of a main.bicep parameter, or the value of an app.bicep variable."""
    m = re.search(rf"param {name} string = '([^']*)'", MAIN) or re.search(rf"var {name} = '([^']*)'", APP)
    return m.group(1) if m else None


def test_every_setting_the_code_reads_is_set_by_the_template() -> None:
    read = _settings_the_code_reads()
    assert {"OSI_DATAVERSE_URL", "OSI_SYNC_SCHEDULE", "OSI_RUN_QUEUE", "AzureWebJobsStorage__accountName",
            "APPLICATIONINSIGHTS_CONNECTION_STRING"} <= read  # the parsing above finds them
    unset = read - set(_app_settings()) - set(NOT_IN_AZURE)
    assert not unset, f"the template does not set {sorted(unset)}"
    assert not set(NOT_IN_AZURE) - read, "NOT_IN_AZURE names a setting the code no longer reads"


def test_the_template_sets_each_default_the_code_applies() -> None:
    settings = _app_settings()
    for name, default in DEFAULTS.items():
        if name in NOT_IN_AZURE:
            continue
        value = settings[name]
        if value.startswith("'"):
            assert value.strip("'") == default, name
        else:  # a parameter of main.bicep: its default must be the code's
            assert _param_default(value) == default, (name, value)


def test_the_client_secret_is_a_key_vault_reference_and_storage_is_identity_based() -> None:
    settings = _app_settings()
    assert settings["OSI_CLIENT_SECRET"].startswith("'@Microsoft.KeyVault(")
    assert settings["AzureWebJobsStorage__credential"] == "'managedidentity'"
    assert "AzureWebJobsStorage" not in settings  # no connection string, no account key
    assert "allowSharedKeyAccess: false" in APP
    for role in ("b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "974c5e8b-45b9-4653-ba55-5f855dd0fb88",
                 "4633458b-17de-408a-b874-0445c86b69e6", "3913510d-42f4-4e42-8a64-420c390055eb"):
        assert role in APP  # blob owner, queue contributor, Key Vault secrets user, metrics publisher


def test_host_timeout_fits_the_plan_and_the_runs() -> None:
    tier = re.search(r"sku: \{ tier: '(\w+)'", APP).group(1)
    assert tier in PLAN_TIMEOUT_MINUTES
    hours, minutes, seconds = (int(p) for p in HOST["functionTimeout"].split(":"))
    timeout = hours * 60 + minutes + seconds / 60
    limit = PLAN_TIMEOUT_MINUTES[tier]
    assert limit is None or timeout <= limit
    # A size-M first run takes 141-245 s on a 2-core machine (README); leave room for a slower host.
    assert timeout >= 4 * 245 / 60
    memory = int(re.search(r"instanceMemoryMB: (\d+)", APP).group(1))
    assert memory >= 4096  # size M peaks at 2.9-3.1 GB
    assert "runtime: { name: 'python', version: '3.11' }" in APP


@pytest.mark.parametrize("setting", ["OSI_SYNC_SCHEDULE", "OSI_RUN_QUEUE"])
def test_trigger_settings_exist_as_app_settings(setting: str) -> None:
    # A %SETTING% in a trigger that is not an app setting stops the host at indexing.
    bound = "".join(_function_json())
    assert f"%{setting}%" in bound
    assert setting in _app_settings()
    local = json.loads((ROOT / "local.settings.json.example").read_text())["Values"]
    assert setting in local


def test_queue_settings_agree_with_the_code() -> None:
    queues = HOST["extensions"]["queues"]
    assert queues["messageEncoding"] == QUEUE_MESSAGE_ENCODING
    assert queues["maxDequeueCount"] == MAX_DEQUEUE_COUNT
    assert queues["batchSize"] == 1  # one run at a time per instance; the lease covers the rest
    assert HOST["telemetryMode"] == "OpenTelemetry"
    assert "queueServices/queues" in APP and "'osi-runs'" in APP and DEFAULTS["OSI_RUN_QUEUE"] == "osi-runs"


def test_azd_deploys_the_service_the_template_tags() -> None:
    azure_yaml = (ROOT / "azure.yaml").read_text()
    service = re.search(r"services:\n  (\w+):", azure_yaml).group(1)
    assert f"'azd-service-name': '{service}'" in APP
    assert "host: function" in azure_yaml and "language: python" in azure_yaml
    funcignore = (ROOT / ".funcignore").read_text().split()
    assert {"infra", "tests", "emulator", "node_modules"} <= set(funcignore)


def test_the_template_offers_every_source_the_code_reads() -> None:
    from connector.scale_settings import Source

    allowed = re.search(r"@allowed\(\[([^\]]*)\]\)\nparam source string = '(\w+)'", MAIN)
    assert allowed, "main.bicep has no `source` parameter with its allowed values"
    assert set(re.findall(r"'(\w+)'", allowed.group(1))) == {s.value for s in Source}
    assert allowed.group(2) == DEFAULTS["OSI_SOURCE"]
    parameters = json.loads((ROOT / "infra" / "main.parameters.json").read_text())["parameters"]
    assert parameters["source"]["value"] == "${OSI_SOURCE=webapi}" and "lakeUrl" in parameters
