"""Evaluate notes analysis on the labelled development set.

Usage:
    .venv/bin/python benchmarks/notes_eval.py [tests/data/notes/dev.jsonl tests/data/notes/fresh*.jsonl]
        [--show-errors [SPLIT]]

Prints JSON: per split (``tune``: the part rules were tuned on; ``heldout``: a quarter never looked at while
tuning; ``fresh``..``fresh5``: later sets, each scored once before rules were changed because of it; ``all``)
the precision and recall of each intent, and date-time exact-match accuracy. An expected
suggestion matches a predicted one of the same type in the same note (counts, in order). A date-time is
correct when the predicted local wall-clock time (owner's zone) equals the label: ``YYYY-MM-DDTHH:MM`` for a
timed label, or a whole-day prediction on ``YYYY-MM-DD`` for a date label. ``datetime_accuracy`` counts only
matched suggestions; ``datetime_accuracy_end_to_end`` counts a missed suggestion as wrong.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connector.insights.notes import INTENTS, analyze_text  # noqa: E402

DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "data" / "notes" / "dev.jsonl"


def _local(value: dt.datetime | None, all_day: bool, tz: ZoneInfo) -> str | None:
    if value is None:
        return None
    local = value.astimezone(tz)
    return local.date().isoformat() if all_day else local.strftime("%Y-%m-%dT%H:%M")


def evaluate(records: list[dict], show_splits: tuple[str, ...]) -> dict:
    """Scores per split; prints the mismatches of the splits in ``show_splits`` to stderr."""
    scores: dict[str, dict] = {}
    splits = list(dict.fromkeys(r["split"] for r in records)) + ["all"]
    for split in splits:
        tp, fp, fn = Counter(), Counter(), Counter()
        dt_total = dt_matched = dt_correct = 0
        for rec in records:
            if split != "all" and rec["split"] != split:
                continue
            tz = ZoneInfo(rec["timezone"])
            found = analyze_text(rec["text"], reference_time=dt.datetime.fromisoformat(rec["reference_time"]),
                                 timezone=rec["timezone"], lang=rec["lang"])
            problems = []
            for intent in INTENTS:
                exp = [e for e in rec["expected"] if e["type"] == intent]
                got = [s for s in found if s.intent == intent]
                tp[intent] += min(len(exp), len(got))
                fp[intent] += max(0, len(got) - len(exp))
                fn[intent] += max(0, len(exp) - len(got))
                if len(exp) != len(got):
                    problems.append(f"{intent}: expected {len(exp)} got {len(got)}")
                for index, expected in enumerate(exp):
                    label = expected.get("start") or expected.get("due")
                    if label is None:
                        continue
                    dt_total += 1
                    if index >= len(got):
                        continue
                    dt_matched += 1
                    s = got[index]
                    value = _local(s.due if intent == "task" else s.start, s.all_day, tz)
                    if value == label:
                        dt_correct += 1
                    else:
                        problems.append(f"{intent} datetime: expected {label} got {value}")
            if problems and split in show_splits:
                print(f"{rec['id']}: {rec['text']!r}\n    " + "\n    ".join(problems), file=sys.stderr)
        per_intent = {}
        for intent in INTENTS:
            p_den, r_den = tp[intent] + fp[intent], tp[intent] + fn[intent]
            per_intent[intent] = {
                "precision": round(tp[intent] / p_den, 3) if p_den else None,
                "recall": round(tp[intent] / r_den, 3) if r_den else None,
                "expected": r_den, "predicted": p_den,
            }
        scores[split] = {
            "notes": sum(1 for r in records if split == "all" or r["split"] == split),
            "intents": per_intent,
            "datetime_accuracy": round(dt_correct / dt_matched, 3) if dt_matched else None,
            "datetime_accuracy_end_to_end": round(dt_correct / dt_total, 3) if dt_total else None,
            "datetime_labelled": dt_total, "datetime_matched": dt_matched,
        }
    return scores


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=[str(DEFAULT)])
    parser.add_argument("--show-errors", nargs="?", const="tune", default=None, metavar="SPLIT",
                        help="print the mismatches of one split (default tune) to stderr")
    args = parser.parse_args()
    records = [json.loads(line) for path in args.paths
               for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    shown = (args.show_errors,) if args.show_errors else ()
    print(json.dumps(evaluate(records, shown), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
