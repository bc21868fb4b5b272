"""Extract with a fake change reader: full read, delta merge, tombstones, parties, expired tokens."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from connector.dataverse.changes import LinkedChangePage
from connector.errors import ChangeTokenExpiredError
from connector.sync.extract import extract
from connector.sync.snapshot import Snapshot
from connector.sync.streams import STREAMS

C1, C2 = "00000000-0000-0000-0000-0000000000c1", "00000000-0000-0000-0000-0000000000c2"
L1 = "00000000-0000-0000-0000-0000000000d1"
E1 = "00000000-0000-0000-0000-0000000000e1"
U1 = "00000000-0000-0000-0000-0000000000a1"


@dataclass
class Batch:
    rows: list[dict[str, Any]]
    deleted_ids: list[str] = field(default_factory=list)
    delta_link: str = "next"


class FakeReader:
    """Answers per entity set from a script; records which reads were full and which party filters came."""

    def __init__(self, script: dict[str, Batch], expired: set[str] = frozenset()) -> None:
        self.script, self.expired = script, set(expired)
        self.full: list[str] = []
        self.party_filters: list[str | None] = []

    def change_pages(self, entity_set, *, select, link=None, page_size=None, annotations=None):
        if link and entity_set in self.expired:
            self.expired.discard(entity_set)
            raise ChangeTokenExpiredError("expired", status_code=400)
        if not link:
            self.full.append(entity_set)
        batch = self.script.get(entity_set, Batch([]))
        yield LinkedChangePage(batch.rows, batch.deleted_ids, None, batch.delta_link)

    def list_records(self, entity_set, *, select, filter=None, page_size=None):
        self.party_filters.append(filter)
        return FakePager([{"activitypartyid": "p1", "_activityid_value": E1, "_partyid_value": C1,
                           "participationtypemask": 1, "addressused": "Ann@Contoso.example"}])


class FakePager(list):
    continuation_token = None

    def by_page(self, continuation_token=None):
        yield list(self)


def _first_run() -> tuple[Snapshot, FakeReader]:
    reader = FakeReader({
        "systemusers": Batch([{"systemuserid": U1, "fullname": "Sam", "internalemailaddress": "sam@us.example"}]),
        "contacts": Batch([{"contactid": C1, "fullname": "Ann", "emailaddress1": "Ann@Contoso.example",
                            "modifiedon": "2026-01-01T00:00:00Z"},
                           {"contactid": C2, "fullname": "Bob", "modifiedon": "not a date"}]),
        "leads": Batch([{"leadid": L1, "statecode": 1, "modifiedon": "2026-02-01T00:00:00Z",
                         "leadsourcecode": 8, "leadsourcecode@OData.Community.Display.V1.FormattedValue": "Web"}]),
        "emails": Batch([{"activityid": E1, "_regardingobjectid_value": C1, "directioncode": False,
                          "actualend": "2026-01-05T10:00:00Z"}]),
    })
    snap = Snapshot()
    result = extract(reader, snap, streams=STREAMS)
    return snap, reader, result


def test_first_run_reads_everything_and_resolves_lookups_and_labels() -> None:
    snap, reader, result = _first_run()
    assert "contacts" in reader.full and reader.party_filters == [None]
    email = snap.frames["activities"].iloc[0]
    assert (email["regarding_type"], email["direction"]) == ("contact", "incoming")
    party = snap.frames["parties"].iloc[0]
    assert (party["party_type"], party["address"]) == ("contact", "ann@contoso.example")
    assert snap.frames["leads"].iloc[0]["leadsourcecode"] == "Web"
    assert str(snap.frames["leads"].iloc[0]["closed_on"]).startswith("2026-02-01")
    # A bad date is named (table, record, field) and the record is kept.
    assert [(e.table, e.record_id, e.field) for e in result.errors] == [("contact", C2, "modifiedon")]
    assert len(snap.frames["contacts"]) == 2
    assert result.checkpoints["contacts"] == "next"


def test_delta_merges_updates_drops_tombstones_and_rereads_touched_parties_only() -> None:
    snap, _, first = _first_run()
    snap.checkpoints.update(first.checkpoints)
    reader = FakeReader({
        "contacts": Batch([{"contactid": C1, "fullname": "Ann B", "modifiedon": "2026-03-01T00:00:00Z"}], [C2]),
        "leads": Batch([{"leadid": L1, "statecode": 1, "modifiedon": "2026-06-01T00:00:00Z"}]),
        "emails": Batch([{"activityid": E1, "_regardingobjectid_value": C1, "directioncode": True}]),
    })
    result = extract(reader, snap, streams=STREAMS)
    assert reader.full == [] and result.full_reads == []
    assert list(snap.frames["contacts"]["fullname"]) == ["Ann B"]
    assert result.deleted["contacts"] == {C2}
    assert reader.party_filters == [f"_activityid_value eq {E1}"]
    # Our own later writes move modifiedon; the close time first seen is kept.
    assert str(snap.frames["leads"].iloc[0]["closed_on"]).startswith("2026-02-01")


def test_an_expired_token_means_a_full_read_of_that_stream_and_of_the_parties() -> None:
    snap, _, first = _first_run()
    snap.checkpoints.update(first.checkpoints)
    reader = FakeReader({}, expired={"tasks"})
    result = extract(reader, snap, streams=STREAMS)
    assert reader.full == ["tasks"] and result.full_reads == ["tasks"]
    assert reader.party_filters == [None]
    assert len(snap.frames["activities"]) == 1  # the e-mail stays: only the tasks were re-read


def test_a_leads_close_time_comes_from_our_stamp_before_modifiedon() -> None:
    from connector.sync.extract import _lead_close_times

    leads = pd.DataFrame({
        "lead_id": ["a", "b", "c", "d"], "state_code": pd.array([1, 2, 0, 1], dtype="Int64"),
        # Our own write moved modifiedon of a and c long after a closed.
        "modified_on": pd.to_datetime(["2026-06-01", "2026-02-01", "2026-06-01", "2026-03-01"], utc=True),
        "closed_on": pd.to_datetime([None, None, None, "2026-02-15"], utc=True),
        "osi_closedon": ["2026-01-10T08:00:00Z", None, None, None],
    })
    got = _lead_close_times(leads)
    assert list(got) == [pd.Timestamp("2026-01-10T08:00Z"), pd.Timestamp("2026-02-01", tz="UTC"), pd.NaT,
                         pd.Timestamp("2026-02-15", tz="UTC")]
