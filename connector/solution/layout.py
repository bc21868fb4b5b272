"""What the generated forms and views show: standard-table facts, form sections and view columns.

Data only, derived from :mod:`connector.schema`; :mod:`connector.solution.forms` turns it into XML.
"""

from __future__ import annotations

from dataclasses import dataclass

from connector import schema
from connector.schema import ColumnDef


@dataclass(frozen=True)
class StandardTable:
    """A Dataverse table we extend: the names the solution files refer to it by."""

    logical_name: str
    schema_name: str
    primary_id: str
    primary_name: str
    label: str
    plural_label: str


STANDARD_TABLES: dict[str, StandardTable] = {
    "contact": StandardTable("contact", "Contact", "contactid", "fullname", "Contact", "Contacts"),
    "account": StandardTable("account", "Account", "accountid", "name", "Account", "Accounts"),
    "lead": StandardTable("lead", "Lead", "leadid", "fullname", "Lead", "Leads"),
    "opportunity": StandardTable("opportunity", "Opportunity", "opportunityid", "name", "Opportunity", "Opportunities"),
}

INSIGHTS_LABEL = "Sales insights"
"""Name of the form, tab and view the solution adds to each standard table."""

SELLER_PANEL_WEB_RESOURCE = "osi_/sellerpanel/panel.html"
"""Extension point: when ``solution_assets/WebResources/`` holds a web resource with this name, the
"Sales insights" tab of every standard table's form shows it at the top (web resource control)."""

_HEALTH = {"osi_healthscore", "osi_healthstate", "osi_healthtrend", "osi_insightscomputedon"}
_RELATIONSHIP = {c.logical_name for c in schema.RELATIONSHIP_COLUMNS}


def insight_sections(table: str) -> list[tuple[str, tuple[ColumnDef, ...]]]:
    """The sections of the "Sales insights" tab on ``table``'s form: ``(label, columns)``, every column once.

    Raises:
        KeyError: ``table`` is not one of the extended standard tables.
    """
    columns = schema.EXTENDED_TABLES[table]
    groups: dict[str, list[ColumnDef]] = {
        "Relationship": [],
        "Activity": [],
        "Predictive scoring": [],
        "Explanations (JSON)": [],
    }
    for column in columns:
        if column.kind == "memo":
            groups["Explanations (JSON)"].append(column)
        elif column.logical_name in _HEALTH:
            groups["Relationship"].append(column)
        elif column.logical_name in _RELATIONSHIP:
            groups["Activity"].append(column)
        else:
            groups["Predictive scoring"].append(column)
    return [(name, tuple(cols)) for name, cols in groups.items() if cols]


_VIEW_RELATIONSHIP = (
    "osi_healthscore", "osi_healthstate", "osi_healthtrend", "osi_lastactivityon", "osi_nextactivityon",
)
_VIEW_SCORE = ("osi_score", "osi_grade", "osi_scoretrend")


def standard_view_columns(table: str) -> tuple[str, ...]:
    """Logical names of our columns shown in the "Sales insights" view of a standard table.

    Raises:
        KeyError: ``table`` is not one of the extended standard tables.
    """
    present = {c.logical_name for c in schema.EXTENDED_TABLES[table]}
    return tuple(name for name in _VIEW_RELATIONSHIP + _VIEW_SCORE if name in present)


def table_view_columns(table: schema.TableDef, limit: int = 6) -> tuple[str, ...]:
    """Logical names of the columns (after the primary name) shown in the views of one of our tables."""
    return tuple(c.logical_name for c in table.columns if c.kind != "memo")[:limit]
