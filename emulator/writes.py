"""Writes: create, update/upsert (by id or alternate key), delete; ``@odata.bind`` and activity-party deep insert."""

from __future__ import annotations

import re
import sqlite3
import uuid
from dataclasses import dataclass
from typing import Any

from emulator.bulk import full_name
from emulator.catalog import Table
from emulator.errors import ApiError, bad_request, does_not_exist, unknown_property
from emulator.serialize import lookup_navs
from emulator.store import Store, q
from emulator.values import normalise_guid, to_storage

_PAIR = re.compile(r"\s*(\w+)\s*=\s*('(?:[^']|'')*'|[^,]+)\s*(?:,|$)")
_REF = re.compile(r"(?:^|/)([A-Za-z_]\w*)\(([^()]*)\)$")
_DUPLICATE = "A record with matching key values already exists."
_DEFAULT_STATUS = {"task": 2}
"""statuscode given to a new open record when the client sets none (1 everywhere but task: 2 Not Started)."""


@dataclass
class KeyRef:
    """How a URL addresses a record: by primary key, or by alternate-key values."""

    record_id: str | None = None
    alt: dict[str, Any] | None = None

    def describe(self) -> str:
        """Text for 'does not exist' messages."""
        if self.record_id:
            return self.record_id
        return ",".join(f"{k}={v}" for k, v in (self.alt or {}).items())


KEY_FORBIDDEN_CHARACTERS = frozenset('/#<>*%&:\\?+')
"""Characters Dataverse does not allow in an alternate-key value used in a URL."""


def parse_key(table: Table, text: str) -> KeyRef:
    """Parse the ``(...)`` part of ``/<set>(...)``.

    Raises:
        ApiError: 400 when it is neither a GUID nor the columns of an alternate key of ``table``.
    """
    guid = normalise_guid(text)
    if guid is not None and "=" not in text:
        return KeyRef(record_id=guid)
    invalid = bad_request(f"The key in the request URI is not valid for resource 'Microsoft.Dynamics.CRM."
                          f"{table.logical}'. Make sure that the key values are correct.", code="0x80060888")
    values: dict[str, Any] = {}
    pos = 0
    while pos < len(text):
        m = _PAIR.match(text, pos)
        if m is None or m.end() == pos:
            raise invalid
        name, raw = m.group(1), m.group(2).strip()
        values[name] = raw[1:-1].replace("''", "'") if raw.startswith("'") else (normalise_guid(raw) or raw)
        if isinstance(values[name], str) and KEY_FORBIDDEN_CHARACTERS & set(values[name]):
            # Documented: a key value holding one of these cannot address a record through a URL.
            raise invalid
        pos = m.end()
    if list(values) == [table.primary_id]:
        if table.logical == "systemuser":
            raise invalid
        guid = normalise_guid(str(values[table.primary_id]))
        if guid is None:
            raise invalid
        return KeyRef(record_id=guid)
    for key in table.keys.values():
        if sorted(key["KeyAttributes"]) == sorted(values) and key.get("EntityKeyIndexStatus") == "Active":
            return KeyRef(alt=values)
    raise invalid


def find_id(conn: sqlite3.Connection, table: Table, key: KeyRef) -> str | None:
    """The primary key of the record ``key`` addresses, or ``None``."""
    if key.record_id is not None:
        row = conn.execute(f"SELECT {q(table.primary_id)} FROM {q(table.sql_name)} WHERE {q(table.primary_id)} = ?",
                           (key.record_id,)).fetchone()
    else:
        alt = key.alt or {}
        where = " AND ".join(f"{q(name)} = ?" for name in alt)
        row = conn.execute(f"SELECT {q(table.primary_id)} FROM {q(table.sql_name)} WHERE {where}",
                           list(alt.values())).fetchone()
    return row[0] if row else None


class Writer:
    """Applies write requests to the store, inside the caller's transaction.

    Args:
        store: the organisation.
        content_ids: ``$n`` → entity URL, for ``$batch`` change sets.
    """

    def __init__(self, store: Store, content_ids: dict[str, str] | None = None, *, owner: str | None = None) -> None:
        self.store = store
        self.content_ids = content_ids or {}
        self.owner = owner

    def create(self, table: Table, body: dict[str, Any], *, key: KeyRef | None = None) -> tuple[str, int]:
        """Insert a record; returns (id, version).

        Raises:
            ApiError: 400 for invalid payloads, 404 for binds to missing records, 412 for duplicates.
        """
        self._writable(table)
        with self.store.transaction() as conn:
            values, parties = self._values(conn, table, body, existing=None)
            record_id = values.get(table.primary_id) or (key.record_id if key and key.record_id else None)
            record_id = record_id or str(uuid.uuid4())
            values[table.primary_id] = record_id
            if key and key.alt:
                for name, value in key.alt.items():
                    values[name] = to_storage(table, table.columns[name], value)
            if find_id(conn, table, KeyRef(record_id=record_id)) is not None:
                raise ApiError(412, "0x80040237", "Cannot insert duplicate key.")
            now = self.store.now()
            for stamp in ("createdon", "modifiedon"):
                if stamp in table.columns:
                    values[stamp] = now
            if table.is_activity:
                values["activitytypecode"] = table.logical
            if self.owner and table.custom and "ownerid" in table.columns and values.get("ownerid") is None:
                # Dataverse makes the caller the owner of what it creates. Only our custom tables get this in
                # the emulator: seeded rows carry owners, and the caller is not one of the seeded users.
                values["ownerid"], values[table.columns["ownerid"].type_column] = self.owner, "systemuser"
            if "statecode" in table.columns and values.get("statecode") is None:
                values["statecode"] = 0
                if "statuscode" in table.columns and values.get("statuscode") is None:
                    values["statuscode"] = _DEFAULT_STATUS.get(table.logical, 1)
            self._computed(table, values, None)
            try:
                version = self.store.insert(conn, table, values)
            except sqlite3.IntegrityError as exc:
                raise ApiError(412, "0x80060892", _DUPLICATE) from exc
            self._insert_parties(conn, table, record_id, parties)
            return record_id, version

    def upsert(self, table: Table, key: KeyRef, body: dict[str, Any], *, if_match: str | None,
               if_none_match: str | None) -> tuple[str, bool, int]:
        """PATCH semantics: update, or create when missing (unless ``If-Match``); returns (id, created, version).

        Raises:
            ApiError: 404 (``If-Match`` and missing), 412 (``If-None-Match: *`` and present, or ETag mismatch), 400.
        """
        self._writable(table)
        with self.store.transaction() as conn:
            record_id = find_id(conn, table, key)
            if record_id is None:
                if if_match:
                    raise ApiError(404, "", f"{table.logical} With Id = {key.describe()} Does Not Exist")
                new_id, version = self.create(table, body, key=key)
                return new_id, True, version
            if if_none_match == "*":
                raise ApiError(412, "", _DUPLICATE)
            existing = self.store.fetch(conn, table, record_id) or {}
            if if_match and if_match != "*" and if_match.strip() != f'W/"{existing["_version"]}"':
                raise ApiError(412, "0x80060882",
                               "The version of the existing record doesn't match the RowVersion property provided.")
            values, parties = self._values(conn, table, body, existing=existing)
            values.pop(table.primary_id, None)
            if key.alt:
                for name, value in key.alt.items():
                    values[name] = to_storage(table, table.columns[name], value)
            if "modifiedon" in table.columns:
                values["modifiedon"] = self.store.now()
            self._computed(table, values, existing)
            try:
                version = self.store.update(conn, table, record_id, values)
            except sqlite3.IntegrityError as exc:
                raise ApiError(412, "0x80060892", _DUPLICATE) from exc
            if parties is not None:
                conn.execute('DELETE FROM "t_activityparty" WHERE activityid = ?', (record_id,))
                self._insert_parties(conn, table, record_id, parties)
            return record_id, False, version

    def delete(self, table: Table, key: KeyRef, *, if_match: str | None = None) -> None:
        """Delete a record.

        Raises:
            ApiError: 404 when missing, 412 on an ETag mismatch.
        """
        self._writable(table)
        with self.store.transaction() as conn:
            record_id = find_id(conn, table, key)
            if record_id is None:
                raise does_not_exist(table.logical, key.describe())
            if if_match and if_match != "*":
                existing = self.store.fetch(conn, table, record_id) or {}
                if if_match.strip() != f'W/"{existing.get("_version")}"':
                    raise ApiError(412, "0x80060882", "The version of the existing record doesn't match the "
                                   "RowVersion property provided.")
            self.store.delete(conn, table, record_id)

    # --- payload ------------------------------------------------------------------------------------

    def _writable(self, table: Table) -> None:
        if table.readable_only:
            raise ApiError(405, "0x80060888", f"The '{table.entity_set}' entity set does not support this "
                           "operation: it can only be read.")

    def _values(self, conn: sqlite3.Connection, table: Table, body: Any,
                existing: dict[str, Any] | None) -> tuple[dict[str, Any], list[dict[str, Any]] | None]:
        if not isinstance(body, dict):
            raise bad_request("The request body must be a JSON object.", code="0x0")
        values: dict[str, Any] = {}
        parties: list[dict[str, Any]] | None = None
        for name, value in body.items():
            if name.startswith("@"):
                continue
            if name.endswith("@odata.bind"):
                self._bind(conn, table, name[:-len("@odata.bind")], value, values)
                continue
            if "@" in name:
                continue
            if table.party_nav == name:
                if not isinstance(value, list):
                    raise bad_request(f"The value of '{name}' must be an array.", code="0x0")
                parties = value
                continue
            col = table.columns.get(name)
            if col is None or col.is_lookup:
                raise unknown_property(name, table.logical)
            if col.read_only:
                continue  # Dataverse ignores values for columns that are not valid for create/update.
            values[name] = to_storage(table, col, value)
        return values, parties

    def _bind(self, conn: sqlite3.Connection, table: Table, nav: str, value: Any, values: dict[str, Any]) -> None:
        for col in table.columns.values():
            if not col.is_lookup:
                continue
            target = lookup_navs(table, col).get(nav)
            if target is None:
                continue
            if value is None:
                values[col.logical] = values[col.type_column] = None
                return
            values[col.logical] = self._resolve(conn, target, value)
            values[col.type_column] = target
            return
        raise bad_request(f"An undeclared property '{nav}' which only has property annotations in the payload but "
                          "no property value was found in the payload. In OData, only declared navigation "
                          "properties and declared named streams can be represented as properties without values.",
                          code="0x0")

    def _resolve(self, conn: sqlite3.Connection, target: str, value: Any) -> str:
        if not isinstance(value, str):
            raise bad_request("An @odata.bind value must be a URL string.", code="0x0")
        url = value.strip()
        if url.startswith("$"):
            if url not in self.content_ids:
                raise bad_request(f"Content-ID Reference: '{url}' does not exist in the batch context.", code="0x0")
            url = self.content_ids[url]
        m = _REF.search(url.split("?")[0])
        table = self.store.tables[target]
        if m is None or m.group(1) != table.entity_set:
            raise bad_request(f"The URL '{value[:200]}' in an @odata.bind does not address a "
                              f"'{table.logical}' record.", code="0x0")
        key = parse_key(table, m.group(2))
        record_id = find_id(conn, table, key)
        if record_id is None:
            raise does_not_exist(table.logical, key.describe())
        return record_id

    def _computed(self, table: Table, values: dict[str, Any], existing: dict[str, Any] | None) -> None:
        if table.logical in ("contact", "lead", "systemuser") and ("firstname" in values or "lastname" in values):
            first = values.get("firstname", (existing or {}).get("firstname"))
            last = values.get("lastname", (existing or {}).get("lastname"))
            values["fullname"] = full_name(first, last)

    def _insert_parties(self, conn: sqlite3.Connection, table: Table, activity_id: str,
                        parties: list[dict[str, Any]] | None) -> None:
        if not parties:
            return
        party_table = self.store.tables["activityparty"]
        for party in parties:
            if not isinstance(party, dict):
                raise bad_request("Each activity party must be a JSON object.", code="0x0")
            values: dict[str, Any] = {"activitypartyid": str(uuid.uuid4()), "activityid": activity_id,
                                      "activityid__lt": table.logical}
            for name, value in party.items():
                if name.endswith("@odata.bind"):
                    nav = name[:-len("@odata.bind")]
                    prefix, _, target = nav.partition("_")
                    if prefix != "partyid" or target not in self.store.tables:
                        raise bad_request(f"An undeclared property '{nav}' which only has property annotations in "
                                          "the payload but no property value was found in the payload.", code="0x0")
                    values["partyid"] = self._resolve(conn, target, value)
                    values["partyid__lt"] = target
                elif name in ("participationtypemask", "addressused"):
                    values[name] = to_storage(party_table, party_table.columns[name], value)
                elif not name.startswith("@"):
                    raise unknown_property(name, "activityparty")
            self.store.insert(conn, party_table, values)
