"""Small helpers to build solution XML with :mod:`xml.etree.ElementTree`, and stable component ids.

Every id in the generated solution (forms, views, tabs, sections, cells, the role, web resources) is a
name-based UUID, so regenerating from the same schema produces byte-identical files and re-importing
the solution updates the same components instead of adding copies.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

from connector.schema_fr import ENGLISH, FRENCH, french

XSI = "http://www.w3.org/2001/XMLSchema-instance"

_ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://opensalesinsights.org/dataverse-solution")


def stable_id(*parts: str) -> str:
    """A deterministic GUID for the component named by ``parts``, formatted as Dataverse does: ``{…}``."""
    return "{" + str(uuid.uuid5(_ID_NAMESPACE, "/".join(parts))) + "}"


def sub(parent: ET.Element, tag: str, text: str | int | None = None, **attrs: str) -> ET.Element:
    """Append child ``tag`` to ``parent`` with optional text and attributes; return it."""
    child = ET.SubElement(parent, tag, attrs)
    if text is not None:
        child.text = str(text)
    return child


def bilingual(
    parent: ET.Element, container: str, item: str, english: str, *, attr: str = "description", fr: str | None = None
) -> ET.Element:
    """Append ``<container><item attr=English languagecode=1033/><item attr=French languagecode=1036/>``.

    Raises:
        KeyError: ``fr`` is omitted and the English text has no French translation.
    """
    box = sub(parent, container)
    sub(box, item, **{attr: english, "languagecode": str(ENGLISH)})
    sub(box, item, **{attr: french(english) if fr is None else fr, "languagecode": str(FRENCH)})
    return box


def english_only(parent: ET.Element, container: str, item: str, english: str) -> ET.Element:
    """Append ``<container><item description=English languagecode=1033/></container>``."""
    box = sub(parent, container)
    sub(box, item, description=english, languagecode=str(ENGLISH))
    return box


def to_bytes(root: ET.Element) -> bytes:
    """Serialise ``root`` as indented UTF-8 XML with a declaration (deterministic for a given tree)."""
    tree = ET.ElementTree(root)
    ET.indent(tree, space="  ")
    body = ET.tostring(root, encoding="unicode", short_empty_elements=True)
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")


def write(root: ET.Element, path: Path) -> None:
    """Write ``root`` to ``path`` (see :func:`to_bytes`); creates the parent folder.

    Raises:
        OSError: the file cannot be written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(to_bytes(root))
