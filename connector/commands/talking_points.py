"""``python -m connector talking-points analyze``: find talking points in texts, print JSON.

Input is either one TEXT argument or ``--file`` with JSON lines ``{"id", "text"}`` (optional ``senton``,
``lang``). Output is a JSON array, one object per input line: ``{"id", "lang", "talking_points": [...]}``,
each point with ``topic``, ``snippet``, ``confidence`` and ``span``. A malformed line gets an ``error``
naming the line and field instead of points; the others are still analysed (exit code 1 then).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from connector.insights.talking_points import TOPICS, analyze_text, detect_language
from connector.insights.talking_points.text import clean_body

MAX_TEXT_CHARS = 1_000_000
"""Longer texts are cut (the cleaner looks at the first 200,000 characters anyway)."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the ``talking-points`` command group."""
    group = subparsers.add_parser("talking-points", help="personal conversation starters found in e-mails")
    sub = group.add_subparsers(dest="talking_points_command", metavar="SUBCOMMAND", required=True)
    analyze = sub.add_parser("analyze", help="print the talking points of a text or a JSON-lines file")
    source = analyze.add_mutually_exclusive_group(required=True)
    source.add_argument("text", nargs="?", help="the e-mail text (plain or HTML)")
    source.add_argument("--file", type=Path, help='JSON lines {"id", "text"[, "senton", "lang"]}')
    analyze.add_argument("--lang", choices=("auto", "en", "fr"), default="auto",
                         help="language of every input, unless a line says otherwise (default: auto)")
    analyze.add_argument("--topics", default=",".join(TOPICS),
                         help=f"comma-separated topics to look for (default: all: {','.join(TOPICS)})")
    analyze.set_defaults(handler=_analyze)


def _one(record_id: object, text: object, lang: str, topics: list[str], senton: object) -> dict[str, Any]:
    result: dict[str, Any] = {"id": record_id}
    if senton is not None:
        result["senton"] = senton
    if not isinstance(text, str):
        result["error"] = "field 'text' is missing or not a string"
        result["talking_points"] = []
        return result
    text = text[:MAX_TEXT_CHARS]
    points = analyze_text(text, lang, topics)
    result["lang"] = points[0].lang if points else (detect_language(clean_body(text)) if lang == "auto" else lang)
    result["talking_points"] = [
        {"topic": p.topic, "snippet": p.snippet, "confidence": p.confidence, "span": list(p.span)} for p in points
    ]
    return result


def _analyze(args: argparse.Namespace) -> int:
    topics = [t.strip() for t in args.topics.split(",") if t.strip()]
    bad = [t for t in topics if t not in TOPICS]
    if bad:
        print(f"error: unknown topic(s) {bad}; expected some of {list(TOPICS)}", file=sys.stderr)
        return 2
    if args.file is None:
        json.dump([_one(None, args.text, args.lang, topics, None)], sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    results: list[dict[str, Any]] = []
    failed = 0
    with args.file.open(encoding="utf-8", errors="replace") as fh:
        for n, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError:
                record = None
            if not isinstance(record, dict):
                results.append({"id": None, "line": n, "error": f"line {n}: not a JSON object",
                                "talking_points": []})
                failed += 1
                continue
            given = record.get("lang")
            lang: str = given if isinstance(given, str) and given in ("auto", "en", "fr") else args.lang
            result = _one(record.get("id"), record.get("text"), lang, topics, record.get("senton"))
            if "error" in result:
                result["error"] = f"line {n}: {result['error']}"
                failed += 1
            results.append(result)
    json.dump(results, sys.stdout, ensure_ascii=False, indent=2)
    print()
    return 1 if failed else 0
