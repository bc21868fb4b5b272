"""Date/time resolution accuracy on Microsoft Recognizers-Text DateTime specs (English and French).

Usage:
    .venv/bin/python benchmarks/notes_datetime_specs.py DATASET_DIR [--show-errors en|fr]

DATASET_DIR holds ``English_DateTimeModel.json`` and ``French_DateTimeModel.json``. Counted: cases with a
``ReferenceDateTime`` and exactly one expected entity of type ``datetimeV2.date``, ``.time`` or ``.datetime``
with exactly one resolution value (cases with two values are ambiguous past/future readings and are
skipped, as are ranges, durations, sets and cases with several entities). A case is correct when one of our
mentions overlaps the expected span and resolves to the expected value (the date for ``date``, the time of
day for ``time``, both for ``datetime``; an impossible date such as "Feb 30", expected ``not resolved``, is
correct when we resolve nothing). Prints JSON per language: counted, skipped by reason, recognised
(a mention overlaps the span), correct, accuracy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from connector.insights.notes.dates.core import combine, resolve_local  # noqa: E402
from connector.insights.notes.language import LANGUAGES  # noqa: E402

FILES = {"en": "English_DateTimeModel.json", "fr": "French_DateTimeModel.json"}
TYPES = {"datetimeV2.date": "date", "datetimeV2.time": "time", "datetimeV2.datetime": "datetime"}


def _expected(case: dict) -> tuple[str | None, tuple[str, int, int, str] | None]:
    """(skip reason, (kind, start, end, value))."""
    reference = (case.get("Context") or {}).get("ReferenceDateTime")
    results = case.get("Results") or []
    if not reference:
        return "no reference date", None
    if len(results) != 1:
        return f"{len(results)} entities", None
    result = results[0]
    kind = TYPES.get(result.get("TypeName", ""))
    if kind is None:
        return result.get("TypeName", "untyped").replace("datetimeV2.", ""), None
    values = [v for v in (result.get("Resolution") or {}).get("values", []) if "value" in v]
    if len(values) != 1:
        return "ambiguous (several values)", None
    return None, (kind, int(result["Start"]), int(result["End"]) + 1, values[0]["value"])


def _ours(kind: str, day: dt.date, time: dt.time | None) -> str | None:
    if kind == "date":
        return day.isoformat() if time is None else None
    if time is None:
        return None
    if kind == "time":
        return time.strftime("%H:%M:%S")
    return f"{day.isoformat()} {time.strftime('%H:%M:%S')}"


def evaluate(path: Path, lang: str, show_errors: bool) -> dict:
    """Scores for one language file."""
    cases = json.loads(path.read_text(encoding="utf-8-sig"))
    pack = LANGUAGES[lang]
    skipped: Counter[str] = Counter()
    by_kind: Counter[str] = Counter()
    correct_kind: Counter[str] = Counter()
    recognised = 0
    for case in cases:
        reason, expected = _expected(case)
        if expected is None:
            skipped[reason or "?"] += 1
            continue
        kind, start, end, value = expected
        by_kind[kind] += 1
        reference = dt.datetime.fromisoformat(case["Context"]["ReferenceDateTime"])
        text = case["Input"]
        mentions = [m for m in combine(pack.find_pieces(text, reference), text) if m.start < end and m.end > start]
        got = None
        if mentions:
            recognised += 1
            best = max(mentions, key=lambda m: min(m.end, end) - max(m.start, start))
            got = _ours(kind, *resolve_local(best, reference))
        if got == value or (value == "not resolved" and got is None):
            correct_kind[kind] += 1
        elif show_errors:
            print(f"[{kind}] {text!r} ref={reference:%Y-%m-%d %a} expected {value} got {got}", file=sys.stderr)
    counted = sum(by_kind.values())
    correct = sum(correct_kind.values())
    return {
        "cases": len(cases), "counted": counted, "recognised": recognised, "correct": correct,
        "accuracy": round(correct / counted, 3) if counted else None,
        "by_type": {k: {"counted": by_kind[k], "correct": correct_kind[k],
                        "accuracy": round(correct_kind[k] / by_kind[k], 3)} for k in sorted(by_kind)},
        "skipped": dict(skipped.most_common()),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dataset_dir", type=Path)
    parser.add_argument("--show-errors", choices=tuple(FILES), help="print the misses of one language to stderr")
    args = parser.parse_args()
    report = {lang: evaluate(args.dataset_dir / name, lang, args.show_errors == lang) for lang, name in FILES.items()}
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
