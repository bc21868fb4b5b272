"""The solution carries the list views sellers sort by, with the panel on the insights forms."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_seller_views_sort_by_their_insight_and_hide_unscored_rows() -> None:
    tree = ET.parse(ROOT / "solution_assets" / "customizations.xml")
    found = {}
    for query in tree.iter("savedquery"):
        names = [n.get("description") for n in query.iter("LocalizedName")]
        order = query.find(".//fetch/entity/order")
        conditions = {(c.get("attribute"), c.get("operator")) for c in query.iter("condition")}
        for name in names:
            found[name] = (order.get("attribute"), order.get("descending"), conditions)
    for name, column in (("Open leads by score", "osi_score"),
                         ("Open opportunities by relationship health", "osi_healthscore"),
                         ("Contacts by last activity", "osi_lastactivityon")):
        attribute, descending, conditions = found[name]
        assert (attribute, descending) == (column, "true")
        assert (column, "not-null") in conditions and ("statecode", "eq") in conditions


def test_the_panel_web_resource_is_in_the_solution() -> None:
    xml = (ROOT / "solution_assets" / "customizations.xml").read_text(encoding="utf-8")
    assert "osi_/sellerpanel/panel.html" in xml
    assert "osi_/sellerpanel/panel.js" in xml
