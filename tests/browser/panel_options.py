"""The seller panel's choice table (``options.js``), generated from :mod:`connector.schema`.

The panel is plain JavaScript with no build step, so it carries a copy of the few choice values and
labels it shows. This module renders that copy; ``test_panel_options.py`` fails when the file in
``solution_assets`` differs, and ``python -m tests.browser.panel_options`` rewrites it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from connector import schema

OPTIONS_JS = (Path(__file__).resolve().parents[2] / "solution_assets" / "WebResources" / "osi_" / "sellerpanel"
              / "options.js")

OPTION_SETS = ("HEALTH_STATE", "TREND", "GRADE", "ACTIVITY_TYPE", "DIRECTION", "SUGGESTION_TYPE",
               "SUGGESTION_STATUS", "TOPIC", "MODEL_READINESS", "MODEL_STATUS", "RUN_STATUS", "INSIGHT_TYPE",
               "HEALTH_MODEL_KIND")
"""The option sets the panel and the admin page show, by their name in :mod:`connector.schema`."""


def expected_options() -> dict[str, dict[str, list[str]]]:
    """Option set name → value (as text) → ``[English label, French label]``."""
    return {name: {str(v): [en, fr] for v, en, fr in getattr(schema, name).options} for name in OPTION_SETS}


def render_js() -> str:
    """The whole text of ``options.js``."""
    lines = [
        "// Choice values and labels (English, French) of the osi_ schema. GENERATED from connector/schema.py by",
        "// `python -m tests.browser.panel_options`; tests/browser/test_panel_options.py fails if they drift.",
        "(function (root) {",
        '  "use strict";',
        "  root.OSI = root.OSI || {};",
        "  root.OSI.options = {",
    ]
    sets = expected_options()
    for i, (name, values) in enumerate(sets.items()):
        comma = "," if i < len(sets) - 1 else ""
        lines.append(f"    {json.dumps(name)}: {json.dumps(values, ensure_ascii=False)}{comma}")
    lines += ["  };", "})(window);", ""]
    return "\n".join(lines)


if __name__ == "__main__":
    OPTIONS_JS.write_text(render_js(), encoding="utf-8")
    print(f"wrote {OPTIONS_JS}", file=sys.stderr)
