"""Extension point: every file under ``solution_assets/WebResources/`` becomes a web resource.

A file's path below ``WebResources/`` is its web-resource name, so put files under the publisher prefix
folder: ``WebResources/osi_/sellerpanel/panel.html`` becomes the web resource
``osi_/sellerpanel/panel.html`` (relative URLs between files of the panel keep working). The type comes
from the extension; a file with an extension Dataverse does not accept is an error, not silently skipped.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from connector.solution.attributes import INTRODUCED_VERSION
from connector.solution.xmlutil import stable_id, sub

FOLDER = "WebResources"

WEB_RESOURCE_TYPES: dict[str, int] = {
    "html": 1, "htm": 1, "css": 2, "js": 3, "xml": 4, "png": 5, "jpg": 6, "jpeg": 6, "gif": 7, "xap": 8,
    "xsl": 9, "xslt": 9, "ico": 10, "svg": 11, "resx": 12,
}
"""File extension → ``WebResourceType`` code (1 HTML, 2 CSS, 3 JS, 4 XML, 5 PNG, 6 JPG, 7 GIF, 8 XAP,
9 XSL, 10 ICO, 11 SVG, 12 RESX)."""


@dataclass(frozen=True)
class WebResource:
    """One file of ``WebResources/``: its web-resource name, type code and path inside the solution zip."""

    name: str
    type_code: int
    zip_path: str

    @property
    def id(self) -> str:
        """The web resource's stable id."""
        return stable_id("webresource", self.name)


def find_web_resources(folder: Path) -> list[WebResource]:
    """Every file under ``folder`` as a web resource, sorted by name; none when the folder is absent.

    Raises:
        ValueError: a file has an extension that is not a web-resource type (names the file).
    """
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name = path.relative_to(folder).as_posix()
        extension = path.suffix.lower().lstrip(".")
        if extension not in WEB_RESOURCE_TYPES:
            raise ValueError(f"{FOLDER}/{name}: extension {extension!r} is not a Dataverse web-resource type")
        found.append(WebResource(name, WEB_RESOURCE_TYPES[extension], f"{FOLDER}/{name}"))
    return found


def web_resource_element(resource: WebResource) -> ET.Element:
    """The ``<WebResource>`` element of ``customizations.xml`` for ``resource``."""
    element = ET.Element("WebResource")
    sub(element, "WebResourceId", resource.id)
    sub(element, "Name", resource.name)
    sub(element, "DisplayName", resource.name.rsplit("/", 1)[-1])
    sub(element, "WebResourceType", resource.type_code)
    sub(element, "IntroducedVersion", INTRODUCED_VERSION)
    sub(element, "IsEnabledForMobileClient", "0")
    sub(element, "IsAvailableForMobileOffline", "0")
    sub(element, "IsCustomizable", "1")
    sub(element, "CanBeDeleted", "1")
    sub(element, "IsHidden", "0")
    sub(element, "FileName", "/" + resource.zip_path)
    return element
