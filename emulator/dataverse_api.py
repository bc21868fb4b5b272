"""Routing of Dataverse Web API requests (``/api/data/v9.2/...``) to reads, writes, metadata and ``$batch``.

One entry point, :meth:`DataverseApi.dispatch`, serves both top-level requests and the operations of a batch,
so both behave the same.
"""

from __future__ import annotations

import hashlib
import json
import re
import uuid
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

from emulator import metadata
from emulator.answers import error_response, json_response
from emulator.batch import InnerResponse, Operation, count_operations, parse_batch, run_batch
from emulator.callers import Callers
from emulator.catalog import Table
from emulator.errors import ApiError, bad_request, segment_not_found
from emulator.faults import Counters, Faults
from emulator.prefer import Prefer, parse_prefer
from emulator.privileges import Security
from emulator.query import Ctx, count_rows, get_collection, get_entity
from emulator.writes import KeyRef, Writer, find_id, parse_key

_SEGMENT = re.compile(r"^([^/(]+)(?:\((.*)\))?$")
_VERSION_PREFIX = re.compile(r"^/?api/data/v9\.[0-2]/?")
_FUNCTIONS = {"WhoAmI", "RetrieveTotalRecordCount", "RetrieveVersion"}
_USER_PRIVILEGES = "Microsoft.Dynamics.CRM.RetrieveUserPrivileges"
_SOLUTION = "mscrm.solutionuniquename"


def _key_filter(table: Table, key: KeyRef) -> str:
    """An OData filter selecting the record a URL key addresses."""
    if key.record_id:
        return f"{table.primary_id} eq {key.record_id}"
    parts = [f"{name} eq '{str(value).replace(chr(39), chr(39) * 2)}'" if isinstance(value, str) else
             f"{name} eq {value}" for name, value in (key.alt or {}).items()]
    return " and ".join(parts)


class DataverseApi:
    """Serves the Dataverse part of the emulator.

    Args:
        ctx: store, API base URL and change-token expiry.
        counters: where successful writes are counted.
        token: the accepted bearer token (WhoAmI's user id is derived from it).
        faults: where the faults of single ``$batch`` operations are decided (none when omitted).
    """

    def __init__(self, ctx: Ctx, counters: Counters, token: str, faults: Faults | None = None) -> None:
        self.ctx = ctx
        self.store = ctx.store
        self.counters = counters
        self.faults = faults
        self.callers = Callers()
        """Users this API may act as (``MSCRMCallerID``), with their privileges."""
        digest = hashlib.sha256(token.encode("utf-8")).hexdigest()
        self.user_id = str(uuid.UUID(digest[:32]))
        self.org_id = str(uuid.uuid5(uuid.NAMESPACE_URL, str(self.store.path.resolve())))
        self.security = Security(self.user_id)

    def route_key(self, method: str, path: str) -> str:
        """The counter key of a request: method and first path segment (``GET accounts``)."""
        segment = _VERSION_PREFIX.sub("", path).split("/", 1)[0].split("(", 1)[0].split("?", 1)[0]
        return f"{method} {segment or '/'}"

    def dispatch(self, op: Operation, content_ids: dict[str, str]) -> InnerResponse:
        """Answer one request (top-level or inside a batch); never raises :class:`ApiError`."""
        try:
            return self._dispatch(op, content_ids)
        except ApiError as err:
            return error_response(err)

    # --- routing -------------------------------------------------------------------------------------

    def _dispatch(self, op: Operation, content_ids: dict[str, str]) -> InnerResponse:
        url = op.url
        if url.startswith("$"):
            ref, _, rest = url.partition("/")
            if ref not in content_ids:
                raise bad_request(f"Content-ID Reference: '{ref}' does not exist in the batch context.", code="0x0")
            url = content_ids[ref] + (f"/{rest}" if rest else "")
        parts = urlsplit(url)
        path = _VERSION_PREFIX.sub("", unquote(parts.path))
        args: dict[str, str] = {}
        for key, value in parse_qsl(parts.query, keep_blank_values=True):
            args.setdefault(key, value)
        prefer = parse_prefer([op.headers.get("prefer", "")])
        segments = [s for s in path.split("/") if s] if path else []
        if not segments:
            return self._service_document(op)
        head = segments[0]
        if head == "$batch":
            return self._batch(op, prefer)
        if head == "$metadata":
            raise ApiError(501, "0x0", "The emulator does not serve the CSDL $metadata document.")
        if head in _FUNCTIONS or head.startswith("WhoAmI"):
            return self._function(op, head, url)
        if head.startswith("EntityDefinitions"):
            return self._metadata(op, segments, args)
        m = _SEGMENT.match(head)
        if m is None:
            raise segment_not_found(head)
        table = next((t for t in self.store.tables.values() if t.entity_set == m.group(1)), None)
        if table is None:
            raise segment_not_found(m.group(1))
        caller = op.headers.get("mscrmcallerid")
        if caller and op.method == "GET":
            # Impersonation: the read is the caller's (their privileges; their own rows at user depth).
            if m.group(2) is None:
                args = self.callers.read_args(caller, table, args)
            else:
                exists = {"$filter": _key_filter(table, parse_key(table, m.group(2)))}
                scoped = self.callers.read_args(caller, table, exists)
                # A record that exists but is not theirs is refused; one that does not exist is a 404 below.
                if not count_rows(self.ctx, table, scoped) and count_rows(self.ctx, table, exists):
                    raise ApiError(403, "0x80040220", f"Principal user (Id={caller}, type=8) does not have read "
                                                      f"access to this {table.logical} record.")
        if m.group(2) is None:
            return self._collection(op, table, segments[1:], args, prefer, content_ids)
        key = parse_key(table, m.group(2))
        return self._record(op, table, key, segments[1:], args, prefer, content_ids)

    def _service_document(self, op: Operation) -> InnerResponse:
        if op.method != "GET":
            raise ApiError(405, "0x0", "The requested resource does not support http method '" + op.method + "'.")
        sets = sorted(t.entity_set for t in self.store.tables.values())
        return json_response(200, {"@odata.context": f"{self.ctx.api_base}$metadata",
                                   "value": [{"name": s, "kind": "EntitySet", "url": s} for s in sets]})

    def _function(self, op: Operation, head: str, url: str) -> InnerResponse:
        if op.method != "GET":
            raise ApiError(404, "", f"No HTTP resource was found that matches the request URI '{url}'.")
        if head.split("(")[0] != "WhoAmI":
            raise segment_not_found(head)
        with self.store.read() as conn:
            row = conn.execute('SELECT businessunitid FROM "t_businessunit" ORDER BY name LIMIT 1').fetchone()
        bu = row[0] if row else str(uuid.uuid5(uuid.NAMESPACE_URL, self.org_id + "/bu"))
        return json_response(200, {"@odata.context": f"{self.ctx.api_base}$metadata#Microsoft.Dynamics.CRM."
                                   "WhoAmIResponse", "BusinessUnitId": bu, "UserId": self.user_id,
                                   "OrganizationId": self.org_id})

    def _batch(self, op: Operation, prefer: Prefer) -> InnerResponse:
        if op.method != "POST":
            raise ApiError(405, "0x0", "The $batch endpoint only accepts POST.")
        if self.store.in_transaction():
            raise bad_request("A batch cannot contain another batch.", code="0x0")
        items = parse_batch(op.headers.get("content-type", ""), op.body)
        self.counters.batch_operations(count_operations(items))
        status, content_type, body = run_batch(self.store, items, self._batch_op,
                                               continue_on_error=prefer.continue_on_error)
        headers = [("OData-Version", "4.0"), ("Content-Type", content_type)]
        if prefer.continue_on_error:
            headers.append(("Preference-Applied", "odata.continue-on-error"))
        return InnerResponse(status, headers, body)

    def _batch_op(self, op: Operation, content_ids: dict[str, str]) -> InnerResponse:
        if _VERSION_PREFIX.sub("", urlsplit(op.url).path.lstrip("/")).startswith("$batch"):
            return error_response(bad_request("A batch cannot contain another batch.", code="0x0"))
        fault = self.faults.decide_operation(op.url) if self.faults is not None else None
        if fault is None or fault.status is None:
            return self.dispatch(op, content_ids)
        if fault.after_done:
            done = self.dispatch(op, content_ids)
            if done.status >= 400:
                return done  # it failed on its own: its real answer
        self.counters.fault(f"operation-{fault.status}{'-after' if fault.after_done else ''}")
        headers = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else None
        return error_response(ApiError(fault.status, fault.code, fault.message, headers))

    # --- entity sets ---------------------------------------------------------------------------------

    def _collection(self, op: Operation, table: Table, rest: list[str], args: dict[str, str], prefer: Prefer,
                    content_ids: dict[str, str]) -> InnerResponse:
        if rest == ["$count"] and op.method == "GET":
            n = count_rows(self.ctx, table, args)
            return InnerResponse(200, [("OData-Version", "4.0"), ("Content-Type", "text/plain")], str(n).encode())
        if rest:
            raise segment_not_found(rest[0])
        if op.method == "GET":
            tracking = prefer.track_changes or "$deltatoken" in args
            self.security.require_table("Read", table, global_only=tracking)
            body, applied = get_collection(self.ctx, table, args, prefer)
            return json_response(200, body, [("Preference-Applied", ",".join(applied))] if applied else [])
        if op.method == "POST":
            payload = self._json(op)
            self.security.require_table("Create", table)
            self._check_binds(table, payload)
            record_id, _ = Writer(self.store, content_ids, owner=self.user_id).create(table, payload)
            self.counters.write(table.entity_set)
            return self._written(table, record_id, args, prefer, created=True)
        raise ApiError(405, "0x0", f"The requested resource does not support http method '{op.method}'.")

    def _record(self, op: Operation, table: Table, key: KeyRef, rest: list[str], args: dict[str, str],
                prefer: Prefer, content_ids: dict[str, str]) -> InnerResponse:
        writer = Writer(self.store, content_ids, owner=self.user_id)
        if rest and table.logical == "systemuser" and rest[0].startswith(_USER_PRIVILEGES) and op.method == "GET":
            return self._user_privileges(table, key)
        if rest:
            return self._record_child(op, table, key, rest, args, prefer, writer)
        if op.method == "GET":
            self.security.require_table("Read", table)
            record_id = self._existing(table, key)
            body = get_entity(self.ctx, table, record_id, args, prefer)
            etag = body.get("@odata.etag", "")
            inm = op.headers.get("if-none-match", "")
            if inm and inm == etag and not prefer.annotations and "$expand" not in args:
                return InnerResponse(304, [("OData-Version", "4.0"), ("ETag", etag)], b"")
            applied = [f'odata.include-annotations="{prefer.annotations}"'] if prefer.annotations else []
            headers = [("ETag", etag)] + ([("Preference-Applied", ",".join(applied))] if applied else [])
            return json_response(200, body, headers)
        if op.method == "PATCH":
            payload = self._json(op)
            exists, owner = self._owner(table, key)
            self.security.require_table("Write" if exists else "Create", table, owner=owner)
            self._check_binds(table, payload, owner=owner)
            record_id, created, _ = writer.upsert(table, key, payload, if_match=op.headers.get("if-match"),
                                                  if_none_match=op.headers.get("if-none-match"))
            self.counters.write(table.entity_set)
            return self._written(table, record_id, args, prefer, created=created)
        if op.method == "DELETE":
            exists, owner = self._owner(table, key)
            if exists:
                self.security.require_table("Delete", table, owner=owner)
            writer.delete(table, key, if_match=op.headers.get("if-match"))
            self.counters.write(table.entity_set)
            return InnerResponse(204, [("OData-Version", "4.0")], b"")
        raise ApiError(405, "0x0", f"The requested resource does not support http method '{op.method}'.")

    def _record_child(self, op: Operation, table: Table, key: KeyRef, rest: list[str], args: dict[str, str],
                      prefer: Prefer, writer: Writer) -> InnerResponse:
        name = rest[0]
        if len(rest) == 1 and table.party_nav == name and op.method == "GET":
            record_id = self._existing(table, key)
            parties = self.store.tables["activityparty"]
            body, applied = get_collection(self.ctx, parties, args, prefer, extra=("activityid = ?", [record_id]))
            return json_response(200, body, [("Preference-Applied", ",".join(applied))] if applied else [])
        col = table.columns.get(name)
        if len(rest) == 1 and col is not None and not col.is_lookup and op.method in ("PUT", "DELETE"):
            value = None
            if op.method == "PUT":
                payload = self._json(op)
                if not isinstance(payload, dict) or "value" not in payload:
                    raise bad_request("A single-property PUT needs a body {\"value\": ...}.", code="0x0")
                value = payload["value"]
            self.security.require_table("Write", table, owner=self._owner(table, key)[1])
            writer.upsert(table, key, {name: value}, if_match="*", if_none_match=None)
            self.counters.write(table.entity_set)
            return InnerResponse(204, [("OData-Version", "4.0")], b"")
        if len(rest) == 1 and col is not None and op.method == "GET":
            record_id = self._existing(table, key)
            body = get_entity(self.ctx, table, record_id, {"$select": name}, prefer)
            return json_response(200, {"@odata.context": f"{self.ctx.api_base}$metadata#{table.entity_set}"
                                       f"({record_id})/{name}", "value": body.get(name)})
        raise segment_not_found(name)

    def _owner(self, table: Table, key: KeyRef) -> tuple[bool, str | None]:
        """Whether the record exists, and its owner (for Basic-depth privileges)."""
        with self.store.read() as conn:
            record_id = find_id(conn, table, key)
            row = self.store.fetch(conn, table, record_id) if record_id else None
        if row is None:
            return False, None
        return True, str(row.get("ownerid") or "")

    def _check_binds(self, table: Table, payload: Any, *, owner: str | None = None) -> None:
        """Binding a record to another needs Append on this table and AppendTo on the other; setting its owner
        needs Assign on this table."""
        if not isinstance(payload, dict):
            return
        for name, value in payload.items():
            if not name.endswith("@odata.bind") or not isinstance(value, str) or value.startswith("$"):
                continue
            if name.split("@", 1)[0] == "ownerid":
                self.security.require_table("Assign", table, owner=owner)
                continue
            target_set = value.split("(", 1)[0].rstrip("/").rsplit("/", 1)[-1]
            target = next((t for t in self.store.tables.values() if t.entity_set == target_set), None)
            self.security.require_table("Append", table, owner=owner)
            if target is not None:
                self.security.require_table("AppendTo", target)

    def _user_privileges(self, table: Table, key: KeyRef) -> InnerResponse:
        """``systemusers(<id>)/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()``: the caller's privileges."""
        with self.store.read() as conn:
            row = conn.execute('SELECT businessunitid FROM "t_businessunit" ORDER BY name LIMIT 1').fetchone()
        bu = row[0] if row else str(uuid.uuid5(uuid.NAMESPACE_URL, self.org_id + "/bu"))
        if (key.record_id or "").lower() != self.user_id:
            self._existing(table, key)  # another user: 404 when missing; the emulator models only the caller
            privileges: list[dict[str, Any]] = []
        elif self.security.is_administrator:
            privileges = self.security.administrator_privileges(self.store.tables.values(), bu)
        else:
            privileges = self.security.role_privileges(bu)
        return json_response(200, {"@odata.context": f"{self.ctx.api_base}$metadata#Microsoft.Dynamics.CRM."
                                   "RetrieveUserPrivilegesResponse", "RolePrivileges": privileges})

    def _existing(self, table: Table, key: KeyRef) -> str:
        with self.store.read() as conn:
            record_id = find_id(conn, table, key)
        if record_id is None:
            raise ApiError(404, "0x80040217", f"{table.logical} With Id = {key.describe()} Does Not Exist")
        return record_id

    def _written(self, table: Table, record_id: str, args: dict[str, str], prefer: Prefer, *,
                 created: bool) -> InnerResponse:
        url = f"{self.ctx.api_base}{table.entity_set}({record_id})"
        if prefer.return_representation:
            body = get_entity(self.ctx, table, record_id, args, prefer)
            response = json_response(201 if created else 200, body, [
                ("ETag", body["@odata.etag"]), ("Preference-Applied", "return=representation")])
        else:
            response = InnerResponse(204, [("OData-Version", "4.0"), ("OData-EntityId", url)], b"")
        response.entity_url = url
        return response

    @staticmethod
    def _json(op: Operation) -> Any:
        try:
            return json.loads(op.body.decode("utf-8")) if op.body.strip() else {}
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise bad_request(f"The request body is not valid JSON: {exc}.", code="0x0") from exc

    # --- metadata ------------------------------------------------------------------------------------

    def _metadata(self, op: Operation, segments: list[str], args: dict[str, str]) -> InnerResponse:
        m = _SEGMENT.match(segments[0])
        if m is None or m.group(1) != "EntityDefinitions":
            raise segment_not_found(segments[0])
        base = self.ctx.api_base
        if m.group(2) is None:
            if len(segments) > 1:
                raise segment_not_found(segments[1])
            if op.method == "POST":
                self.security.require("prvCreateEntity")
                table = metadata.create_entity(self.store, self._json(op), solution=op.headers.get(_SOLUTION))
                return InnerResponse(204, [("OData-Version", "4.0"), ("OData-EntityId",
                                     f"{base}EntityDefinitions({metadata.metadata_id(table.logical)})")], b"")
            if op.method != "GET":
                raise ApiError(405, "0x0", f"The requested resource does not support http method '{op.method}'.")
            return json_response(200, {"@odata.context": f"{base}$metadata#EntityDefinitions",
                                       "value": metadata.list_entities(self.store, args)})
        table = metadata.find_table(self.store, m.group(2))
        if len(segments) == 1:
            if op.method in ("PUT", "PATCH"):
                self.security.require("prvWriteEntity")
                metadata.update_entity(self.store, table, self._json(op))
                return InnerResponse(204, [("OData-Version", "4.0")], b"")
            obj = metadata.select(metadata.entity_json(table), args.get("$select"))
            return json_response(200, {"@odata.context": f"{base}$metadata#EntityDefinitions/$entity", **obj})
        child = segments[1]
        entity_url = f"{base}EntityDefinitions(LogicalName='{table.logical}')"
        if child.startswith("Attributes"):
            return self._attributes(op, table, segments, args, entity_url)
        if child.startswith("Keys"):
            if op.method == "POST":
                self.security.require("prvCreateEntityKey")
                key = metadata.add_key(self.store, table, self._json(op), solution=op.headers.get(_SOLUTION))
                return InnerResponse(204, [("OData-Version", "4.0"),
                                           ("OData-EntityId", f"{entity_url}/Keys({key['MetadataId']})")], b"")
            return json_response(200, {"@odata.context": f"{base}$metadata#EntityDefinitions('{table.logical}')/Keys",
                                       "value": metadata.keys_json(table)})
        raise segment_not_found(child)

    def _attributes(self, op: Operation, table: Table, segments: list[str], args: dict[str, str],
                    entity_url: str) -> InnerResponse:
        m = _SEGMENT.match(segments[1])
        base = self.ctx.api_base
        if m is None or m.group(1) != "Attributes":
            raise segment_not_found(segments[1])
        if m.group(2) is not None:
            col = metadata.find_column(table, m.group(2))
            obj = metadata.attribute_json(table, col, with_options="OptionSet" in args.get("$expand", ""))
            return json_response(200, {"@odata.context": f"{base}$metadata#EntityDefinitions('{table.logical}')/"
                                       "Attributes/$entity", **obj})
        if op.method == "POST":
            self.security.require("prvCreateAttribute")
            col = metadata.add_attribute(self.store, table, self._json(op), solution=op.headers.get(_SOLUTION))
            return InnerResponse(204, [("OData-Version", "4.0"), ("OData-EntityId", f"{entity_url}/Attributes("
                                       f"{metadata.metadata_id(table.logical, col.logical)})")], b"")
        cast = segments[2] if len(segments) > 2 else None
        wanted = args.get("$select")
        if wanted and "OptionSet" in args.get("$expand", ""):
            wanted += ",OptionSet"
        attrs = []
        for col in table.columns.values():
            obj = metadata.attribute_json(table, col, with_options="OptionSet" in args.get("$expand", ""))
            if cast and obj["@odata.type"] != f"#{cast}":
                continue
            if metadata.matches(obj, args.get("$filter")):
                attrs.append(metadata.select(obj, wanted))
        return json_response(200, {"@odata.context": f"{base}$metadata#EntityDefinitions('{table.logical}')/"
                                   "Attributes", "value": attrs})

