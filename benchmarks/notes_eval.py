"""Evaluate notes analysis on the labelled development set.

Usage:
    .venv/bin/python benchmarks/notes_eval.py [tests/data/notes/dev.jsonl tests/data/notes/fresh*.jsonl]
        [--show-errors [SPLIT]] [--write-training connector/insights/notes/training_notes.jsonl]

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
from unittest import mock
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connector.insights.notes import INTENTS, analyze_text, learned  # noqa: E402

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


def _ratio(num: int, den: int) -> float | None:
    return round(num / den, 3) if den else None


def _set_name(record: dict) -> str:
    return "dev" if record["split"] in ("tune", "heldout") else record["split"]


def leave_one_set_out(records: list[dict]) -> dict:
    """Pooled scores of the rules alone and of rules + a learned model that never saw the scored set.

    The rules have been tuned on every labelled set, so their own recall here is optimistic; what this shows
    honestly is the precision the learned model costs (the notes it adds wrongly) and how many it adds.
    """
    names = list(dict.fromkeys(_set_name(r) for r in records))
    rules_only = {k: 9.0 for k in learned.THRESHOLDS}  # no probability reaches it: the model adds nothing
    pooled: dict[str, Counter] = {"rules": Counter(), "rules+learned": Counter()}
    for name in names:
        held = [r for r in records if _set_name(r) == name]
        train = [r for r in records if _set_name(r) != name]
        model = learned.fit([r["text"] for r in train], [frozenset(e["type"] for e in r["expected"]) for r in train])
        for label, thresholds in (("rules", rules_only), ("rules+learned", learned.THRESHOLDS)):
            with mock.patch.object(learned, "default_model", lambda m=model: m), \
                    mock.patch.object(learned, "THRESHOLDS", thresholds):
                for rec in held:
                    found = analyze_text(rec["text"], reference_time=dt.datetime.fromisoformat(rec["reference_time"]),
                                         timezone=rec["timezone"], lang=rec["lang"])
                    for intent in INTENTS:
                        exp = sum(e["type"] == intent for e in rec["expected"])
                        got = sum(s.intent == intent for s in found)
                        pooled[label][intent, "tp"] += min(exp, got)
                        pooled[label][intent, "fp"] += max(0, got - exp)
                        pooled[label][intent, "fn"] += max(0, exp - got)
    out: dict = {"sets": names}
    for label, c in pooled.items():
        out[label] = {k: {"precision": _ratio(c[k, "tp"], c[k, "tp"] + c[k, "fp"]),
                          "recall": _ratio(c[k, "tp"], c[k, "tp"] + c[k, "fn"]), "false_positives": c[k, "fp"]}
                      for k in INTENTS}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", default=[str(DEFAULT)])
    parser.add_argument("--show-errors", nargs="?", const="tune", default=None, metavar="SPLIT",
                        help="print the mismatches of one split (default tune) to stderr")
    parser.add_argument("--loso", action="store_true",
                        help="leave one set out: for each set, fit the learned model on the other sets given, score "
                             "that set with rules + that model, and compare with the rules alone")
    parser.add_argument("--write-training", metavar="PATH", default=None,
                        help="instead of scoring, write the notes as the learned model's training file "
                             "(connector/insights/notes/training_notes.jsonl) and stop")
    args = parser.parse_args()
    records = [json.loads(line) for path in args.paths
               for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.loso:
        print(json.dumps(leave_one_set_out(records), indent=1))
        return 0
    if args.write_training:
        rows = [{"text": r["text"], "lang": r["lang"], "intents": sorted({e["type"] for e in r["expected"]})}
                for r in records]
        Path(args.write_training).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                             encoding="utf-8")
        print(f"{len(rows)} notes written to {args.write_training}")
        return 0
    shown = (args.show_errors,) if args.show_errors else ()
    print(json.dumps(evaluate(records, shown), indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
