"""Composition: build the clients, the state store and run a sync from :class:`Settings`.

The Functions triggers and the CLI call these; they hold no logic of their own. The transport and
credential are built once per process (the MSAL token cache lives as long as the process).

State layout (a local folder or the ``osi-state`` blob container)::

    orgs/<digest of the Dataverse URL>.json    which organisation that URL is (written by runs)
    requests/<request id>.json                 a queued run request and what became of it
    <organisation id>/...                      snapshot, checkpoints, models, lease, runs/latest.json

The status calls (:func:`latest_run`, :func:`run_request`) read only this store: no Dataverse call, so
they answer at once even while Dataverse throttles or a run holds the lease.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from connector import telemetry
from connector.auth import Credential, MsalCredential, StaticTokenCredential, credential_from_settings
from connector.dataverse.client import DataverseClient
from connector.errors import ConfigurationError, RunInProgressError
from connector.graph.client import GraphClient
from connector.http import RetryPolicy, Transport, new_session
from connector.pipeline.run import Progress, RunOptions, RunSummary, run_sync
from connector.scale_settings import Source
from connector.settings import CredentialKind, Settings
from connector.sync.lake import LakeReader
from connector.sync.state import StateStore, state_store_from

log = logging.getLogger(__name__)

LATEST_RUN = "runs/latest.json"
LEASE = "sync"
"""The one lease of an organisation: the timer, the queue and the CLI all take it, so runs never overlap."""


@dataclass(frozen=True)
class Services:
    """The clients and store one organisation's runs use."""

    dataverse: DataverseClient
    graph: GraphClient | None
    state: StateStore
    settings: Settings
    writers: tuple[DataverseClient, ...] = ()


class LeaseGuardedClient:
    """The Dataverse client with every ``$batch`` refused once the run lease is lost.

    The load writes only through :meth:`submit_batch`; checking the lease before each batch means a run
    whose lease could not be renewed stops writing within one batch, before another run can start.
    """

    def __init__(self, client: DataverseClient, state: StateStore) -> None:
        self._client = client
        self._state = state

    def submit_batch(self, *args: Any, **kwargs: Any) -> Any:
        """:meth:`DataverseClient.submit_batch`, after checking the run lease.

        Raises:
            LeaseLostError: the run lease was lost; nothing of this batch was sent.
        """
        self._state.check_leases()
        return self._client.submit_batch(*args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


def state_root(settings: Settings) -> StateStore:
    """The state store's root (every organisation's folder, the URL index and the run requests).

    Raises:
        StorageError: the state container cannot be reached.
    """
    return _state_root(settings.state_dir, settings.storage)


@functools.lru_cache(maxsize=4)
def _state_root(state_dir: str, storage: Any) -> StateStore:
    return state_store_from(state_dir, storage)


def _url_key(settings: Settings) -> str:
    return "orgs/" + hashlib.sha256(settings.dataverse_url.lower().encode()).hexdigest()[:32] + ".json"


@functools.lru_cache(maxsize=4)
def clients(settings: Settings) -> tuple[DataverseClient, GraphClient | None]:
    """The Dataverse client and (when Graph is on) the Graph client, built once per process; no request sent.

    Raises:
        ConfigurationError: the credential settings are unusable.
    """
    credential = credential_from_settings(settings)
    transport = _transport(settings)
    dataverse = DataverseClient(settings.dataverse_url, credential, transport=transport, page_size=settings.page_size)
    graph = GraphClient(settings.graph_url, credential, transport=transport) if settings.graph_enabled else None
    return dataverse, graph


def _transport(settings: Settings) -> Transport:
    session = new_session()
    session.hooks["response"].append(telemetry.count_response)
    return Transport(session=session, timeout=settings.http_timeout_seconds,
                     retry=RetryPolicy(budget_seconds=settings.retry_budget_seconds))


@functools.lru_cache(maxsize=4)
def writer_clients(settings: Settings) -> tuple[DataverseClient, ...]:
    """A Dataverse client per other application user in ``OSI_WRITER_CLIENT_IDS`` (built once per process, each
    with its own token cache), reached with the run's kind of credential; no request sent.

    Raises:
        ConfigurationError: the certificate cannot be read, or the run's kind of credential cannot serve writers.
        AuthenticationError: the authority could not be initialised.
    """
    if not settings.writer_client_ids:
        return ()
    transport = _transport(settings)
    return tuple(DataverseClient(settings.dataverse_url, _writer_credential(settings, client_id), transport=transport,
                                 page_size=settings.page_size) for client_id in settings.writer_client_ids)


def _writer_credential(settings: Settings, client_id: str) -> Credential:
    kind = settings.credential_kind
    if kind is CredentialKind.MANAGED_IDENTITY:
        return MsalCredential.for_managed_identity(client_id)
    if kind is CredentialKind.CERTIFICATE and settings.certificate_path:
        return MsalCredential.for_certificate(settings.tenant_id or "", client_id, settings.certificate_path,
                                              settings.certificate_password)
    if kind is CredentialKind.STATIC_TOKEN and settings.static_token is not None:
        return StaticTokenCredential(settings.static_token)  # the emulator: one token, the writers share it
    raise ConfigurationError([f"writers cannot use a {kind.value} credential"])  # Settings.from_env refuses it first


def run_options(settings: Settings, *, trigger: str, retrain: frozenset[str] = frozenset(),
                full: bool = False) -> RunOptions:
    """The options of a run configured by ``settings``: page and batch sizes, the organisation's zone, the
    source of the standard tables (the lake under ``OSI_LAKE_URL`` when ``OSI_SOURCE=lake``) and the
    ``$batch`` requests sent at once, and how many records relationship analytics computes at once."""
    lake = (LakeReader(settings.lake.url, storage_options=settings.lake.storage_options(),
                       page_size=settings.page_size)
            if settings.source is Source.LAKE and settings.lake.url else None)
    return RunOptions(trigger=trigger, page_size=settings.page_size, batch_size=settings.batch_size,
                      org_timezone=settings.org_timezone, retrain=retrain, full=full, lease_name=LEASE, lake=lake,
                      write_streams=settings.write_streams, partition_records=settings.partition_records)


@functools.lru_cache(maxsize=4)
def services(settings: Settings) -> Services:
    """The clients and the organisation's state store for ``settings``, built once per process and settings.

    Raises:
        ConfigurationError: the credential settings are unusable.
        HttpResponseError, TransportError, AuthenticationError: WhoAmI failed.
        StorageError: the state container cannot be reached.
    """
    dataverse, graph = clients(settings)
    # One state folder (or blob prefix) per organisation, so two orgs never share checkpoints or a
    # lease: keyed by the organisation id Dataverse reports, which survives URL and port changes. The
    # URL → organisation index lets the status calls find the folder without asking Dataverse.
    org_id = str(dataverse.who_am_i()["OrganizationId"]).lower()
    root = state_root(settings)
    index = json.dumps({"organization_id": org_id}).encode()
    if root.read(_url_key(settings)) != index:
        root.write(_url_key(settings), index)
    return Services(dataverse, graph, root.scoped(org_id), settings, writer_clients(settings))


def run(settings: Settings, *, trigger: str, now: datetime | None = None, progress: Progress | None = None,
        retrain: frozenset[str] = frozenset(), full: bool = False) -> RunSummary:
    """Run one sync for the organisation in ``settings`` and remember its summary.

    Raises:
        RunInProgressError: a run is already going on for this organisation.
        LeaseLostError: the run lease could not be renewed; the run stopped writing.
        HttpResponseError, TransportError, AuthenticationError: Dataverse could not be reached or
            refused us; nothing was committed.
    """
    svc = services(settings)
    options = run_options(settings, trigger=trigger, retrain=retrain, full=full)
    # Every writer's $batch is refused once the lease is lost, as the run's own client's is.
    writers = tuple(LeaseGuardedClient(w, svc.state) for w in svc.writers)
    with telemetry.run_span(trigger) as span:
        summary = run_sync(LeaseGuardedClient(svc.dataverse, svc.state), svc.state, now=now or datetime.now(UTC),
                           graph=svc.graph, options=options, progress=progress, writers=writers)
        svc.state.write(LATEST_RUN, json.dumps(summary.as_dict(), sort_keys=True).encode())
        telemetry.record_run(span, trigger, summary.status,
                             {"records_read": summary.records_read, "records_written": summary.records_written,
                              "records_failed": len(summary.failed)}, summary.timings)
    return summary


def latest_run(settings: Settings) -> dict[str, Any] | None:
    """The summary of the last finished run, or ``None`` before the first; reads only the state store.

    Raises:
        StorageError: the state container cannot be reached.
    """
    root = state_root(settings)
    index = root.read(_url_key(settings))
    if index is None:
        return None
    org_id = str(json.loads(index)["organization_id"])
    raw = root.scoped(org_id).read(LATEST_RUN)
    return json.loads(raw) if raw else None


# --- runs requested over HTTP and run from the queue ---------------------------------------------------


def _request_name(request_id: str) -> str:
    return f"requests/{uuid.UUID(request_id)}.json"


def _save_request(settings: Settings, record: dict[str, Any]) -> None:
    state_root(settings).write(_request_name(record["request_id"]), json.dumps(record, sort_keys=True).encode())


def request_run(settings: Settings, *, retrain: frozenset[str], now: datetime) -> dict[str, Any]:
    """Queue a run: record the request as Queued and put a message on the run queue.

    Returns:
        The request record (``request_id``, ``status``, ``requested_on``, ``retrain``).

    Raises:
        ConfigurationError: no Azure Storage is configured (runs cannot be queued).
        StorageError: the state store or the queue cannot be reached.
    """
    from connector.sync.run_queue import RunQueue

    queue = RunQueue(settings.storage, settings.run_queue)  # refuses before anything is written without storage
    record = {"request_id": str(uuid.uuid4()), "status": "Queued", "requested_on": now.isoformat(),
              "retrain": sorted(retrain)}
    _save_request(settings, record)
    queue.send({"request_id": record["request_id"], "retrain": record["retrain"],
                "requested_on": record["requested_on"]})
    return record


def run_request(settings: Settings, request_id: str) -> dict[str, Any] | None:
    """A run request and what became of it, or ``None`` for an unknown id; reads only the state store.

    Raises:
        ValueError: ``request_id`` is not a request id.
        StorageError: the state container cannot be reached.
    """
    raw = state_root(settings).read(_request_name(request_id))
    return json.loads(raw) if raw else None


def run_queued(settings: Settings, message: dict[str, Any], *, attempt: int, max_attempts: int,
               now: datetime | None = None) -> RunSummary:
    """Run the sync a queue message asks for, keeping its request record up to date.

    Raises:
        ValueError: the message is not a run request (named field).
        RunInProgressError: another run holds the lease; the message should be retried later (the record
            says so, and says Skipped on the last attempt).
        LeaseLostError, HttpResponseError, TransportError, AuthenticationError: the run failed (recorded).
    """
    request_id = str(message.get("request_id", ""))
    _request_name(request_id)  # a malformed id raises ValueError before anything is written
    retrain = message.get("retrain", [])
    if not isinstance(retrain, list) or not set(retrain) <= {"lead", "opportunity"}:
        raise ValueError("run message field 'retrain' must be a list of lead and/or opportunity")
    record = run_request(settings, request_id) or {"request_id": request_id, "retrain": sorted(retrain)}
    _save_request(settings, {**record, "status": "Running", "attempt": attempt})
    try:
        summary = run(settings, trigger="queue", now=now, retrain=frozenset(retrain))
    except RunInProgressError:
        waiting = "Skipped" if attempt >= max_attempts else "Waiting"
        _save_request(settings, {**record, "status": waiting, "attempt": attempt,
                                 "reason": "another run held the lease"})
        raise
    except Exception as exc:
        _save_request(settings, {**record, "status": "Failed", "attempt": attempt,
                                 "reason": f"{type(exc).__name__}: {str(exc)[:500]}"})
        raise
    _save_request(settings, {**record, "status": summary.status, "attempt": attempt, "run_id": summary.run_id,
                             "summary": summary.as_dict()})
    return summary
