"""The "Sales insights" model-driven app: its site map (seller views, the admin page) and app module.

Sellers open the app to find the list views the solution adds (open leads by score, opportunities by
relationship health, contacts by last activity) and our tables (connections, talking points, note
suggestions); administrators find the admin page (settings and the model registry) and the run history.
The app is shown to the three roles the solution ships.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import quote

from connector import schema
from connector.solution.attributes import INTRODUCED_VERSION
from connector.solution.forms import SELLER_VIEWS
from connector.solution.layout import INSIGHTS_LABEL, STANDARD_TABLES
from connector.solution.role import ROLES
from connector.solution.xmlutil import bilingual, english_only, stable_id, sub

APP_UNIQUE_NAME = "osi_SalesInsights"
SITEMAP_UNIQUE_NAME = "osi_salesinsights"
ADMIN_PAGE = "osi_/admin/admin.html"
"""The admin web resource: the app's "Administration" page and the solution's configuration page."""

COMPONENT_ENTITY, COMPONENT_VIEW, COMPONENT_SITEMAP = 1, 26, 62
DEFAULT_APP_ICON = "953b9fac-1e5e-e611-80d6-00155ded156f"
"""The web resource id of the stock model-driven app icon (what the app designer sets by default)."""

_SELLER_TABLES = ("osi_connection", "osi_talkingpoint", "osi_notesuggestion")
_ADMIN_TABLES = ("osi_setting", "osi_scoringmodel", "osi_healthmodel", "osi_syncrun")


def seller_view_id(table: str) -> str:
    """The id of the seller view the solution adds to standard ``table`` (see ``forms.SELLER_VIEWS``)."""
    return stable_id(table, "view", "seller")


def _titles(parent: ET.Element, english: str, french_text: str) -> None:
    titles = sub(parent, "Titles")
    sub(titles, "Title", LCID="1033", Title=english)
    sub(titles, "Title", LCID="1036", Title=french_text)


def _view_url(table: str, view_id: str) -> str:
    return f"/main.aspx?pagetype=entitylist&etn={table}&viewid={quote(view_id)}"


def sitemap() -> ET.Element:
    """The ``<AppModuleSiteMap>`` element: a seller group and an administration group."""
    element = ET.Element("AppModuleSiteMap")
    sub(element, "SiteMapUniqueName", SITEMAP_UNIQUE_NAME)
    for tag, value in (("EnableCollapsibleGroups", "False"), ("ShowHome", "True"), ("ShowPinned", "True"),
                       ("ShowRecents", "True")):
        sub(element, tag, value)
    site = sub(element, "SiteMap", IntroducedVersion="7.0.0.0")
    area = sub(site, "Area", Id="osi_area", ShowGroups="true", IntroducedVersion="7.0.0.0")
    _titles(area, INSIGHTS_LABEL, "Informations commerciales")
    sellers = sub(area, "Group", Id="osi_sellers", IsProfile="false")
    _titles(sellers, "My pipeline", "Mon portefeuille")
    for table, (english, _french, _columns, _order) in SELLER_VIEWS.items():
        sub(sellers, "SubArea", Id=f"osi_{table}_view", Entity=table, Url=_view_url(table, seller_view_id(table)),
            Title=english)
    for table in _SELLER_TABLES:
        sub(sellers, "SubArea", Id=f"{table}_area", Entity=table)
    admin = sub(area, "Group", Id="osi_admin", IsProfile="false")
    _titles(admin, "Administration", "Administration")
    sub(admin, "SubArea", Id="osi_adminpage", Url=f"$webresource:{ADMIN_PAGE}", Title="Settings and models")
    for table in _ADMIN_TABLES:
        sub(admin, "SubArea", Id=f"{table}_area", Entity=table)
    english_only(element, "LocalizedNames", "LocalizedName", INSIGHTS_LABEL)
    return element


def app_module() -> ET.Element:
    """The ``<AppModule>`` element: the site map, the tables and views it shows, and the roles that see it."""
    element = ET.Element("AppModule")
    sub(element, "UniqueName", APP_UNIQUE_NAME)
    sub(element, "IntroducedVersion", INTRODUCED_VERSION)
    sub(element, "WebResourceId", DEFAULT_APP_ICON)
    sub(element, "OptimizedFor")
    sub(element, "statecode", "0")
    sub(element, "statuscode", "1")
    sub(element, "FormFactor", "1")
    sub(element, "ClientType", "4")
    sub(element, "NavigationType", "0")
    components = sub(element, "AppModuleComponents")
    sub(components, "AppModuleComponent", type=str(COMPONENT_SITEMAP), schemaName=SITEMAP_UNIQUE_NAME)
    for table in (*STANDARD_TABLES, *_SELLER_TABLES, *_ADMIN_TABLES):
        sub(components, "AppModuleComponent", type=str(COMPONENT_ENTITY), schemaName=table)
    for table in SELLER_VIEWS:
        sub(components, "AppModuleComponent", type=str(COMPONENT_VIEW), id=seller_view_id(table))
    roles = sub(element, "AppModuleRoleMaps")
    for role in ROLES:
        sub(roles, "Role", id=role.id)
    bilingual(element, "LocalizedNames", "LocalizedName", INSIGHTS_LABEL, fr="Informations commerciales")
    english_only(element, "Descriptions", "Description",
                 f"{schema.SOLUTION_DISPLAY_NAME}: sellers' list views and tables, the admin page and run history.")
    return element
