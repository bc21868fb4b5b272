"""Fixtures of the chaos suite (``make chaos``): one demo organisation, its clean reference run, the figures.

The suite is collected only when ``OSI_CHAOS=1`` (``make chaos`` sets it): its runs take minutes, and
``make test`` runs it in CI right after the other tests rather than inside them.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.chaos.harness import ROOT, TOKEN, EmulatorProcess, SyncRunner, read_state

if not os.environ.get("OSI_CHAOS"):
    collect_ignore_glob = ["test_*.py"]

NOW = "2026-03-02T09:00:00Z"
LATER = "2026-03-23T09:00:00Z"
"""Three weeks on: health states move, so the run at LATER writes timeline entries as well as updates."""
SIZE, SEED = "XS", 7
FIGURES: dict[str, Any] = {"crashes": 0}
"""What ``make chaos`` prints at the end (faults injected/survived, kills, rows compared, ...)."""


def add(name: str, value: int) -> None:
    """Add ``value`` to the figure ``name``."""
    FIGURES[name] = FIGURES.get(name, 0) + value


def out_dir() -> Path:
    """Where the suite keeps its organisations, logs and figures (kept for inspection after a failure)."""
    path = Path(os.environ.get("OSI_CHAOS_OUT") or ROOT / ".osi" / "chaos")
    path.mkdir(parents=True, exist_ok=True)
    return path


@dataclass(frozen=True)
class Reference:
    """The clean, uninterrupted runs every scenario is compared with: a first run at NOW, then one at LATER.

    Attributes:
        state: Dataverse's state after the first run.
        later: Dataverse's state after the run at LATER (timeline entries included).
        seconds: wall time of the first run's process; later_seconds: of the LATER run's.
        load_seconds: how long the LATER run spent writing.
    """

    template: Path
    state: dict[str, dict[str, dict[str, Any]]]
    later: dict[str, dict[str, dict[str, Any]]]
    seconds: float
    later_seconds: float
    load_seconds: float


@pytest.fixture(scope="session")
def workdir() -> Path:
    path = out_dir()
    for child in path.iterdir():
        if child.is_dir():
            shutil.rmtree(child)
        elif child.name != "figures.json":
            child.unlink()
    return path


@pytest.fixture(scope="session")
def template(workdir: Path) -> Path:
    """An XS demo organisation, seeded and provisioned (the emulator in this process, then closed)."""
    from connector.auth import StaticTokenCredential
    from connector.dataverse import DataverseClient
    from connector.provision import provision
    from emulator.seed import generate
    from emulator.server import Emulator

    db = workdir / "template.db"
    with Emulator(db, token=TOKEN) as em:
        assert em.store is not None
        em.store.load_org(generate(SIZE, seed=SEED, now=datetime.fromisoformat(NOW.replace("Z", "+00:00"))))
        report = provision(DataverseClient(em.url, StaticTokenCredential(TOKEN)), sleep=lambda _s: None)
        assert all(step.outcome in ("created", "present") for step in report.steps)
    return db


def copy_org(template: Path, workdir: Path, name: str) -> Path:
    """A fresh copy of the template organisation for one scenario."""
    scenario = workdir / name
    scenario.mkdir(exist_ok=True)
    db = scenario / "org.db"
    shutil.copyfile(template, db)
    return db


@pytest.fixture(scope="session")
def reference(template: Path, workdir: Path) -> Reference:
    """The clean run: every scenario must end with exactly this Dataverse state."""
    db = copy_org(template, workdir, "reference")
    em = EmulatorProcess(db, db.parent)
    try:
        first = SyncRunner(em.url, db.parent / "state", db.parent, now=NOW).run()
        state = read_state(db)
        later = SyncRunner(em.url, db.parent / "state", db.parent, now=LATER).run()
    finally:
        em.stop()
    assert first.status == "Succeeded", first.summary
    assert later.status == "Succeeded", later.summary
    timeline = read_state(db)
    assert timeline.get("osi_insight"), "the run at LATER wrote no timeline entry: the kill checks would be empty"
    return Reference(template, state, timeline, first.seconds, later.seconds,
                     float(later.summary["timings"]["load"]))


@pytest.fixture
def scenario(template: Path, workdir: Path, request: pytest.FixtureRequest) -> Iterator[Path]:
    """A fresh organisation for the test, in a folder named after it."""
    yield copy_org(template, workdir, request.node.name.replace("[", "-").rstrip("]"))


@pytest.fixture(scope="session", autouse=True)
def figures() -> Iterator[dict[str, Any]]:
    """The figures, written to ``figures.json`` when the session ends (the driver prints them)."""
    yield FIGURES
    if len(FIGURES) > 1:
        summary = {"organisation": f"demo {SIZE} (seed {SEED})", "now": NOW,
                   "finished": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), **FIGURES}
        (out_dir() / "figures.json").write_text(json.dumps(summary, indent=2, sort_keys=True) + "\n",
                                                encoding="utf-8")
