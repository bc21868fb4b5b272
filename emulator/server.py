"""The emulator's HTTP server: auth, fault injection and counters in front of the Dataverse and Graph APIs.

Usage::

    with Emulator() as em:
        requests.get(em.url + "/api/data/v9.2/accounts", headers={"Authorization": f"Bearer {em.token}"})
"""

from __future__ import annotations

import hmac
import json
import logging
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from emulator.answers import error_response
from emulator.batch import Operation
from emulator.dataverse_api import DataverseApi
from emulator.errors import ApiError
from emulator.faults import Counters, Faults
from emulator.query import Ctx
from emulator.store import Store

log = logging.getLogger("emulator")

API_PREFIX = "/api/data/v9.2/"
GRAPH_PREFIX = "/v1.0/"
TENANT_ID = "5f1c2a4e-0d3b-4c8e-9a7f-6b2d1e0c9f11"
"""The tenant id the emulator pretends to belong to (appears in the 401 challenge)."""


class _BodyReadGuard:
    """The connection's reader; once the application has read the request body, ``read`` finds nothing more.

    After each answer werkzeug discards whatever the client sent beyond the body (its handler closes every
    connection, so that is safe there). On a persistent connection that would swallow the client's next
    request, so the discard is made to find nothing: the body was read in full already.
    """

    def __init__(self, raw: Any) -> None:
        self._raw = raw
        self.body_read = False

    def read(self, size: int | None = -1) -> bytes:
        return b"" if self.body_read else self._raw.read(size)  # type: ignore[no-any-return]

    def readline(self, size: int | None = -1) -> bytes:
        return self._raw.readline(size)  # type: ignore[no-any-return]

    def __getattr__(self, name: str) -> Any:
        return getattr(self._raw, name)


class _QuietHandler(WSGIRequestHandler):
    """HTTP/1.1 with persistent connections, no per-request log line; dropped connections are closed.

    Werkzeug's handler closes every connection after one answer, because Python's ``http.server`` does not
    drain an unread request body before reading the next request line. :meth:`Emulator._wsgi` reads every
    body before answering (and says so through ``environ["osi.body_read"]``), so the connection can stay
    open as Dataverse keeps it: one TCP connection per client thread, not per request.
    ``Emulator(keep_alive=False)`` restores one connection per request.
    """

    protocol_version = "HTTP/1.1"
    timeout = 120  # seconds an idle persistent connection (and its thread) is kept
    keep_alive = True
    # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm and the client's
    # delayed ACK hold every answer on a kept connection for ~40 ms.
    disable_nagle_algorithm = True

    def setup(self) -> None:
        super().setup()
        if self.keep_alive:
            self.rfile = _BodyReadGuard(self.rfile)  # type: ignore[assignment]
        count = getattr(self.server, "count_connection", None)
        if count is not None:
            count()

    def handle_one_request(self) -> None:
        if isinstance(self.rfile, _BodyReadGuard):
            self.rfile.body_read = False
        super().handle_one_request()

    def make_environ(self) -> dict[str, Any]:
        environ = super().make_environ()
        environ["osi.body_read"] = self._body_read
        return environ

    def _body_read(self) -> None:
        if isinstance(self.rfile, _BodyReadGuard):
            self.rfile.body_read = True

    def send_header(self, keyword: str, value: str) -> None:
        if self.keep_alive and keyword.lower() == "connection" and value.lower() == "close":
            return  # the client keeps the connection unless it asked to close it (http.server honours that)
        super().send_header(keyword, value)

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return

    def connection_dropped(self, error: BaseException, environ: Any = None) -> None:
        self.close_connection = True


class _ClosingHandler(_QuietHandler):
    """One connection per request (werkzeug's own behaviour), for comparisons."""

    keep_alive = False


class Emulator:
    """A local Dataverse + Graph Web API on loopback, backed by SQLite.

    Args:
        db_path: SQLite file (kept, so an organisation persists); ``None`` for a temporary one.
        token: the bearer token the emulator accepts.
        port: TCP port; 0 picks a free one.
        host: interface to bind (loopback by default).
        change_token_expiry_days: age after which a ``$deltatoken`` is refused (full resync needed).
        clock: returns the current aware UTC datetime (row stamps, delta tokens, throttle window).
        sleep: how injected latency waits (tests pass one that records instead of sleeping).
        keep_alive: keep connections open between requests (HTTP/1.1, as Dataverse does); False closes each.
    """

    def __init__(self, db_path: str | Path | None = None, *, token: str = "osi-emulator-token", port: int = 0,
                 host: str = "127.0.0.1", change_token_expiry_days: float = 7,
                 clock: Callable[[], datetime] | None = None, sleep: Callable[[float], None] = time.sleep,
                 keep_alive: bool = True) -> None:
        self.token = token
        self._handler = _QuietHandler if keep_alive else _ClosingHandler
        self._sleep = sleep
        self._db_path = db_path
        self._host = host
        self._port = port
        self._expiry = change_token_expiry_days
        self.clock = clock or (lambda: datetime.now(UTC))
        self.store: Store | None = None  # type: ignore[assignment]
        self.faults = Faults(self.clock)
        self.counters = Counters()
        self.url = ""
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None
        self._graph: Any = None
        self._dataverse: DataverseApi | None = None
        self._in_flight = 0
        self._in_flight_lock = threading.Lock()

    # --- lifecycle -----------------------------------------------------------------------------------

    def start(self) -> Emulator:
        """Open the store, bind the port and serve in a background thread."""
        self.bind()
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), name="osi-emulator",  # type: ignore[union-attr]
                                        daemon=True)
        self._thread.start()
        return self

    def bind(self) -> None:
        """Open the store and bind the port without serving yet (``serve_forever`` serves)."""
        self._server = make_server(self._host, self._port, self._wsgi, threaded=True, request_handler=self._handler)
        self._server.block_on_close = False  # persistent connections' threads must not hold up stop()
        self._server.count_connection = self.counters.connection  # type: ignore[attr-defined]
        self.url = f"http://{self._host}:{self._server.server_port}"
        self.store = Store(self._db_path, clock=self.clock)
        self._dataverse = DataverseApi(Ctx(self.store, self.url + API_PREFIX, self._expiry), self.counters,
                                       self.token, self.faults)
        self._graph = self._make_graph()

    def _make_graph(self) -> Any:
        try:
            from emulator.graph_api import GraphApi
        except ModuleNotFoundError as exc:  # only a missing module means "no Graph"; other errors surface
            if exc.name != "emulator.graph_api":
                raise
            return None
        store = self.store
        assert store is not None
        graph = GraphApi(store.connect, self.url + GRAPH_PREFIX)
        with store.transaction() as conn:
            graph.ensure_schema(conn)
        store.graph = graph
        return graph

    @property
    def callers(self) -> Any:
        """Users requests may act as (``MSCRMCallerID``) and their privileges (:class:`emulator.callers.Callers`)."""
        assert self._dataverse is not None, "start the emulator first"
        return self._dataverse.callers

    @property
    def security(self) -> Any:
        """The caller's privileges (:class:`emulator.privileges.Security`): System Administrator by default."""
        assert self._dataverse is not None, "start the emulator first"
        return self._dataverse.security

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted (the ``serve`` command)."""
        if self._server is None:
            self.bind()
        assert self._server is not None
        self._server.serve_forever()

    def stop(self) -> None:
        """Stop serving and close the store."""
        if self._server is not None:
            if self._thread is not None:  # shutdown() waits for serve_forever, so only call it when serving
                self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        if self.store is not None:
            self.store.close()
        self._server = self._thread = None

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # --- WSGI ----------------------------------------------------------------------------------------

    def _wsgi(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        with self._in_flight_lock:
            self._in_flight += 1
            in_flight = self._in_flight
        try:
            return self._serve(environ, start_response, in_flight)
        finally:
            with self._in_flight_lock:
                self._in_flight -= 1

    def _serve(self, environ: dict[str, Any], start_response: Callable[..., Any], in_flight: int) -> Iterable[bytes]:
        started = time.perf_counter()
        request = Request(environ)
        # Read the whole body first, whatever the answer: an unread body would be taken for the next request
        # on a persistent connection.
        request.get_data()
        environ.get("osi.body_read", lambda: None)()
        path = request.path
        is_graph = path.startswith(GRAPH_PREFIX) or path == GRAPH_PREFIX.rstrip("/")
        route = self._route_key(request.method, path, is_graph)
        decision = self.faults.decide(path, in_flight)
        if decision.delay:
            self.counters.fault("delay", decision.delay)
            self._sleep(decision.delay)
        if decision.drop:
            self._drop(environ, route, "drop")
        try:
            response = self._answer(request, path, is_graph, decision)
        except Exception:  # the catch-all: never a stack trace to the client
            log.exception("unhandled error serving %s %s", request.method, path)
            response = self._error(is_graph, 500, "0x80040216", "An unexpected error occurred.")
        if decision.drop_after:
            self._drop(environ, route, "drop-after")  # the work is done; the client never hears of it
        body = response.get_data()
        if not is_graph:
            request_id = str(uuid.uuid4())
            response.headers["x-ms-service-request-id"] = request_id
            response.headers["REQ_ID"] = request_id
        self.counters.request(route, response.status_code, len(body), time.perf_counter() - started)
        return response(environ, start_response)

    def _drop(self, environ: dict[str, Any], route: str, kind: str) -> None:
        """Close the client's connection without an answer.

        Raises:
            ConnectionAbortedError: always (werkzeug then abandons the request).
        """
        self.counters.fault(kind)
        self.counters.request(route, 0, 0)
        sock = environ.get("werkzeug.socket")
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        raise ConnectionAbortedError(f"fault injection: connection dropped ({kind})")

    def _answer(self, request: Request, path: str, is_graph: bool, decision: Any) -> Response:
        if not self._authorised(request):
            return self._unauthorised(request, is_graph)
        if decision.status is not None:
            self.counters.fault(str(decision.status))
            headers = {"Retry-After": str(decision.retry_after)} if decision.retry_after is not None else {}
            if is_graph:
                code = "TooManyRequests" if decision.status == 429 else "serviceNotAvailable"
                message = "Please retry again later." if decision.status == 429 else decision.message
                return self._error(True, decision.status, code, message, headers)
            return self._error(False, decision.status, decision.code, decision.message, headers)
        if is_graph:
            if self._graph is None:
                return self._error(True, 501, "notImplemented", "The Graph emulator is not installed.")
            return self._graph.handle(request)
        if not path.startswith(API_PREFIX) and path != API_PREFIX.rstrip("/"):
            return self._error(False, 404, "", f"No HTTP resource was found that matches the request URI "
                               f"'{request.url}'.")
        assert self._dataverse is not None
        headers = {k.lower(): v for k, v in request.headers.items()}
        prefer = request.headers.getlist("Prefer")
        if prefer:
            headers["prefer"] = ", ".join(prefer)
        raw = request.environ.get("RAW_URI") or request.environ.get("REQUEST_URI")
        url = raw if isinstance(raw, str) and raw.startswith("/") else (
            path + ("?" + request.query_string.decode("latin-1") if request.query_string else ""))
        inner = self._dataverse.dispatch(Operation(request.method, url, headers, request.get_data()), {})
        response = Response(inner.body, status=inner.status, headers=inner.headers)
        if inner.status in (204, 304):
            response.headers.pop("Content-Type", None)
        return response

    def _route_key(self, method: str, path: str, is_graph: bool) -> str:
        if is_graph:
            segments = [s for s in path[len(GRAPH_PREFIX):].split("/") if s]
            shape = "/".join(s if i % 2 == 0 or s.startswith("$") else "{id}" for i, s in enumerate(segments))
            return f"{method} graph:{shape.split('?')[0] or '/'}"
        assert self._dataverse is not None
        return self._dataverse.route_key(method, path)

    def _authorised(self, request: Request) -> bool:
        header = request.headers.get("Authorization", "")
        scheme, _, value = header.partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(value.strip().encode(), self.token.encode())

    def _unauthorised(self, request: Request, is_graph: bool) -> Response:
        has_token = bool(request.headers.get("Authorization"))
        if is_graph:
            message = "Access token validation failure. Invalid audience." if has_token else "Access token is empty."
            challenge = ('Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/'
                         'authorize", client_id="00000003-0000-0000-c000-000000000000"')
            return self._error(True, 401, "InvalidAuthenticationToken", message, {"WWW-Authenticate": challenge})
        challenge = (f"Bearer authorization_uri=https://login.microsoftonline.com/{TENANT_ID}/oauth2/authorize, "
                     f"resource_id={self.url}/")
        return self._error(False, 401, "", "The bearer token is missing, malformed, expired or not accepted by this "
                           "organisation.", {"WWW-Authenticate": challenge})

    def _error(self, is_graph: bool, status: int, code: str, message: str,
               headers: dict[str, str] | None = None) -> Response:
        if is_graph:
            body = {"error": {"code": code, "message": message, "innerError": {
                "date": self.clock().strftime("%Y-%m-%dT%H:%M:%S"), "request-id": str(uuid.uuid4()),
                "client-request-id": str(uuid.uuid4())}}}
            return Response(json.dumps(body), status=status, headers=headers or {}, content_type="application/json")
        inner = error_response(ApiError(status, code, message, headers))
        return Response(inner.body, status=inner.status, headers=inner.headers)
