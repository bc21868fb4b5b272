"""Fixtures for the foundation unit tests: a fake clock/sleeper, a transport on it, mocked HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import responses

from connector.dataverse import DataverseClient
from connector.graph import GraphClient
from connector.http import RetryPolicy, Transport

ORG = "https://contoso.crm4.dynamics.com"
API = f"{ORG}/api/data/v9.2/"
GRAPH = "https://graph.microsoft.com/v1.0/"
TOKEN = "tok-3f8a1c0e-SECRET-TOKEN-VALUE"


class FixedToken:
    """A credential for fake HTTP: the same token for any scope, recording what it was asked for.

    (``StaticTokenCredential`` serves loopback emulators only, so tests against made-up cloud URLs use this.)
    """

    def __init__(self, token: str = TOKEN) -> None:
        self.token = token
        self.asked: list[tuple[tuple[str, ...], bool]] = []

    def get_token(self, *scopes: str, force_refresh: bool = False) -> str:
        self.asked.append((scopes, force_refresh))
        return self.token


class FakeClock:
    """Monotonic time that only moves when someone sleeps: retries never really wait."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def transport(clock: FakeClock) -> Transport:
    return Transport(retry=RetryPolicy(budget_seconds=300.0), clock=clock, sleep=clock.sleep, rng=lambda: 0.5)


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.fixture
def client(transport: Transport) -> DataverseClient:
    return DataverseClient(ORG, FixedToken(), transport=transport, page_size=2)


@pytest.fixture
def graph(transport: Transport) -> GraphClient:
    return GraphClient("https://graph.microsoft.com", FixedToken(), transport=transport)
