"""The demo-organisation generator: ``generate()`` and ``python -m emulator seed``.

``generate(size, seed, now)`` is pure and deterministic: the same arguments give the same
:class:`~emulator.org.DemoOrg` (rows, Graph users and mailboxes, truth), every timestamp relative to
``now``. The parts live in ``seed_people`` (sellers, accounts, contacts), ``seed_deals`` (leads,
opportunities), ``seed_events``/``seed_activity`` (activities and parties), ``seed_mail`` (Graph) and
``seed_notes``/``seed_text`` (text). What the data looks like is documented in README.seed.md.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np

from emulator import seed_text as tx
from emulator.org import DemoOrg
from emulator.seed_activity import make_activities
from emulator.seed_deals import Deals, make_leads, make_opportunities, sales_process
from emulator.seed_events import make_events
from emulator.seed_mail import make_directory, make_mailboxes
from emulator.seed_notes import make_note
from emulator.seed_people import CLASSES, Accounts, Contacts, Ctx, Sellers, make_accounts, make_contacts, make_sellers
from emulator.seed_util import DAY, business_time, epoch, guids, iso_list, lookup
from emulator.timezones import definition_rows

SIZES: dict[str, float] = {"XS": 0.1, "S": 1, "M": 10, "L": 50}
"""Scale units per size; XS (a tenth of S) keeps the chaos suite's many runs short."""
_SEED_KEYS = {"XS": 1000, "S": 1, "M": 10, "L": 50}
"""The integer each size adds to the random seed (S, M and L keep the organisations they always had)."""
TRUTH_VERSION = 1


def _notes(c: Ctx, s: Sellers, a: Accounts, ct: Contacts, leads: Deals, opps: Deals
           ) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """2,000 notes per scale unit on contacts, accounts, opportunities and leads, half with intents."""
    n = c.count(2000)
    rng, rnd = c.rng, c.rnd
    kind = rng.choice(4, size=n, p=[0.4, 0.25, 0.2, 0.15])
    idx = np.zeros(n, dtype=np.int64)
    sizes = (len(ct.ids), len(a.ids), len(opps.ids), len(leads.ids))
    for k, size in enumerate(sizes):
        m = kind == k
        idx[m] = rng.integers(0, size, int(m.sum()))
    created, end, owner = (np.zeros(n, dtype=np.int64) for _ in range(3))
    parts = ((ct.created, np.where(ct.dead_at > 0, ct.dead_at, c.now), ct.sellers[:, 0]),
             (a.created, np.full(len(a.ids), c.now), a.owner), (opps.created, opps.end, opps.owner),
             (leads.created, leads.end, leads.owner))
    for k, (cr, en, ow) in enumerate(parts):
        m = kind == k
        created[m], end[m], owner[m] = cr[idx[m]], en[idx[m]], ow[idx[m]]
    end = np.where(s.left_at[owner] > 0, np.minimum(end, s.left_at[owner]), end)
    t = created + (rng.random(n) * np.maximum(end - created, DAY)).astype(np.int64)
    t = np.clip(business_time(rng, t, s.offset[owner]), None, c.now - 600)
    t_iso = iso_list(t)
    ids = guids(rng, n)
    zones = {z: ZoneInfo(z) for z in sorted(set(s.tz))}
    tables = ("contact", "account", "opportunity", "lead")
    rows, truth = [], {}
    for i in range(n):
        k, j, o = int(kind[i]), int(idx[i]), int(owner[i])
        lang = "fr" if s.is_fr[o] else "en"
        record_ids = (ct.ids, a.ids, opps.ids, leads.ids)[k]
        name = (ct.names, a.names, opps.names, leads.names)[k][j]
        ref = datetime.fromtimestamp(int(t[i]), UTC).astimezone(zones[s.tz[o]])
        row = {"annotationid": ids[i], "objectid": lookup(record_ids[j], tables[k]),
               "ownerid": lookup(s.ids[o], "systemuser"), "createdon": t_iso[i], "modifiedon": t_iso[i],
               "isdocument": False, "filename": None, "mimetype": None}
        if rnd.random() < 0.04:
            fname = rnd.choice(("proposal.pdf", "devis.pdf", "minutes.docx", "pricing.xlsx"))
            mime = {"pdf": "application/pdf", "docx": "application/vnd.openxmlformats-officedocument."
                    "wordprocessingml.document", "xlsx": "application/vnd.openxmlformats-officedocument."
                    "spreadsheetml.sheet"}[fname.rsplit(".", 1)[1]]
            row.update({"subject": fname, "notetext": "Voir pièce jointe." if lang == "fr" else "See attachment.",
                        "isdocument": True, "filename": fname, "mimetype": mime})
            intents: list[dict[str, Any]] = []
        else:
            first, last = tx.person(rnd, lang)
            role, _ = tx.job(rnd, lang)
            handle = (f"{tx.ascii_slug(first)}.{tx.ascii_slug(last)}@{a.domains[rnd.randrange(len(a.ids))]}"
                      if rnd.random() < 0.6 else f"+33 6 {rnd.randint(10, 99)} {rnd.randint(10, 99)} "
                      f"{rnd.randint(10, 99)} {rnd.randint(10, 99)}")
            note = make_note(rnd, lang, ref, name.split(" ")[0] if k in (0, 3) else name, (first, last, role, handle),
                             rnd.random() < 0.5)
            row.update({"subject": note.subject or None, "notetext": note.text})
            intents = note.intents
        rows.append(row)
        truth[ids[i]] = {"language": lang, "reference": t_iso[i], "timezone": s.tz[o], "intents": intents}
    return rows, truth


def _deal_truth(d: Deals, labels: tuple[str, str]) -> dict[str, Any]:
    out = {}
    lat = {k: v.tolist() for k, v in d.latents.items()}
    for i, rid in enumerate(d.ids):
        outcome = (labels[0] if d.won[i] else labels[1]) if d.closed[i] else None
        out[rid] = {"propensity": round(float(d.propensity[i]), 4), "outcome": outcome,
                    **{k: round(v[i], 4) for k, v in lat.items()}}
    return out


def _contact_truth(s: Sellers, ct: Contacts) -> dict[str, Any]:
    out = {}
    active = {sid for sid, left in zip(s.ids, s.left_at.tolist(), strict=True) if left < 0}
    for i, cid in enumerate(ct.ids):
        weights: dict[str, float] = {}
        for slot in range(3):
            w = float(ct.weights[i, slot])
            if w > 0:
                sid = s.ids[ct.sellers[i, slot]]
                weights[sid] = round(weights.get(sid, 0.0) + w, 4)
        live = {k: v for k, v in weights.items() if k in active} or weights
        out[cid] = {"relationship": CLASSES[ct.cls[i]], "engagement": round(float(ct.engagement[i]), 4),
                    "responsiveness": round(float(ct.responsiveness[i]), 4), "user_weights": weights,
                    "strongest_user": max(live, key=lambda k: live[k])}
    return out


def generate(size: str = "S", seed: int = 0, *, now: datetime) -> DemoOrg:
    """Generate a demo organisation.

    Args:
        size: ``XS`` (a tenth of S, at least 8 sellers), ``S`` (about 20 sellers, 300 accounts, 1,500 contacts,
            1,000 leads, 600 opportunities, 50–60k activities, 2,000 notes), ``M`` (10x) or ``L`` (50x).
        seed: the random seed; the same seed, size and ``now`` give the same organisation.
        now: the reference time (aware, or naive meaning UTC); history runs two years back from it.

    Raises:
        ValueError: unknown ``size``, or ``seed`` is not a non-negative integer.
    """
    if size not in SIZES:
        raise ValueError(f"size must be one of {', '.join(SIZES)}, not {size!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, not {seed!r}")
    now_s = epoch(now)
    c = Ctx(np.random.default_rng([seed, _SEED_KEYS[size]]), random.Random(f"{seed}/{size}"), now_s, SIZES[size])
    s = make_sellers(c)
    a = make_accounts(c, s)
    ct = make_contacts(c, s, a)
    leads = make_leads(c, s, a, ct)
    opps = make_opportunities(c, s, a, ct, leads)
    events = make_events(c, s, a, ct, leads, opps)
    acts = make_activities(c, s, a, ct, leads, opps, events)
    notes, note_truth = _notes(c, s, a, ct, leads, opps)
    users, others = make_directory(c, s)
    boxes, message_topics = make_mailboxes(c, s, ct, others, acts.mail)
    tables = {"businessunit": s.bu_rows, "systemuser": s.rows, "usersettings": s.settings_rows,
              "timezonedefinition": definition_rows(), "account": a.rows, "contact": ct.rows,
              "lead": leads.rows, "opportunity": opps.rows, **acts.rows, "annotation": notes}
    tables["processstage"], tables["opportunitysalesprocess"] = sales_process(c, opps)
    truth = {
        "version": TRUTH_VERSION, "size": size, "seed": seed,
        "now": datetime.fromtimestamp(now_s, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "sellers": {sid: {"timezone": s.tz[i], "language": "fr" if s.is_fr[i] else "en",
                          "graph_user_id": s.aad[i], "disabled": bool(s.left_at[i] > 0)}
                    for i, sid in enumerate(s.ids)},
        "contacts": _contact_truth(s, ct),
        "leads": _deal_truth(leads, ("qualified", "disqualified")),
        "opportunities": _deal_truth(opps, ("won", "lost")),
        "notes": note_truth,
        "email_topics": acts.topics, "email_traps": acts.traps, "message_topics": message_topics,
    }
    return DemoOrg(now=datetime.fromtimestamp(now_s, UTC), tables=tables, graph_users=users, mailboxes=boxes,
                   truth=truth)


def counts(org: DemoOrg) -> dict[str, int]:
    """Rows per table, plus Graph users and messages."""
    out = {k: len(v) for k, v in org.tables.items()}
    out["graph_users"] = len(org.graph_users)
    out["graph_messages"] = sum(len(m) for m in org.mailboxes.values())
    return out


def write_truth(org: DemoOrg, db: str | Path) -> Path:
    """Write ``org.truth`` next to the database as ``<db>.truth.json``; returns its path."""
    path = Path(f"{db}.truth.json")
    path.write_text(json.dumps(org.truth, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return path


def load(org: DemoOrg, db: str | Path) -> None:
    """Bulk-load ``org`` (Dataverse rows and Graph mailboxes) into the emulator database at ``db``.

    Raises:
        FileExistsError: the database already holds an organisation.
        ValueError: the store rejected a row (it names the table, row and column).
    """
    from emulator.graph_api import GraphApi
    from emulator.store import Store

    store = Store(db)
    try:
        if store.count("account") or store.count("systemuser"):
            raise FileExistsError(f"{db} already holds an organisation; seed a new file")
        if store.graph is None:
            store.graph = GraphApi(store.connect, "http://127.0.0.1")
        store.load_org(org)
    finally:
        store.close()


def main(argv: list[str] | None = None) -> int:
    """``python -m emulator seed --db PATH --size S|M|L --seed N --now ISO``; returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m emulator seed", description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="SQLite file to create (must not hold an organisation)")
    parser.add_argument("--size", choices=list(SIZES), default="S")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--now", help="reference time, ISO 8601 (default: the current hour, UTC)")
    args = parser.parse_args(argv)
    try:
        now = datetime.fromisoformat(args.now.replace("Z", "+00:00")) if args.now else \
            datetime.now(UTC).replace(minute=0, second=0, microsecond=0)
    except ValueError:
        print(f"--now: not an ISO 8601 time: {args.now!r}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    try:
        org = generate(args.size, args.seed, now=now)
    except ValueError as exc:
        print(f"seed failed: {exc}", file=sys.stderr)
        return 2
    generated = time.perf_counter()
    try:
        load(org, args.db)
    except (FileExistsError, ValueError) as exc:
        print(f"seed failed: {exc}", file=sys.stderr)
        return 1
    truth = write_truth(org, args.db)
    print(json.dumps({"db": str(args.db), "truth": str(truth), "size": args.size, "seed": args.seed,
                      "now": org.truth["now"], "generate_s": round(generated - started, 2),
                      "load_s": round(time.perf_counter() - generated, 2), "counts": counts(org)}))
    return 0
