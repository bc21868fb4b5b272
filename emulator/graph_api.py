"""The emulator's Microsoft Graph endpoints: users, mailbox messages and JSON ``$batch`` (``/v1.0/``).

Follows the contract notes (§3): ``GET /v1.0/users`` (``$select``, ``$top`` ≤ 999, default page 100),
``GET /v1.0/users/{id|userPrincipalName}`` and ``.../messages`` (also ``.../mailFolders/inbox|sentitems/
messages``) with ``$select``, ``$top`` (1–1000, default 10), ``$filter`` on ``receivedDateTime``/
``sentDateTime`` (``eq ge gt le lt`` joined by ``and``), ``$orderby`` with Graph's ``InefficientFilter``
rule, opaque ``$skiptoken`` paging through ``@odata.nextLink``, and ``POST /v1.0/$batch`` (≤ 20 members,
unique ids, relative urls, ``dependsOn`` with 424, responses out of order, envelope 200). Errors use
Graph's shape ``{"error": {"code", "message", "innerError": {"date", "request-id", "client-request-id"}}}``.
Simplification: without ``$select`` a message comes back *without* its body (as under the
``Mail.ReadBasic.All`` permission); ask for ``body`` to get it. Authentication, faults and counters are
the server's job and happen before :meth:`GraphApi.handle` is called.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
import uuid
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request, Response

from emulator.graph_query import (
    FILTERABLE,
    OPS,
    ORDERABLE,
    GraphError,
    check_efficient,
    parse_filter,
    parse_orderby,
    parse_select,
    parse_top,
    skip_token,
    token_offset,
)

USER_PROPS = ("id", "displayName", "givenName", "surname", "mail", "userPrincipalName", "jobTitle", "accountEnabled")
MESSAGE_PROPS = ("id", "subject", "body", "from", "sender", "toRecipients", "ccRecipients", "sentDateTime",
                 "receivedDateTime", "conversationId", "internetMessageId", "isDraft", "parentFolderId")
_DEFAULT_MESSAGE = tuple(p for p in MESSAGE_PROPS if p != "body")
_FOLDERS = {"inbox": "inbox", "sentitems": "sentitems"}
MAX_BATCH = 20
JSON_TYPE = "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"


SCHEMA = (
    "CREATE TABLE IF NOT EXISTS graph_user (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, "
    "upn TEXT NOT NULL, doc TEXT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS graph_user_upn ON graph_user (upn)",
    "CREATE TABLE IF NOT EXISTS graph_message (mailbox TEXT NOT NULL, id TEXT NOT NULL, received TEXT NOT NULL, "
    "sent TEXT NOT NULL, subject TEXT, folder TEXT NOT NULL, meta TEXT NOT NULL, body BLOB, "
    "PRIMARY KEY (mailbox, id))",
    "CREATE INDEX IF NOT EXISTS graph_message_received ON graph_message (mailbox, received, id)",
)


def _compact(doc: Any) -> str:
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":"))


def _pack(body: Any) -> bytes:
    """A message body as stored: compact JSON, deflated (bodies are most of a mailbox's bytes)."""
    return zlib.compress(_compact(body).encode(), 1)


class GraphApi:
    """Serve Graph requests from SQLite.

    Args:
        connect: opens a connection to the organisation's database (one is kept per thread).
        base_url: the server's URL (``http://127.0.0.1:port``, a trailing ``/v1.0/`` is accepted), used in
            ``@odata.nextLink`` and ``@odata.context``.
        member_guard: optional hook run on every ``$batch`` member before it executes; a returned response
            (e.g. a 429 from fault injection) replaces the member's result, as Graph throttles members one by one.
    """

    def __init__(self, connect: Callable[[], sqlite3.Connection], base_url: str, *,
                 member_guard: Callable[[Request], Response | None] | None = None) -> None:
        self._connect = connect
        self.base_url = re.sub(r"/v1\.0$", "", base_url.rstrip("/"))
        self.member_guard = member_guard
        self._local = threading.local()
        self._schema_ready = False

    # --- storage ------------------------------------------------------------------------------------

    def ensure_schema(self, conn: sqlite3.Connection) -> None:
        """Create the Graph tables if they do not exist."""
        for stmt in SCHEMA:
            conn.execute(stmt)
        self._schema_ready = True

    def load(self, conn: sqlite3.Connection, org: Any) -> None:
        """Bulk-insert ``org.graph_users`` and ``org.mailboxes`` (a :class:`emulator.org.DemoOrg`).

        Raises:
            ValueError: a user or message lacks a field the store needs (naming it).
        """
        self.ensure_schema(conn)
        users = []
        for u in org.graph_users:
            if not u.get("id") or not (u.get("userPrincipalName") or u.get("mail")):
                raise ValueError(f"graph user {u.get('id')!r}: needs 'id' and 'userPrincipalName'")
            users.append((str(u["id"]).lower(), str(u.get("userPrincipalName") or u["mail"]).lower(), json.dumps(u)))
        conn.executemany("INSERT INTO graph_user (id, upn, doc) VALUES (?, ?, ?)", users)
        owners = {str(u["id"]).lower(): str(u.get("mail") or u.get("userPrincipalName")).lower()
                  for u in org.graph_users}

        def rows() -> Any:
            for box, messages in org.mailboxes.items():
                mailbox = str(box).lower()
                for m in messages:
                    try:
                        sender = m["from"]["emailAddress"]["address"].lower()
                        meta = {k: v for k, v in m.items() if k != "body"}
                        folder = "sentitems" if sender == owners.get(mailbox) else "inbox"
                        yield (mailbox, m["id"], m["receivedDateTime"], m["sentDateTime"], m.get("subject"), folder,
                               _compact(meta), _pack(m["body"]) if m.get("body") is not None else None)
                    except (KeyError, TypeError, AttributeError) as exc:
                        raise ValueError(f"graph message {m.get('id')!r} in mailbox {box}: missing {exc}") from None

        conn.executemany("INSERT INTO graph_message (mailbox, id, received, sent, subject, folder, meta, body) "
                         "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows())

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._local.conn = self._connect()
            if not self._schema_ready:
                self.ensure_schema(conn)
        return conn

    # --- HTTP ---------------------------------------------------------------------------------------

    def handle(self, request: Request) -> Response:
        """Answer one request whose path starts with ``/v1.0/``; never raises."""
        try:
            return self._dispatch(request)
        except GraphError as exc:
            return self.error(request, exc.status, exc.code, exc.message)
        except (sqlite3.Error, ValueError) as exc:
            return self.error(request, 500, "InternalServerError", f"The emulator failed: {type(exc).__name__}.")

    def error(self, request: Request, status: int, code: str, message: str,
              headers: dict[str, str] | None = None) -> Response:
        """A Graph error response."""
        client_id = request.headers.get("client-request-id") or str(uuid.uuid4())
        body = {"error": {"code": code, "message": message, "innerError": {
            "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S"), "request-id": str(uuid.uuid4()),
            "client-request-id": client_id}}}
        return self._json(body, status, {"client-request-id": client_id, **(headers or {})})

    def _json(self, body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
        resp = Response(json.dumps(body, ensure_ascii=False), status=status, content_type=JSON_TYPE)
        resp.headers["request-id"] = str(uuid.uuid4())
        resp.headers["OData-Version"] = "4.0"
        for k, v in (headers or {}).items():
            resp.headers[k] = v
        return resp

    def _dispatch(self, request: Request) -> Response:
        path = request.path
        if not path.startswith("/v1.0/"):
            raise GraphError(400, "BadRequest", "Invalid version: only v1.0 is served.")
        parts = [p for p in path[len("/v1.0/"):].split("/") if p]
        if parts == ["$batch"]:
            if request.method != "POST":
                raise GraphError(405, "BadRequest", "The $batch endpoint only accepts POST.")
            return self._batch(request)
        if not parts or parts[0] != "users":
            raise GraphError(400, "BadRequest", f"Resource not found for the segment '{parts[0] if parts else ''}'.")
        if request.method != "GET":
            raise GraphError(405, "BadRequest", f"The HTTP method '{request.method}' is not allowed on this resource.")
        self._check_options(request)
        if len(parts) == 1:
            return self._users(request)
        user = self._user(parts[1])
        if len(parts) == 2:
            props = parse_select(request.args.get("$select"), USER_PROPS, USER_PROPS, "user")
            doc = json.loads(user[2])
            return self._json({"@odata.context": f"{self.base_url}/v1.0/$metadata#users/$entity",
                               **{p: doc.get(p) for p in props}})
        rest = parts[2:]
        if rest[0] == "messages" and len(rest) == 1:
            return self._messages(request, user, None)
        if rest[0] == "messages" and len(rest) == 2:
            return self._message(request, user, rest[1])
        if rest[0] == "mailFolders" and len(rest) == 3 and rest[2] == "messages":
            folder = _FOLDERS.get(rest[1].lower())
            if folder is None:
                raise GraphError(404, "ErrorItemNotFound", "The specified folder could not be found in the store.")
            return self._messages(request, user, folder)
        raise GraphError(400, "BadRequest", f"Resource not found for the segment '{rest[0]}'.")

    @staticmethod
    def _check_options(request: Request) -> None:
        known = {"$select", "$top", "$filter", "$orderby", "$skiptoken"}
        for key in request.args:
            if key.startswith("$") and key not in known:
                raise GraphError(400, "BadRequest", f"Query option '{key}' is not supported by the emulator.")

    def _user(self, key: str) -> tuple[str, str, str]:
        row = self._conn().execute("SELECT id, upn, doc FROM graph_user WHERE id = ? OR upn = ?",
                                   (key.lower(), key.lower())).fetchone()
        if row is None:
            raise GraphError(404, "Request_ResourceNotFound",
                             f"Resource '{key}' does not exist or one of its queried reference-property objects "
                             "are not present.")
        return row

    def _next_link(self, request: Request, offset: int) -> str:
        args = [(k, v) for k, v in request.args.items(multi=True) if k != "$skiptoken"]
        args.append(("$skiptoken", skip_token(offset)))
        return f"{self.base_url}{request.path}?{urlencode(args, safe='$,():')}"

    def _users(self, request: Request) -> Response:
        if "$filter" in request.args or "$orderby" in request.args:
            raise GraphError(400, "BadRequest", "The emulator supports $select, $top and paging on users only.")
        props = parse_select(request.args.get("$select"), USER_PROPS, USER_PROPS, "user")
        top = parse_top(request.args.get("$top"), 100, 999)
        offset = token_offset(request.args.get("$skiptoken"))
        rows = self._conn().execute("SELECT doc FROM graph_user ORDER BY seq LIMIT ? OFFSET ?",
                                    (top + 1, offset)).fetchall()
        docs = [json.loads(d) for (d,) in rows[:top]]
        body: dict[str, Any] = {"@odata.context": f"{self.base_url}/v1.0/$metadata#users"}
        if len(rows) > top:
            body["@odata.nextLink"] = self._next_link(request, offset + top)
        body["value"] = [{p: d.get(p) for p in props} for d in docs]
        return self._json(body)

    def _messages(self, request: Request, user: tuple[str, str, str], folder: str | None) -> Response:
        props = parse_select(request.args.get("$select"), MESSAGE_PROPS, _DEFAULT_MESSAGE, "message")
        top = parse_top(request.args.get("$top"), 10, 1000)
        offset = token_offset(request.args.get("$skiptoken"))
        filters = parse_filter(request.args["$filter"]) if "$filter" in request.args else []
        order = parse_orderby(request.args["$orderby"]) if "$orderby" in request.args else []
        if filters and order:
            check_efficient(filters, order)
        where, params = ["mailbox = ?"], [user[0]]
        if folder:
            where.append("folder = ?")
            params.append(folder)
        for prop, op, value in filters:
            where.append(f"{FILTERABLE[prop]} {OPS[op]} ?")
            params.append(value)
        order_sql = ", ".join(f"{ORDERABLE[p]} {d.upper()}" for p, d in order) or "received DESC"
        want_body = "body" in props
        sql = (f"SELECT meta, {'body' if want_body else 'NULL'}, folder FROM graph_message WHERE {' AND '.join(where)} "
               f"ORDER BY {order_sql}, id LIMIT ? OFFSET ?")
        rows = self._conn().execute(sql, (*params, top + 1, offset)).fetchall()
        value = [self._project(meta, body, props, box) for meta, body, box in rows[:top]]
        context = f"{self.base_url}/v1.0/$metadata#users('{user[0]}')/messages"
        if "$select" in request.args:
            context += f"({','.join(props)})"
        out: dict[str, Any] = {"@odata.context": context}
        if len(rows) > top:
            out["@odata.nextLink"] = self._next_link(request, offset + top)
        out["value"] = value
        return self._json(out)

    @staticmethod
    def _project(meta: str, body: str | None, props: tuple[str, ...], folder: str | None) -> dict[str, Any]:
        doc = json.loads(meta)
        if body is not None:
            doc["body"] = json.loads(zlib.decompress(body))
        doc.setdefault("parentFolderId", folder)
        return {p: doc.get(p) for p in props}

    def _message(self, request: Request, user: tuple[str, str, str], message_id: str) -> Response:
        props = parse_select(request.args.get("$select"), MESSAGE_PROPS, _DEFAULT_MESSAGE, "message")
        row = self._conn().execute("SELECT meta, body, folder FROM graph_message WHERE mailbox = ? AND id = ?",
                                   (user[0], message_id)).fetchone()
        if row is None:
            raise GraphError(404, "ErrorItemNotFound", "The specified object was not found in the store.")
        doc = self._project(row[0], row[1] if "body" in props else None, props, row[2])
        return self._json({"@odata.context": f"{self.base_url}/v1.0/$metadata#users('{user[0]}')/messages/$entity",
                           **doc})

    # --- $batch -------------------------------------------------------------------------------------

    def _batch(self, request: Request) -> Response:
        try:
            payload = json.loads(request.get_data(as_text=True) or "null")
        except ValueError:
            raise GraphError(400, "BadRequest", "Invalid batch payload format: the body is not JSON.") from None
        members = payload.get("requests") if isinstance(payload, dict) else None
        if not isinstance(members, list) or not members:
            raise GraphError(400, "BadRequest", "Invalid batch payload format: 'requests' must be a non-empty array.")
        if len(members) > MAX_BATCH:
            raise GraphError(400, "BadRequest", f"The number of batch requests exceeds the limit of {MAX_BATCH}.")
        ids: list[str] = []
        for m in members:
            if not isinstance(m, dict) or not isinstance(m.get("id"), str) or not m.get("method") or not m.get("url"):
                raise GraphError(400, "BadRequest", "Invalid batch payload format: each request needs id, method "
                                                    "and url.")
            if m["id"] in ids:
                raise GraphError(400, "BadRequest", f"Batch request contains duplicate Id '{m['id']}'.")
            ids.append(m["id"])
        for m in members:
            for dep in m.get("dependsOn") or []:
                if dep not in ids or dep == m["id"]:
                    raise GraphError(400, "BadRequest", f"Request '{m['id']}' depends on unknown request '{dep}'.")
        results: dict[str, dict[str, Any]] = {}
        pending = list(members)
        while pending:
            ready = [m for m in pending if all(d in results for d in m.get("dependsOn") or [])]
            if not ready:
                raise GraphError(400, "BadRequest", "Batch request dependencies form a cycle.")
            for m in ready:
                failed = [d for d in m.get("dependsOn") or [] if results[d]["status"] >= 400]
                results[m["id"]] = self._failed_dependency(request, m) if failed else self._member(request, m)
                pending.remove(m)
        order = list(ids)
        # Graph answers members as they complete: the emulator returns them in a scrambled (but repeatable) order.
        rng_seed = zlib.crc32("|".join(ids).encode())
        order.sort(key=lambda i: zlib.crc32(f"{rng_seed}:{i}".encode()))
        return self._json({"responses": [results[i] for i in order]})

    def _failed_dependency(self, request: Request, m: dict[str, Any]) -> dict[str, Any]:
        err = self.error(request, 424, "FailedDependency", "The request depends on a request that failed.")
        return {"id": m["id"], "status": 424, "headers": {"Content-Type": "application/json"}, "body": err.get_json()}

    def _member(self, outer: Request, m: dict[str, Any]) -> dict[str, Any]:
        url = str(m["url"])
        if "://" in url:
            resp = self.error(outer, 400, "BadRequest", "Batch request URLs must be relative to the version.")
        else:
            path, _, query = url.lstrip("/").partition("?")
            headers = {k: str(v) for k, v in (m.get("headers") or {}).items()}
            body = m.get("body")
            if body is not None and not any(k.lower() == "content-type" for k in headers):
                resp = self.error(outer, 400, "BadRequest", "A request with a body needs a Content-Type header.")
            else:
                env = EnvironBuilder(path="/v1.0/" + path, query_string=query, method=str(m["method"]).upper(),
                                     headers=headers, data=json.dumps(body) if body is not None else None).get_environ()
                req = Request(env)
                resp = (self.member_guard(req) if self.member_guard else None) or self.handle(req)
        hdrs = {k: v for k, v in resp.headers.items() if k.lower() in ("content-type", "retry-after", "location")}
        data = resp.get_data(as_text=True)
        try:
            parsed = json.loads(data) if data else None
        except ValueError:
            parsed = data
        return {"id": m["id"], "status": resp.status_code, "headers": hdrs, "body": parsed}
