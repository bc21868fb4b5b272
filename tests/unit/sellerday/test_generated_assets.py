"""The generated web resources (messages, settings schemas, time zones) match the code they come from."""

from __future__ import annotations

from connector.panel_assets import generated
from tests.browser.panel_options import OPTIONS_JS

WEB_RESOURCES = OPTIONS_JS.parent.parent.parent


def test_generated_web_resources_are_up_to_date() -> None:
    for name, text in generated().items():
        assert (WEB_RESOURCES / name).read_text(encoding="utf-8") == text, (
            f"{name} differs from the code: run `python -m connector solution generate`")
