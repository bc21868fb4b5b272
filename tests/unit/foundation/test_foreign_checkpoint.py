"""A stored checkpoint edited to another host (#17 item 2): refused, nothing sent, the stream read in full.

The real client and transport over fake HTTP: the forged delta link is never followed (no request, so no token,
reaches the other host), a warning names the stream, the run's extract succeeds with a full read of that stream
from the organisation, and the checkpoint it returns, on the organisation, makes the next extract incremental.
"""

from __future__ import annotations

import logging
import re

import pytest
import responses

from connector.dataverse import DataverseClient
from connector.sync import transform
from connector.sync.extract import extract
from connector.sync.snapshot import Snapshot
from connector.sync.staging import MemoryStore, Staging
from connector.sync.streams import STREAMS

from .conftest import API, TOKEN

CONTACTS = next(s for s in STREAMS if s.name == "contacts")
EMAILS = next(s for s in STREAMS if s.name == "emails")
A = "0f8fad5b-d9cb-469f-a165-70867728950e"
B = "7c9e6679-7425-40de-944b-e07fc1f90ae7"
DELTA = API + "contacts?$deltatoken=919050%2108%2f22%2f2017%2009%3a00%3a00"
FORGED = "https://attacker.example/api/data/v9.2/contacts?$deltatoken=919042"
TRAP = re.compile(r"https://attacker\.example/.*")


def _org(mocked: responses.RequestsMock) -> None:
    mocked.get(TRAP, json={"value": []})
    mocked.get(API + "contacts", json={"value": [{"contactid": A, "fullname": "Ann"}], "@odata.deltaLink": DELTA})
    mocked.get(API + "activityparties", json={"value": []})


def _trap_calls(mocked: responses.RequestsMock) -> list[str]:
    return [c.request.url for c in mocked.calls if "attacker.example" in c.request.url]


def test_a_forged_checkpoint_is_read_in_full_from_the_organisation(
        mocked: responses.RequestsMock, client: DataverseClient, caplog: pytest.LogCaptureFixture) -> None:
    _org(mocked)
    snap = Snapshot()
    snap.checkpoints["contacts"] = FORGED
    with caplog.at_level(logging.WARNING, logger="connector.sync.extract"):
        result = extract(client, snap, streams=(CONTACTS,))
    assert _trap_calls(mocked) == []
    assert result.full_reads == ["contacts"] and result.checkpoints == {"contacts": DELTA}
    assert list(snap.frames["contacts"]["contact_id"]) == [A]
    warning = next(r.getMessage() for r in caplog.records if "attacker.example" in r.getMessage())
    assert "contacts" in warning and "in full" in warning
    # The origin is named, never the forged link's query, and never the token.
    assert "deltatoken" not in caplog.text and TOKEN not in caplog.text


def test_the_next_run_after_a_forged_checkpoint_is_incremental(
        mocked: responses.RequestsMock, client: DataverseClient) -> None:
    _org(mocked)
    snap = Snapshot()
    snap.checkpoints["contacts"] = FORGED
    snap.checkpoints.update(extract(client, snap, streams=(CONTACTS,)).checkpoints)
    mocked.get(DELTA, json={"value": [{"contactid": B, "fullname": "Bob"}], "@odata.deltaLink": DELTA + "0"})
    calls = len(mocked.calls)
    second = extract(client, snap, streams=(CONTACTS,))
    assert second.full_reads == [] and second.checkpoints == {"contacts": DELTA + "0"}
    assert sorted(snap.frames["contacts"]["contact_id"]) == sorted([A, B])
    assert [c.request.url.lower() for c in mocked.calls[calls:]] == [DELTA.lower()]
    assert _trap_calls(mocked) == []


def test_a_forged_staged_link_of_an_interrupted_run_is_read_again_in_full(
        mocked: responses.RequestsMock, client: DataverseClient) -> None:
    # An interrupted run left its e-mails half read; the next link it staged was then edited to another host.
    mocked.get(TRAP, json={"value": []})
    mocked.get(API + "emails", json={"value": [], "@odata.deltaLink": API + "emails?$deltatoken=1"})
    mocked.get(API + "activityparties", json={"value": []})
    store, snap = MemoryStore(), Snapshot()
    first_page = transform.to_frame(EMAILS, [{"activityid": A, "subject": "half read"}])
    Staging(store, snap.generation, flush_rows=1).stage(
        "emails", first_page, deleted=[], next_link="https://attacker.example/api/data/v9.2/emails?$skiptoken=2",
        delta_link=None, errors=[], full=True)
    staging = Staging(store, snap.generation)
    assert staging.resumed and staging.stream("emails").link.startswith("https://attacker.example/")
    result = extract(client, snap, streams=(EMAILS,), staging=staging)
    assert _trap_calls(mocked) == []
    assert result.full_reads == ["emails"] and result.checkpoints == {"emails": API + "emails?$deltatoken=1"}
    # The half-read page was dropped with the refused link: the frame is what the full read returned.
    assert snap.frames["activities"].empty
