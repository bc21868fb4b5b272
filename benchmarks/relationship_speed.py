"""Time the relationship insights on synthetic canonical frames of size M.

Usage: ``python benchmarks/relationship_speed.py [--contacts 10000] [--activities 600000] [--seed 7]``

Size M: 10k contacts in 2k accounts, 3k leads, 3k opportunities, 200 users, 600k activities (60 %
e-mails, 15 % meetings, 15 % calls, 10 % tasks) over two years, about 1.2M activity parties. E-mails
come in threads (conversation id or subjects). Prints wall and CPU seconds (on a shared machine the CPU
seconds are the figure that does not depend on the neighbours' load) of three runs on the same frames:

- ``fit``: no stored models, so the health models are fitted first (the first run of a month);
- ``stored models``: with the models of the first run (what every other run does);
- ``subset``: the same, for 1 % of the contacts and opportunities only (``only=``), and its ratio to the
  stored-models run.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connector.insights.relationship import relationship_insights  # noqa: E402


def synthetic_frames(n_contacts: int, n_activities: int, seed: int, now: pd.Timestamp) -> dict[str, pd.DataFrame]:
    """Canonical frames of the given size (deterministic for a seed)."""
    rng = np.random.default_rng(seed)
    n_users, n_accounts, n_leads, n_opps = 200, max(1, n_contacts // 5), n_contacts * 3 // 10, n_contacts * 3 // 10
    users = [f"u{i}" for i in range(n_users)]
    accounts = [f"a{i}" for i in range(n_accounts)]
    contacts = [f"c{i}" for i in range(n_contacts)]
    leads = [f"l{i}" for i in range(n_leads)]
    opps = [f"o{i}" for i in range(n_opps)]
    contact_account = rng.integers(0, n_accounts, n_contacts)
    frames = {
        "users": pd.DataFrame({"user_id": users, "fullname": [f"User {i}" for i in range(n_users)],
                               "email": [f"{u}@us.example" for u in users]}),
        "accounts": pd.DataFrame({"account_id": accounts, "name": accounts,
                                  "primary_contact_id": [contacts[i] for i in rng.integers(0, n_contacts, n_accounts)],
                                  "created_on": now - pd.Timedelta(days=900)}),
        "contacts": pd.DataFrame({"contact_id": contacts, "fullname": contacts,
                                  "email": [f"{c}@cust.example" for c in contacts],
                                  "parent_account_id": [accounts[i] for i in contact_account],
                                  "created_on": now - pd.Timedelta(days=800)}),
        "leads": pd.DataFrame({"lead_id": leads, "fullname": leads, "owner_id": rng.choice(users, n_leads),
                               "state_code": rng.choice([0, 0, 1, 2], n_leads),
                               "created_on": now - pd.to_timedelta(rng.integers(1, 900, n_leads), unit="D")}),
        "opportunities": pd.DataFrame({
            "opportunity_id": opps, "owner_id": rng.choice(users, n_opps),
            "account_id": [accounts[i] for i in rng.integers(0, n_accounts, n_opps)],
            "contact_id": rng.choice(contacts, n_opps), "state_code": rng.choice([0, 0, 1, 2], n_opps),
            "sales_stage": rng.integers(0, 4, n_opps),
            "created_on": now - pd.to_timedelta(rng.integers(1, 900, n_opps), unit="D")}),
    }
    n = n_activities
    kind = rng.choice(["email", "appointment", "phonecall", "task"], n, p=[0.6, 0.15, 0.15, 0.1])
    when = now - pd.to_timedelta(rng.integers(-30 * 86400, 730 * 86400, n), unit="s")
    ids = np.char.add("act", np.arange(n).astype(str))
    contact_of = rng.integers(0, n_contacts, n)
    user_of = rng.integers(0, n_users, n)
    regarding = np.where(rng.random(n) < 0.3, rng.choice(opps, n), None)
    thread = rng.integers(0, n // 4, n)
    frames["activities"] = pd.DataFrame({
        "activity_id": ids, "activity_type": kind, "subject": np.char.add("Topic ", (thread % 5000).astype(str)),
        "direction": np.where(rng.random(n) < 0.5, "outgoing", "incoming"),
        "state_code": np.where(when > now, 3, 1), "owner_id": np.array(users)[user_of],
        "regarding_id": regarding, "occurred_on": when, "scheduled_start": when,
        "duration_minutes": np.where(rng.random(n) < 0.8, rng.integers(5, 90, n), np.nan),
        "conversation_id": np.where(rng.random(n) < 0.5, np.char.add("conv", thread.astype(str)), None),
        "message_id": np.char.add("<m", np.char.add(ids, "@x>")),
        "created_on": when, "modified_on": when,
    })
    outgoing = frames["activities"]["direction"].eq("outgoing").to_numpy()
    from_role = np.where(kind == "appointment", 7, 1)
    to_role = np.where(kind == "appointment", 5, 2)
    party_rows = {
        "activity_id": np.concatenate([ids, ids]),
        "party_id": np.concatenate([np.where(outgoing, np.array(users)[user_of], np.array(contacts)[contact_of]),
                                    np.where(outgoing, np.array(contacts)[contact_of], np.array(users)[user_of])]),
        "participation": np.concatenate([from_role, to_role]),
    }
    keep = np.concatenate([kind != "task", kind != "task"])
    parties = pd.DataFrame({k: v[keep] for k, v in party_rows.items()})
    cc = (kind == "email") & (rng.random(n) < 1 / 3)  # a colleague in Cc of a third of the e-mails
    extra = pd.DataFrame({"activity_id": ids[cc], "party_id": rng.choice(users, int(cc.sum())), "participation": 3})
    frames["parties"] = pd.concat([parties, extra], ignore_index=True)
    return frames


def _timed(label: str, fn, records: int | None = None):  # type: ignore[no-untyped-def]
    start, cpu_start = time.perf_counter(), time.process_time()
    out = fn()
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    rows = records if records is not None else sum(len(v) for v in out.tables.values())
    print(f"{label}: {wall:.1f} s wall, {cpu:.1f} s CPU for {rows} records", flush=True)
    return out, cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--activities", type=int, default=600_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    now = pd.Timestamp("2026-06-01", tz="UTC")
    frames = synthetic_frames(args.contacts, args.activities, args.seed, now)
    print(f"activities={len(frames['activities'])} parties={len(frames['parties'])} "
          f"contacts={len(frames['contacts'])} accounts={len(frames['accounts'])} "
          f"leads={len(frames['leads'])} opportunities={len(frames['opportunities'])}")
    first, _ = _timed("fit (no stored models)", lambda: relationship_insights(frames, now=now))
    print("models: " + ", ".join(f"{k} {m.kind}" for k, m in first.models.items()))
    later = now + pd.Timedelta(hours=4)
    _, full = _timed("stored models", lambda: relationship_insights(frames, now=later, models=first.models))
    only = {"contact": list(frames["contacts"]["contact_id"][:: 100]),
            "opportunity": list(frames["opportunities"]["opportunity_id"][:: 100])}
    n = sum(len(v) for v in only.values())
    _, part = _timed("subset (1 %)", lambda: relationship_insights(frames, now=later, models=first.models, only=only),
                     records=n)
    print(f"subset / stored models CPU: {part / full:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
