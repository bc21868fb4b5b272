"""`solution generate` is deterministic and committed; `solution pack` makes a valid, reproducible zip."""

from __future__ import annotations

import argparse
import shutil
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

from connector.commands import solution as solution_command
from connector.solution.builder import ASSETS_DIR, CUSTOMIZATIONS_XML, GENERATED_FILES, SOLUTION_XML, generate
from connector.solution.layout import SELLER_PANEL_WEB_RESOURCE, STANDARD_TABLES
from connector.solution.pack import FIXED_TIMESTAMP, default_output, pack
from connector.solution.webresources import WEB_RESOURCE_TYPES, find_web_resources

PANEL_FILES = {
    "osi_/sellerpanel/panel.html": b"<!doctype html><title>panel</title><script src='panel.js'></script>",
    "osi_/sellerpanel/panel.js": b"console.log('panel');",
    "osi_/sellerpanel/panel.css": b"body { margin: 0 }",
    "osi_/sellerpanel/logo.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>",
    "osi_/sellerpanel/icon.png": b"\x89PNG\r\n\x1a\n",
}


def _with_panel(folder: Path) -> Path:
    for name, data in PANEL_FILES.items():
        path = folder / "WebResources" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return folder


def test_generate_twice_gives_identical_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    generate(first)
    generate(second)
    for name in GENERATED_FILES:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_committed_solution_assets_are_up_to_date_with_the_schema(tmp_path: Path) -> None:
    generate(tmp_path, web_resources_dir=ASSETS_DIR / "WebResources")
    for name in GENERATED_FILES:
        committed = ASSETS_DIR / name
        assert committed.is_file(), f"{committed} missing: run `python -m connector solution generate`"
        assert committed.read_bytes() == (tmp_path / name).read_bytes(), (
            f"{committed} is stale: run `python -m connector solution generate` and commit the result"
        )


def test_generate_keeps_hand_written_web_resources(tmp_path: Path) -> None:
    _with_panel(tmp_path)
    generate(tmp_path)
    assert (tmp_path / "WebResources" / "osi_/sellerpanel/panel.js").read_bytes() == PANEL_FILES[
        "osi_/sellerpanel/panel.js"
    ]


def test_web_resources_become_components_with_their_type_codes(tmp_path: Path) -> None:
    generate(_with_panel(tmp_path))
    customizations = ET.parse(tmp_path / CUSTOMIZATIONS_XML).getroot()
    resources = {r.findtext("Name"): r for r in customizations.find("WebResources")}
    assert {name: int(r.findtext("WebResourceType")) for name, r in resources.items()} == {
        "osi_/sellerpanel/panel.html": 1, "osi_/sellerpanel/panel.css": 2, "osi_/sellerpanel/panel.js": 3,
        "osi_/sellerpanel/icon.png": 5, "osi_/sellerpanel/logo.svg": 11,
    }
    panel = resources[SELLER_PANEL_WEB_RESOURCE]
    assert panel.findtext("FileName") == f"/WebResources/{SELLER_PANEL_WEB_RESOURCE}"
    manifest = ET.parse(tmp_path / SOLUTION_XML).getroot()
    roots = {c.get("schemaName") for c in manifest.iter("RootComponent") if c.get("type") == "61"}
    assert roots == set(resources)
    ns = "{http://schemas.openxmlformats.org/package/2006/content-types}"
    defaults = ET.parse(tmp_path / "[Content_Types].xml").getroot().findall(f"{ns}Default")
    assert [d.get("Extension") for d in defaults] == ["css", "html", "js", "png", "svg", "xml"]


def test_seller_panel_appears_on_the_insights_forms_only_when_present(tmp_path: Path) -> None:
    def panels(folder: Path) -> list[str]:
        root = ET.parse(folder / CUSTOMIZATIONS_XML).getroot()
        return [c.findtext("parameters/Url") for c in root.iter("control") if c.find("parameters/Url") is not None]

    generate(tmp_path / "bare")
    assert panels(tmp_path / "bare") == []
    generate(_with_panel(tmp_path / "panel"))
    assert panels(tmp_path / "panel") == [SELLER_PANEL_WEB_RESOURCE] * len(STANDARD_TABLES)


def test_unsupported_web_resource_extension_is_an_error_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "WebResources" / "osi_").mkdir(parents=True)
    (tmp_path / "WebResources" / "osi_" / "notes.docx").write_bytes(b"x")
    with pytest.raises(ValueError, match=r"WebResources/osi_/notes\.docx"):
        find_web_resources(tmp_path / "WebResources")
    assert WEB_RESOURCE_TYPES["svg"] == 11


def test_pack_writes_an_importable_layout_deterministically(tmp_path: Path) -> None:
    source = _with_panel(tmp_path / "src")
    generate(source)
    first = pack(source, tmp_path / "one.zip")
    second = pack(source, tmp_path / "two.zip")
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert names[:3] == ["[Content_Types].xml", "customizations.xml", "solution.xml"]
        assert sorted(names[3:]) == sorted(f"WebResources/{n}" for n in PANEL_FILES)
        assert {info.date_time for info in archive.infolist()} == {FIXED_TIMESTAMP}
        for name in names[:3]:
            ET.fromstring(archive.read(name))
            assert archive.read(name) == (source / name).read_bytes()


def test_pack_of_the_committed_assets(tmp_path: Path) -> None:
    out = pack(ASSETS_DIR, tmp_path / "dist" / "solution.zip")
    with zipfile.ZipFile(out) as archive:
        assert archive.testzip() is None
        assert set(GENERATED_FILES) <= set(archive.namelist())


def test_pack_without_generated_files_says_what_to_run(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="solution generate"):
        pack(tmp_path, tmp_path / "x.zip")


def test_default_output_name_follows_the_dataverse_export_convention() -> None:
    assert default_output(Path("/r")) == Path("/r/dist/OpenSalesInsights_0_1_0_0.zip")


def test_cli_solution_generate_and_pack(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser()
    solution_command.register(parser.add_subparsers(dest="command"))
    target = tmp_path / "assets"
    args = parser.parse_args(["solution", "generate", "--target", str(target)])
    assert args.handler(args) == 0
    args = parser.parse_args(["solution", "pack", "--source", str(target), "--output", str(tmp_path / "s.zip")])
    assert args.handler(args) == 0
    assert zipfile.ZipFile(tmp_path / "s.zip").testzip() is None
    out = capsys.readouterr().out
    assert "customizations.xml" in out and "s.zip" in out
    shutil.rmtree(target)
