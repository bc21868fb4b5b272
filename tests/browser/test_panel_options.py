"""The panel's copy of the schema's choice values cannot drift from connector/schema.py."""

from __future__ import annotations

import re

from connector import schema
from tests.browser.panel_options import OPTIONS_JS, expected_options, render_js


def test_options_js_is_generated_from_the_schema() -> None:
    assert OPTIONS_JS.read_text(encoding="utf-8") == render_js(), (
        "options.js differs from connector/schema.py: run `python -m tests.browser.panel_options`")


def test_panel_uses_only_option_sets_it_carries() -> None:
    carried = set(expected_options())
    seen: set[str] = set()
    for path in OPTIONS_JS.parent.glob("*.js"):
        text = path.read_text(encoding="utf-8")
        used = set(re.findall(r"\b(?:opt|optValue|optionLabel)\((?:[^,()\"]+,\s*)?\"([A-Z_]+)\"", text))
        assert used <= carried, (path.name, used - carried)
        seen |= used
    assert {"HEALTH_STATE", "TREND", "GRADE", "SUGGESTION_STATUS", "TOPIC"} <= seen
    assert expected_options()["SUGGESTION_STATUS"][str(schema.SUGGESTION_STATUS.value("Accepted"))][0] == "Accepted"
