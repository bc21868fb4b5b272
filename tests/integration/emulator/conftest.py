"""Fixtures of the emulator fidelity suite: an emulator on loopback with a clock the test controls."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import requests

from emulator.server import API_PREFIX, Emulator

START = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


class Clock:
    """A settable clock."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class Api:
    """Raw HTTP helper bound to one emulator (plain ``requests``, not the connector's client)."""

    def __init__(self, em: Emulator) -> None:
        self.em = em
        self.base = em.url + API_PREFIX
        self.session = requests.Session()
        self.session.headers.update({"Authorization": f"Bearer {em.token}", "Accept": "application/json",
                                     "OData-MaxVersion": "4.0", "OData-Version": "4.0"})

    def url(self, path: str) -> str:
        return path if path.startswith("http") else self.base + path

    def get(self, path: str, **kw: object) -> requests.Response:
        return self.session.get(self.url(path), timeout=30, **kw)

    def post(self, path: str, body: object = None, **kw: object) -> requests.Response:
        return self.session.post(self.url(path), json=body, timeout=30, **kw)

    def patch(self, path: str, body: object, **kw: object) -> requests.Response:
        return self.session.patch(self.url(path), json=body, timeout=30, **kw)

    def delete(self, path: str, **kw: object) -> requests.Response:
        return self.session.delete(self.url(path), timeout=30, **kw)

    def create(self, entity_set: str, body: dict[str, object]) -> str:
        """Create a record and return its id (from OData-EntityId)."""
        r = self.post(entity_set, body)
        assert r.status_code == 204, r.text
        return r.headers["OData-EntityId"].rsplit("(", 1)[1].rstrip(")")


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def em(clock: Clock) -> Iterator[Emulator]:
    with Emulator(clock=clock) as emulator:
        yield emulator


@pytest.fixture
def api(em: Emulator) -> Api:
    return Api(em)
