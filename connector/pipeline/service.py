"""Composition: build the clients, the state store and run a sync from :class:`Settings`.

The Functions triggers and the CLI call these; they hold no logic of their own. The transport and
credential are built once per process (the MSAL token cache lives as long as the process).
"""

from __future__ import annotations

import functools
import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from connector.auth import credential_from_settings
from connector.dataverse.client import DataverseClient
from connector.graph.client import GraphClient
from connector.http import Transport
from connector.pipeline.run import Progress, RunOptions, RunSummary, run_sync
from connector.settings import Settings
from connector.sync.state import StateStore, state_store_from

log = logging.getLogger(__name__)

LATEST_RUN = "runs/latest.json"


@dataclass(frozen=True)
class Services:
    """The clients and store one organisation's runs use."""

    dataverse: DataverseClient
    graph: GraphClient | None
    state: StateStore
    settings: Settings


@functools.lru_cache(maxsize=4)
def services(settings: Settings) -> Services:
    """The clients for ``settings``, built once per process and settings.

    Raises:
        ConfigurationError: the credential settings are unusable.
    """
    credential = credential_from_settings(settings)
    transport = Transport.from_settings(settings)
    dataverse = DataverseClient(settings.dataverse_url, credential, transport=transport, page_size=settings.page_size)
    graph = GraphClient(settings.graph_url, credential, transport=transport) if settings.graph_enabled else None
    secret = settings.storage_connection_string
    # One state folder (or blob prefix) per organisation, so two orgs never share checkpoints or a
    # lease: keyed by the organisation id Dataverse reports, which survives URL and port changes.
    org_id = str(dataverse.who_am_i()["OrganizationId"]).lower()
    state = state_store_from(f"{settings.state_dir.rstrip('/')}/{org_id}", secret.reveal() if secret else None,
                             prefix=org_id)
    return Services(dataverse, graph, state, settings)


def run(settings: Settings, *, trigger: str, now: datetime | None = None, progress: Progress | None = None,
        retrain: frozenset[str] = frozenset(), full: bool = False) -> RunSummary:
    """Run one sync for the organisation in ``settings`` and remember its summary.

    Raises:
        RunInProgressError: a run is already going on for this organisation.
        HttpResponseError, TransportError, AuthenticationError: Dataverse could not be reached or
            refused us; nothing was committed.
    """
    svc = services(settings)
    options = RunOptions(trigger=trigger, page_size=settings.page_size, batch_size=settings.batch_size,
                         org_timezone=settings.org_timezone, retrain=retrain, full=full)
    summary = run_sync(svc.dataverse, svc.state, now=now or datetime.now(UTC), graph=svc.graph, options=options,
                       progress=progress)
    svc.state.write(LATEST_RUN, json.dumps(summary.as_dict(), sort_keys=True).encode())
    return summary


def latest_run(settings: Settings) -> dict[str, Any] | None:
    """The summary of the last finished run, or ``None`` before the first."""
    raw = services(settings).state.read(LATEST_RUN)
    return json.loads(raw) if raw else None
