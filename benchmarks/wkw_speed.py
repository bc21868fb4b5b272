"""Who-knows-whom speed, and how many stored connections move when only the clock moves.

Usage::

    python benchmarks/wkw_speed.py INTERACTIONS.csv [REPEAT] [--code DIR]
    python benchmarks/wkw_speed.py --demo S|M [--runs 3] [--code DIR] [--clock]

With a CSV (e.g. ``.osi/enron_interactions.csv`` from ``benchmarks/enron_to_interactions.py``), the log is
repeated REPEAT times with shifted addresses to simulate a larger organisation, and
``connection_strengths`` (every address a person, unordered pairs) is timed at the log's last timestamp.

With ``--demo``, the canonical frames of the demo organisation of that size (seed 7, as of
2026-11-02 09:00 UTC; built once through the emulator and cached under ``.osi/wkw_bench``, see
``wkw_demo_frames.py``) go through what a sync does for who-knows-whom: the interactions frame, the pair
strengths, the ``osi_connection`` rows, and the whole producer. CPU seconds per stage, best of
``--runs``. ``no_change_rerun``: a run an hour later with no input change, which reuses the saved pair
aggregates (``refresh_aggregates``), re-evaluates them and rebuilds the rows (checked equal).

``--code DIR`` imports ``connector`` from another checkout (e.g. ``git archive main connector emulator |
tar -x -C /tmp/before``), so a before/after ratio is measured in one session on the same frames.

``--clock`` (demo only) computes the rows at T, T+1 h and then once a day for a week with no data
change, and prints the rows a sync would write (added, removed or with any stored column changed) at
each step, and their share of the rows.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent


def _cpu(fn: Callable[[], Any], runs: int) -> tuple[float, Any]:
    best, out = float("inf"), None
    for _ in range(runs):
        start = time.process_time()
        out = fn()
        best = min(best, time.process_time() - start)
    return best, out


def csv_mode(path: str, repeat: int) -> dict[str, Any]:
    """Time ``connection_strengths`` on a repeated e-mail log."""
    from connector.insights.wkw import connection_strengths
    from connector.interactions_csv import read_interactions_csv

    frame, _ = read_interactions_csv(path)
    copies = []
    for k in range(repeat):
        shift = (lambda a, k=k: f"{k}.{a}") if k else (lambda a: a)
        # Each copy is other people's mail: other addresses and other message ids (one id is one message).
        copies.append(frame.assign(sender=frame["sender"].map(shift),
                                   recipients=frame["recipients"].map(lambda xs, s=shift: [s(x) for x in xs]),
                                   cc=frame["cc"].map(lambda xs, s=shift: [s(x) for x in xs]),
                                   message_id=frame["message_id"].map(shift, na_action="ignore"),
                                   in_reply_to=frame["in_reply_to"].map(shift, na_action="ignore")))
    data = pd.concat(copies, ignore_index=True)
    now = data["timestamp"].max()
    cpu, out = _cpu(lambda: connection_strengths(data, now=now, internal=None), 1)
    return {"messages": len(data), "recipient_rows": int((data["recipients"].map(len) + data["cc"].map(len)).sum()),
            "pairs": len(out), "cpu_s": round(cpu, 2), "messages_per_cpu_s": round(len(data) / cpu)}


def _inputs(frames: dict[str, pd.DataFrame]) -> tuple[dict[str, str], dict[str, Any]]:
    from connector.insights.wkw.connections import Person

    users = frames["users"]
    user_by_address = {e: u for e, u in zip(users["email"], users["user_id"], strict=True) if isinstance(e, str)}
    people: dict[str, Any] = {}
    for frame, kind, id_col in (("leads", "lead", "lead_id"), ("contacts", "contact", "contact_id")):
        df = frames[frame]
        for email, pid, acc in zip(df["email"], df[id_col], df["parent_account_id"], strict=True):
            if isinstance(email, str) and email:
                people[email] = Person(str(pid), kind, None if pd.isna(acc) else str(acc))
    return user_by_address, people


def _producer(frames: dict[str, pd.DataFrame], now: datetime) -> pd.DataFrame:
    """The ``osi_connection`` rows exactly as the sync's producer computes them, in either code layout."""
    try:
        from connector.pipeline.registry import produce
    except ImportError:  # the layout before the one-producer contract
        from connector.pipeline import producers

        return producers._who_knows_whom(frames, producers.Context(now=now))["osi_connection"]
    return produce("who_knows_whom", frames, now=now).frames["osi_connection"]


def demo_mode(size: str, runs: int) -> dict[str, Any]:
    """Time the who-knows-whom stages on the demo organisation's frames."""
    from wkw_demo_frames import NOW, demo_frames

    from connector.insights.wkw import build_connections, connection_strengths
    from connector.pipeline.interactions import interactions_from

    frames = demo_frames(size)
    users, people = _inputs(frames)
    t_inter, interactions = _cpu(lambda: interactions_from(frames), runs)
    t_strength, strengths = _cpu(lambda: connection_strengths(interactions, now=NOW, internal=set(users)), runs)
    t_rows, rows = _cpu(lambda: build_connections(strengths, people=people, users=users), runs)
    t_total, _ = _cpu(lambda: _producer(frames, NOW), runs)
    result = {"size": size, "activities": len(frames["activities"]), "parties": len(frames["parties"]),
              "graph_messages": len(frames.get("mail", [])), "interactions": len(interactions),
              "pairs": len(strengths), "rows": len(rows),
              "cpu_s": {"interactions": round(t_inter, 2), "strengths": round(t_strength, 2),
                        "rows": round(t_rows, 2), "producer": round(t_total, 2)}}
    try:
        from connector.insights.wkw import pair_aggregates
    except ImportError:  # the previous code has no saved aggregates to reuse
        return result
    saved = pair_aggregates(interactions, now=NOW, internal=set(users))
    t_reuse, same = _cpu(lambda: _unchanged_rerun(saved, NOW + timedelta(hours=1), people, users), runs)
    result["cpu_s"]["no_change_rerun"] = round(t_reuse, 2)
    result["no_change_rerun_rows_equal"] = bool(same.equals(rows))
    return result


def _unchanged_rerun(saved: pd.DataFrame, now: datetime, people: dict[str, Any], users: dict[str, str]) -> Any:
    """A later run with no input change: reuse the saved aggregates, re-evaluate them, rebuild the rows."""
    from connector.insights.wkw import build_connections, next_change, refresh_aggregates, strengths_at

    aggregates, recomputed = refresh_aggregates(saved, now=now, inputs_changed=False, compute=lambda: saved)
    if recomputed:
        raise SystemExit("the saved aggregates were not reused")
    strengths = strengths_at(aggregates, now=now)
    next_change(strengths, people=people, users=users)
    return build_connections(strengths, people=people, users=users)


def _changed(before: pd.DataFrame, after: pd.DataFrame) -> dict[str, int]:
    a, b = before.set_index("osi_key"), after.set_index("osi_key")
    common = a.index.intersection(b.index)
    differs = pd.Series(False, index=common)
    per_column = {}
    for column in a.columns:
        left, right = a.loc[common, column], b.loc[common, column]
        moved = ~((left == right).fillna(False) | (left.isna() & right.isna()))
        per_column[column] = int(moved.sum())
        differs |= moved.to_numpy(dtype=bool)
    return {"added": len(b.index.difference(a.index)), "removed": len(a.index.difference(b.index)),
            "changed": int(differs.sum()), **{f"changed.{k}": v for k, v in per_column.items() if v}}


def _walk(frames: dict[str, pd.DataFrame], times: list[datetime]) -> dict[str, Any]:
    rows = [_producer(frames, t) for t in times]
    steps = []
    for k in range(1, len(times)):
        moved = _changed(rows[k - 1], rows[k])
        written = moved["added"] + moved["removed"] + moved["changed"]
        steps.append({"to": times[k].isoformat(), "rows": len(rows[k - 1]), "written": written,
                      "share": round(written / max(1, len(rows[k - 1])), 4), **moved})
    daily = [s["share"] for s in steps[1:]]
    return {"after_1h_written": steps[0]["written"], "daily_share_max": max(daily),
            "daily_share_mean": round(sum(daily) / len(daily), 4), "steps": steps}


def clock_mode(size: str) -> dict[str, Any]:
    """Rows at T, T+1 h and daily for a week with no data change; the share a sync would write each time."""
    from wkw_demo_frames import NOW, demo_frames

    times = [NOW, NOW + timedelta(hours=1), *(NOW + timedelta(days=d) for d in range(1, 8))]
    return {"size": size, **_walk(demo_frames(size), times)}


def main(argv: list[str]) -> int:
    """Parse arguments, run one mode, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="?", help="interactions CSV")
    parser.add_argument("repeat", nargs="?", type=int, default=1, help="copies of the log (CSV mode)")
    parser.add_argument("--demo", choices=["S", "M"], help="time the demo organisation of this size instead")
    parser.add_argument("--runs", type=int, default=3, help="repetitions per stage, best kept (demo mode)")
    parser.add_argument("--code", type=Path, help="import connector from this checkout instead of this one")
    parser.add_argument("--clock", action="store_true", help="demo mode: rows written as the clock moves")
    args = parser.parse_args(argv)
    if not args.csv and not args.demo:
        parser.error("give an interactions CSV or --demo SIZE")
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.path.insert(0, str(args.code.resolve() if args.code else ROOT))
    code = str(args.code or "this checkout")
    if args.demo:
        result = clock_mode(args.demo) if args.clock else demo_mode(args.demo, max(1, args.runs))
    else:
        result = csv_mode(args.csv, max(1, args.repeat))
    print(json.dumps({"code": code, **result}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
