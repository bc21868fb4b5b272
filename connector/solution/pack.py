"""Zip the unpacked solution folder into an importable unmanaged solution, byte for byte reproducibly.

The zip root holds ``[Content_Types].xml`` (first, as packaging tools put it), ``customizations.xml`` and
``solution.xml``, followed by the web resources under ``WebResources/``. Every entry gets the same
timestamp and permissions, so packing the same folder twice gives identical bytes.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from connector import schema
from connector.solution.builder import ASSETS_DIR, GENERATED_FILES
from connector.solution.webresources import FOLDER, find_web_resources

FIXED_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
"""The earliest date a zip entry can carry; used for every entry so the archive does not depend on mtimes."""


def default_output(root: Path = ASSETS_DIR.parent) -> Path:
    """``dist/OpenSalesInsights_<version with underscores>.zip``, the name Dataverse gives an export."""
    version = schema.SOLUTION_VERSION.replace(".", "_")
    return root / "dist" / f"{schema.SOLUTION_UNIQUE_NAME}_{version}.zip"


def pack(source_dir: Path = ASSETS_DIR, output: Path | None = None) -> Path:
    """Zip ``source_dir`` into an unmanaged solution.

    Args:
        source_dir: the unpacked solution (``solution_assets/``).
        output: the zip to write (default :func:`default_output`); its folder is created.

    Returns:
        The path of the zip.

    Raises:
        FileNotFoundError: one of the three solution files is missing (run ``solution generate``).
        ValueError: a web-resource file has an unsupported extension.
        OSError: the zip cannot be written.
    """
    missing = [name for name in GENERATED_FILES if not (source_dir / name).is_file()]
    if missing:
        raise FileNotFoundError(
            f"{source_dir} lacks {', '.join(missing)}: run `python -m connector solution generate` first"
        )
    entries = [(name, source_dir / name) for name in GENERATED_FILES]
    entries += [(r.zip_path, source_dir / r.zip_path) for r in find_web_resources(source_dir / FOLDER)]
    target = output if output is not None else default_output()
    target.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for arcname, path in entries:
            info = zipfile.ZipInfo(arcname, date_time=FIXED_TIMESTAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            # Fixed creator system and permissions: ZipInfo's defaults depend on the host that packs.
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, path.read_bytes())
    return target
