"""Build ``customizations.xml`` and write the whole unpacked solution from :mod:`connector.schema`.

:func:`generate` is what ``python -m connector solution generate`` runs: it rewrites ``solution.xml``,
``customizations.xml`` and ``[Content_Types].xml`` and leaves ``WebResources/`` (hand-written files,
see :mod:`connector.solution.webresources`) as it is, only reading it.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from connector import schema
from connector.schema_fr import ENGLISH, FRENCH
from connector.solution.appmodule import app_module, sitemap
from connector.solution.entities import custom_entity, standard_entity
from connector.solution.layout import SELLER_PANEL_WEB_RESOURCE
from connector.solution.manifest import ORGANIZATION_VERSION, content_types, import_export_root, solution_manifest
from connector.solution.role import ROLES, role_element
from connector.solution.webresources import FOLDER, WebResource, find_web_resources, web_resource_element
from connector.solution.xmlutil import sub, to_bytes

ASSETS_DIR = Path(__file__).resolve().parents[2] / "solution_assets"
"""The committed solution source: ``<repo>/solution_assets``."""

SOLUTION_XML = "solution.xml"
CUSTOMIZATIONS_XML = "customizations.xml"
CONTENT_TYPES_XML = "[Content_Types].xml"
GENERATED_FILES = (CONTENT_TYPES_XML, CUSTOMIZATIONS_XML, SOLUTION_XML)

# Sections an exported customizations.xml always has, in export order; the ones we fill are built below.
_EMPTY_SECTIONS_AFTER_ROLES = ("Workflows", "FieldSecurityProfiles", "Templates", "EntityMaps",
                               "EntityRelationships", "OrganizationSettings", "optionsets")


def customizations(web_resources: list[WebResource]) -> ET.Element:
    """The ``customizations.xml`` tree: entities, the three roles, web resources and the model-driven app."""
    root = import_export_root(**ORGANIZATION_VERSION)
    names = {r.name for r in web_resources}
    panel = SELLER_PANEL_WEB_RESOURCE if SELLER_PANEL_WEB_RESOURCE in names else None
    entities = sub(root, "Entities")
    for table in schema.EXTENDED_TABLES:
        entities.append(standard_entity(table, panel))
    for table_def in schema.TABLES:
        entities.append(custom_entity(table_def))
    roles = sub(root, "Roles")
    for role in ROLES:
        roles.append(role_element(role))
    for tag in _EMPTY_SECTIONS_AFTER_ROLES:
        sub(root, tag)
    resources = sub(root, "WebResources")
    for resource in web_resources:
        resources.append(web_resource_element(resource))
    sub(root, "AppModuleSiteMaps").append(sitemap())
    sub(root, "AppModules").append(app_module())
    languages = sub(root, "Languages")
    sub(languages, "Language", ENGLISH)
    sub(languages, "Language", FRENCH)
    return root


@dataclass(frozen=True)
class GeneratedSolution:
    """The generated files (name → bytes) and the web resources they reference."""

    files: dict[str, bytes]
    web_resources: list[WebResource]


def build(web_resources_dir: Path) -> GeneratedSolution:
    """Build the three solution files in memory.

    Args:
        web_resources_dir: the ``WebResources`` folder to include (may be absent).

    Raises:
        ValueError: a web-resource file has an unsupported extension.
    """
    resources = find_web_resources(web_resources_dir)
    extensions = {Path(r.name).suffix.lstrip(".") for r in resources}
    files = {
        CONTENT_TYPES_XML: to_bytes(content_types(extensions)),
        CUSTOMIZATIONS_XML: to_bytes(customizations(resources)),
        SOLUTION_XML: to_bytes(solution_manifest(resources)),
    }
    return GeneratedSolution(files, resources)


def generate(target_dir: Path = ASSETS_DIR, *, web_resources_dir: Path | None = None) -> list[Path]:
    """Rewrite the generated files of the unpacked solution under ``target_dir``.

    Args:
        target_dir: the solution folder (default: the committed ``solution_assets/``).
        web_resources_dir: where the web resources are read from (default: ``target_dir/WebResources``).

    Returns:
        The paths written.

    Raises:
        ValueError: a web-resource file has an unsupported extension.
        OSError: a file cannot be written.
    """
    solution = build(web_resources_dir if web_resources_dir is not None else target_dir / FOLDER)
    target_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, data in solution.files.items():
        path = target_dir / name
        path.write_bytes(data)
        written.append(path)
    return written
