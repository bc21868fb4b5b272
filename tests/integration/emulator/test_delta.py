"""Fidelity: change tracking (delta links, token form, tombstones, rejected options, expiry)."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from emulator.org import DemoOrg

pytestmark = pytest.mark.integration

TRACK = {"Prefer": "odata.track-changes"}


def _initial(api, query="accounts?$select=name", headers=TRACK):
    url, rows = api.base + query, []
    while True:
        r = api.get(url, headers=headers)
        assert r.status_code == 200, r.text
        body = r.json()
        rows += body["value"]
        if "@odata.deltaLink" in body:
            return rows, body["@odata.deltaLink"], r
        url = body["@odata.nextLink"]


def test_initial_read_ends_with_delta_link_in_documented_form(api):
    api.create("accounts", {"name": "A"})
    rows, delta, r = _initial(api)
    assert r.headers["Preference-Applied"] == "odata.track-changes"
    assert [row["name"] for row in rows] == ["A"]
    assert delta.startswith(api.base + "accounts?$select=name&$deltatoken=")
    raw_token = delta.split("$deltatoken=", 1)[1]
    assert re.fullmatch(r"\d+%21\d\d%2f\d\d%2f\d{4}%20\d\d%3a\d\d%3a\d\d", raw_token), raw_token
    token = parse_qs(urlsplit(delta).query)["$deltatoken"][0]
    assert token.endswith("!03/02/2026 09:30:00")


def test_delta_returns_changes_then_tombstones(api):
    keep = api.create("accounts", {"name": "Keep"})
    change = api.create("accounts", {"name": "Change"})
    drop = api.create("accounts", {"name": "Drop"})
    _, delta, _ = _initial(api)
    api.patch(f"accounts({change})", {"name": "Changed"})
    new = api.create("accounts", {"name": "New"})
    assert api.delete(f"accounts({drop})").status_code == 204
    transient = api.create("accounts", {"name": "Transient"})
    api.delete(f"accounts({transient})")
    r = api.get(delta)  # the docs' example sends no Prefer header on the delta round
    assert r.status_code == 200
    body = r.json()
    assert body["@odata.context"] == api.base + "$metadata#accounts(name)/$delta"
    values = body["value"]
    assert [v.get("name") for v in values[:2]] == ["Changed", "New"]
    assert [v["accountid"] for v in values[:2]] == [change, new]
    tombstones = values[2:]
    assert tombstones == [
        {"@odata.context": api.base + "$metadata#accounts/$deletedEntity", "id": drop, "reason": "deleted"},
        {"@odata.context": api.base + "$metadata#accounts/$deletedEntity", "id": transient, "reason": "deleted"}]
    assert keep not in {v.get("accountid") for v in values}
    again = api.get(body["@odata.deltaLink"], headers=TRACK).json()
    assert again["value"] == [] and "@odata.deltaLink" in again


@pytest.mark.parametrize("prefer_headers", [
    [("Prefer", "odata.track-changes,odata.maxpagesize=2")],
    [("Prefer", "odata.track-changes"), ("Prefer", "odata.maxpagesize=2")],
])
def test_comma_joined_and_repeated_prefer_headers(em, api, prefer_headers):
    for i in range(5):
        api.create("accounts", {"name": f"A{i}"})
    import http.client

    host, port = em.url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=10)
    conn.putrequest("GET", "/api/data/v9.2/accounts?$select=name")
    conn.putheader("Authorization", f"Bearer {em.token}")
    for name, value in prefer_headers:
        conn.putheader(name, value)
    conn.endheaders()
    response = conn.getresponse()
    import json

    body = json.loads(response.read())
    assert response.status == 200 and len(body["value"]) == 2 and "@odata.nextLink" in body
    assert response.getheader("Preference-Applied") == "odata.track-changes,odata.maxpagesize=2"
    rows, delta, _ = _initial(api, headers={"Prefer": "odata.track-changes,odata.maxpagesize=2"})
    assert len(rows) == 5 and "$deltatoken=" in delta


@pytest.mark.parametrize("option", ["$filter=name eq 'A'", "$orderby=name", "$expand=ownerid", "$top=1"])
def test_unsupported_options_with_track_changes(api, option):
    r = api.get(f"accounts?{option}", headers=TRACK)
    assert r.status_code == 400
    name = option.split("=")[0]
    assert r.json()["error"]["message"] == (f'The "{name}" query parameter isn\'t supported when Change Tracking '
                                            "is enabled.")


def test_expired_token_forces_full_resync(api, clock):
    api.create("accounts", {"name": "A"})
    _, delta, _ = _initial(api)
    clock.advance(days=6, hours=23)
    assert api.get(delta).status_code == 200
    clock.advance(days=1)
    r = api.get(delta)
    assert r.status_code == 500  # the code, not the status, says what happened
    assert r.json()["error"] == {"code": "0x80044352", "message": "Version stamp associated with the client has "
                                 "expired. Please perform a full sync."}
    r = api.get(delta.replace("$deltatoken=", "$deltatoken=zz"))
    assert r.status_code == 400


def test_delta_pages_large_change_sets(em, api):
    _, delta, _ = _initial(api)
    rows = [{"accountid": f"00000000-0000-0000-0000-{i:012d}", "name": f"N{i}"} for i in range(12)]
    em.store.load_org(DemoOrg(now=datetime(2026, 1, 1, tzinfo=UTC), tables={"account": rows}))
    for i in range(3):
        api.delete(f"accounts(00000000-0000-0000-0000-{i:012d})")
    url, values = delta, []
    while url:
        body = api.get(url, headers={"Prefer": "odata.track-changes,odata.maxpagesize=5"}).json()
        assert len(body["value"]) <= 5
        values += body["value"]
        url = body.get("@odata.nextLink")
        final = body
    assert "@odata.deltaLink" in final
    assert [v["name"] for v in values if "name" in v] == [f"N{i}" for i in range(3, 12)]
    assert [v["id"] for v in values if "reason" in v] == [f"00000000-0000-0000-0000-{i:012d}" for i in range(3)]


def test_untracked_table_rejects_track_changes(api):
    r = api.get("activityparties", headers=TRACK)
    assert r.status_code == 400
