"""A seeded XS demo organisation on the emulator, provisioned, with the services a run uses: the fixture several
run tests share."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from connector.commands.demo import demo_settings
from connector.pipeline import service
from connector.provision import provision
from emulator.seed import generate
from emulator.server import Emulator


@contextmanager
def seeded_services(home: Path, *, seed: int, now: datetime) -> Iterator[Any]:
    """The services of an XS organisation seeded an hour before ``now`` and provisioned (state under ``home``);
    the emulator stops when the block ends."""
    with Emulator(home / "org.db", token="t") as em:
        em.store.load_org(generate("XS", seed=seed, now=now - timedelta(hours=1)))
        svc = service.services(demo_settings(em.url, em.token, home / "state"))
        provision(svc.dataverse, sleep=lambda s: None)
        yield svc


def started_emulator(db: Path, *, seed: int, now: datetime) -> Emulator:
    """A running emulator whose clock stands at ``now``, holding an XS organisation seeded an hour before it; the
    caller stops it (``__exit__``)."""
    em = Emulator(db, token="t", clock=lambda: now)
    em.__enter__()
    em.store.load_org(generate("XS", seed=seed, now=now - timedelta(hours=1)))
    return em
