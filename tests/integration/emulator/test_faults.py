"""Fidelity: throttling (429 + Retry-After + service-protection body), 5xx, latency, dropped connections,
counters, bulk load and the ``serve`` command."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests

from emulator.org import DemoOrg

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]


def test_throttle_after_n_requests_in_sliding_window(em, api, clock):
    em.faults.throttle(route=r"/accounts", after=3, window_seconds=300, retry_after=2)
    assert [api.get("accounts").status_code for _ in range(3)] == [200, 200, 200]
    r = api.get("accounts")
    assert r.status_code == 429
    assert r.headers["Retry-After"] == "2"
    assert r.json() == {"error": {"code": "0x80072322", "message": "Number of requests exceeded the limit of 6000 "
                                  "over time window of 300 seconds."}}
    assert api.get("contacts").status_code == 200  # other routes are not throttled
    clock.advance(seconds=301)
    assert api.get("accounts").status_code == 200
    assert em.counters.snapshot()["faults"] == {"429": 1}


def test_fail_times_then_recover(em, api):
    em.faults.fail(route=r"/contacts", status=503, times=2)
    assert [api.get("contacts").status_code for _ in range(3)] == [503, 503, 200]
    em.faults.fail(route=r"\$batch", status=500, times=1)
    r = api.session.post(api.base + "$batch", data=b"", headers={"Content-Type": "multipart/mixed; boundary=b"})
    assert r.status_code == 500 and set(r.json()["error"]) == {"code", "message"}


def test_latency_and_clear(em, api):
    em.faults.latency(route=r"/accounts", seconds=0.3)
    started = time.perf_counter()
    assert api.get("accounts").status_code == 200
    assert time.perf_counter() - started >= 0.3
    em.faults.clear()
    started = time.perf_counter()
    api.get("accounts")
    assert time.perf_counter() - started < 0.3


def test_drop_closes_the_connection_without_an_answer(em, api):
    em.faults.drop(route=r"/accounts", times=1)
    with pytest.raises(requests.ConnectionError):
        requests.get(api.base + "accounts", headers={"Authorization": f"Bearer {em.token}"}, timeout=10)
    assert api.get("accounts").status_code == 200
    assert em.counters.snapshot()["faults"]["drop"] == 1


def test_graph_paths_throttle_with_graph_shape(em):
    em.faults.throttle(route=r"^/v1\.0/", after=0, retry_after=5)
    r = requests.get(em.url + "/v1.0/users", headers={"Authorization": f"Bearer {em.token}"}, timeout=10)
    assert r.status_code == 429 and r.headers["Retry-After"] == "5"
    assert r.json()["error"]["code"] == "TooManyRequests"


def test_counters_count_requests_bytes_and_writes(em, api):
    api.create("accounts", {"name": "A"})
    api.get("accounts")
    api.get("Nope")
    snap = em.counters.snapshot()
    assert snap["requests"] == {"POST accounts": 1, "GET accounts": 1, "GET Nope": 1}
    assert snap["writes"] == {"accounts": 1}
    assert snap["bytes_out"]["GET accounts"] > 0 and snap["total_requests"] == 3
    assert snap["statuses"] == {"204": 1, "200": 1, "404": 1}
    em.counters.reset()
    assert em.counters.snapshot()["total_requests"] == 0


def test_load_org_bulk_loads_lookups_versions_and_parties(em, api):
    user = "11111111-1111-1111-1111-111111111111"
    contact = "22222222-2222-2222-2222-222222222222"
    email = "33333333-3333-3333-3333-333333333333"
    org = DemoOrg(now=datetime(2026, 1, 1, tzinfo=UTC), tables={
        "systemuser": [{"systemuserid": user, "firstname": "Sam", "lastname": "Seller", "isdisabled": False}],
        "contact": [{"contactid": contact, "firstname": "Ann", "lastname": "Lee",
                     "ownerid": {"id": user, "logicalname": "systemuser"}, "createdon": "2025-01-01T00:00:00Z",
                     "modifiedon": "2025-02-01T00:00:00Z"}],
        "email": [{"activityid": email, "subject": "Hi", "directioncode": False, "senton": "2025-02-01T10:00:00Z",
                   "regardingobjectid": {"id": contact, "logicalname": "contact"}}],
        "activityparty": [{"activitypartyid": "44444444-4444-4444-4444-444444444444",
                           "activityid": {"id": email, "logicalname": "email"},
                           "partyid": {"id": contact, "logicalname": "contact"}, "participationtypemask": 1}],
    })
    em.store.load_org(org)
    assert em.store.count("contact") == 1 and em.store.count("activityparty") == 1
    body = api.get(f"contacts({contact})", headers={"Prefer": 'odata.include-annotations="*"'}).json()
    assert body["fullname"] == "Ann Lee" and body["_ownerid_value"] == user
    assert body["modifiedon"] == "2025-02-01T00:00:00Z"
    assert body["_ownerid_value@OData.Community.Display.V1.FormattedValue"] == "Sam Seller"
    mail = api.get(f"emails({email})?$expand=email_activity_parties").json()
    assert mail["senton"] == "2025-02-01T10:00:00Z" and mail["directioncode"] is False
    assert mail["email_activity_parties"][0]["_partyid_value"] == contact
    with pytest.raises(ValueError, match="unknown column 'bogus'"):
        em.store.load_org(DemoOrg(now=org.now, tables={"account": [{"accountid": user, "bogus": 1}]}))


def test_serve_command_prints_url_and_token(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "emulator", "serve", "--db", str(tmp_path / "o.sqlite"),
                             "--port", "0", "--token", "secret-t"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        lines = [proc.stdout.readline() for _ in range(3)]
        base = lines[0].split(": ", 1)[1].strip()
        assert base.endswith("/api/data/v9.2/") and "secret-t" in lines[2]
        r = requests.get(base + "WhoAmI", headers={"Authorization": "Bearer secret-t"}, timeout=10)
        assert r.status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_load_org_rejects_invalid_datetimes_naming_record_and_field(em):
    bad = DemoOrg(now=datetime(2026, 1, 1, tzinfo=UTC), tables={"opportunity": [
        {"opportunityid": "55555555-5555-5555-5555-555555555555", "name": "Deal",
         "estimatedclosedate": "4849437-07-03"}]})
    with pytest.raises(ValueError, match="opportunity row 55555555-.*'estimatedclosedate'.*not a valid date-time"):
        em.store.load_org(bad)
    assert em.store.count("opportunity") == 0
    good = DemoOrg(now=bad.now, tables={"opportunity": [
        {"opportunityid": "55555555-5555-5555-5555-555555555555", "name": "Deal", "estimatedclosedate": "2026-04-01"}]})
    em.store.load_org(good)


def test_throttle_on_a_schedule(em, api):
    em.faults.throttle_every(route=r"/leads", every=3, retry_after=1)
    statuses = [api.get("leads").status_code for _ in range(7)]
    assert statuses == [200, 200, 429, 200, 200, 429, 200]
    with pytest.raises(ValueError):
        em.faults.throttle_every(every=0)


def test_concurrency_limit(em, api):
    from concurrent.futures import ThreadPoolExecutor

    em.faults.latency(route=r"/tasks", seconds=0.4)
    em.faults.concurrency(route=r"/tasks", limit=2, retry_after=3)

    def call(_: int) -> requests.Response:
        return requests.get(api.base + "tasks", headers={"Authorization": f"Bearer {em.token}"}, timeout=10)

    with ThreadPoolExecutor(max_workers=5) as pool:
        answers = list(pool.map(call, range(5)))
    throttled = [r for r in answers if r.status_code == 429]
    assert 1 <= len(throttled) <= 3 and len(answers) - len(throttled) >= 2
    assert throttled[0].json()["error"]["code"] == "0x80072326" and throttled[0].headers["Retry-After"] == "3"
    assert call(0).status_code == 200
