"""Benchmark: rows/s the emulator serves for 5,000-row pages with 10 selected columns.

Loads synthetic accounts straight through ``Store.load_org`` (no generator needed), then pages through them over
HTTP on loopback with ``Prefer: odata.maxpagesize=5000`` and times one-record reads, once with one TCP connection
per request (the emulator's old behaviour) and once with persistent connections, in the same run, and prints one
JSON object.

    .venv/bin/python benchmarks/emulator_serving.py [--rows 50000] [--repeat 3] [--small 500]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
import uuid
from datetime import UTC, datetime, timedelta

import requests

from emulator.org import DemoOrg
from emulator.server import API_PREFIX, Emulator

SELECT = ("name,emailaddress1,telephone1,address1_city,address1_country,industrycode,numberofemployees,revenue,"
          "_ownerid_value,modifiedon")


def make_org(n: int, seed: int) -> DemoOrg:
    """A DemoOrg holding ``n`` synthetic accounts and 20 users."""
    rng = random.Random(seed)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    users = [{"systemuserid": str(uuid.UUID(int=rng.getrandbits(128))), "firstname": f"User{i}", "lastname": "Seller"}
             for i in range(20)]
    accounts = []
    for i in range(n):
        stamp = (now - timedelta(minutes=rng.randrange(1_000_000))).strftime("%Y-%m-%dT%H:%M:%SZ")
        accounts.append({
            "accountid": str(uuid.UUID(int=rng.getrandbits(128))), "name": f"Account {i:06d} Ltd",
            "emailaddress1": f"info{i}@example.com", "telephone1": f"+1 555 {i:07d}",
            "address1_city": rng.choice(["Paris", "Lyon", "Boston", "Austin"]),
            "address1_country": rng.choice(["France", "United States"]), "industrycode": rng.randrange(1, 34),
            "numberofemployees": rng.randrange(1, 50_000), "revenue": round(rng.uniform(1e4, 1e9), 2),
            "ownerid": {"id": rng.choice(users)["systemuserid"], "logicalname": "systemuser"},
            "statecode": 0, "statuscode": 1, "createdon": stamp, "modifiedon": stamp,
            "description": "Synthetic account for the serving benchmark.",
        })
    return DemoOrg(now=now, tables={"systemuser": users, "account": accounts})


def _page_through(em: Emulator, session: requests.Session, repeat: int) -> tuple[float, int, int, list[float]]:
    """Best wall time over ``repeat`` full reads of the accounts, rows, pages and every page's time."""
    best, rows, pages, page_times = float("inf"), 0, 0, []
    for _ in range(repeat):
        url: str | None = f"{em.url}{API_PREFIX}accounts?$select={SELECT}"
        rows = pages = 0
        started = time.perf_counter()
        while url:
            t0 = time.perf_counter()
            response = session.get(url, timeout=60)
            response.raise_for_status()
            body = response.json()
            page_times.append(time.perf_counter() - t0)
            rows += len(body["value"])
            pages += 1
            url = body.get("@odata.nextLink")
        best = min(best, time.perf_counter() - started)
    return best, rows, pages, page_times


def _small_requests(em: Emulator, session: requests.Session, count: int, record_id: str) -> float:
    """Requests per second for ``count`` reads of one record by id (where connection set-up weighs most)."""
    url = f"{em.url}{API_PREFIX}accounts({record_id})?$select=name"
    started = time.perf_counter()
    for _ in range(count):
        session.get(url, timeout=60).raise_for_status()
    return count / (time.perf_counter() - started)


def measure(org: DemoOrg, *, keep_alive: bool, repeat: int, small: int) -> dict[str, float]:
    """Serve ``org`` with or without persistent connections and measure large pages and small requests."""
    with Emulator(keep_alive=keep_alive) as em:
        assert em.store is not None
        started = time.perf_counter()
        em.store.load_org(org)
        load_s = time.perf_counter() - started
        session = requests.Session()
        session.headers.update({"Authorization": f"Bearer {em.token}", "Accept": "application/json",
                                "Prefer": "odata.maxpagesize=5000"})
        em.counters.reset()
        best, rows, pages, page_times = _page_through(em, session, repeat)
        snap = em.counters.snapshot()
        small_rps = _small_requests(em, session, small, org.tables["account"][0]["accountid"])
        connections = em.counters.snapshot()["connections"]
    median_page = sorted(page_times)[len(page_times) // 2]
    server_s = snap["server_seconds"]["GET accounts"]
    served = snap["requests"]["GET accounts"] * rows / pages
    return {"rows": rows, "pages": pages, "best_seconds": round(best, 4), "rows_per_second": round(rows / best),
            "median_page_seconds": round(median_page, 4), "rows_per_second_median_page": round(5000 / median_page),
            "server_rows_per_second": round(served / server_s), "small_requests_per_second": round(small_rps, 1),
            "tcp_connections": connections, "load_org_seconds": round(load_s, 3),
            "load_rows_per_second": round((len(org.tables["account"]) + 20) / load_s)}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark (one connection per request, then persistent connections) and print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--small", type=int, default=500, help="one-record reads timed per mode")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    org = make_org(args.rows, args.seed)
    closing = measure(org, keep_alive=False, repeat=args.repeat, small=args.small)
    kept = measure(org, keep_alive=True, repeat=args.repeat, small=args.small)
    print(json.dumps({
        "benchmark": "emulator_serving", "selected_columns": 10, "page_size": 5000, **kept,
        "connection_close": closing,
        "keep_alive_vs_close": {
            "rows_per_second": round(kept["rows_per_second"] / closing["rows_per_second"], 3),
            "small_requests_per_second": round(kept["small_requests_per_second"]
                                               / closing["small_requests_per_second"], 3)},
        "loadavg_1min": os.getloadavg()[0], "cpus": os.cpu_count(),
        "note": "rows_per_second: client wall time incl. HTTP on loopback and JSON decoding by requests; "
                "server_rows_per_second: time inside the emulator (query, serialisation) only; both modes are "
                "measured in this run (connection_close: one TCP connection per request, as before keep-alive)",
    }, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
