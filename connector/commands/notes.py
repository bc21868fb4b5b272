"""``python -m connector notes analyze``: try the notes analysis on text or a JSON-lines file."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from connector.errors import ConfigurationError
from connector.insights.notes import Suggestion, analyze_text


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``notes analyze``."""
    notes = subparsers.add_parser("notes", help="notes analysis (suggested activities from timeline notes)")
    sub = notes.add_subparsers(dest="notes_command", metavar="SUBCOMMAND", required=True)
    analyze = sub.add_parser(
        "analyze", help="print the suggestions found in TEXT or in each line of a JSON-lines file",
        description='Each input line is {"id", "text"} with optional "createdon" (ISO) and "lang". Output: one '
                    'JSON object per input with its "id" and "suggestions".',
    )
    analyze.add_argument("text", nargs="?", help="the note text (omit with --file)")
    analyze.add_argument("--file", type=Path, help="JSON-lines file of notes")
    analyze.add_argument("--lang", choices=("auto", "en", "fr"), default="auto")
    analyze.add_argument("--reference-time", required=True,
                         help="ISO datetime the note was written (naive = wall-clock time in --timezone); "
                              "a line's createdon overrides it")
    analyze.add_argument("--timezone", default="UTC", help="IANA time zone of the note's owner (default UTC)")
    analyze.set_defaults(handler=run_analyze)


def run_analyze(args: argparse.Namespace) -> int:
    """Analyse and print; exit 0, or 1 when some input lines were malformed (they are reported on stderr).

    Raises:
        ConfigurationError: bad arguments (no input, both inputs, bad time, unknown time zone).
    """
    if (args.text is None) == (args.file is None):
        raise ConfigurationError(["give either TEXT or --file, not both and not neither"])
    reference = _parse_time(args.reference_time, "--reference-time")
    if args.text is not None:
        _emit("1", _analyze(args.text, reference, args.timezone, args.lang))
        return 0
    failed = 0
    try:
        lines = args.file.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise ConfigurationError([f"cannot read --file {args.file}: {exc.strerror}"]) from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            if not isinstance(item, dict) or not isinstance(item.get("text", ""), str | None):
                raise ValueError("expected an object with a text string")
            created = _parse_time(item["createdon"], "createdon") if item.get("createdon") else reference
            lang = item.get("lang") or args.lang
            if lang not in ("auto", "en", "fr"):
                raise ValueError(f"unknown lang {lang!r}")
        except (ValueError, ConfigurationError) as exc:
            failed += 1
            print(f"line {number}: skipped: {exc}", file=sys.stderr)
            continue
        _emit(str(item.get("id", number)), _analyze(item.get("text"), created, args.timezone, lang))
    return 1 if failed else 0


def _analyze(text: str | None, reference: dt.datetime, timezone: str, lang: str) -> list[Suggestion]:
    return analyze_text(text, reference_time=reference, timezone=timezone, lang=lang)


def _emit(note_id: str, suggestions: list[Suggestion]) -> None:
    out: list[dict[str, Any]] = []
    for s in suggestions:
        entry: dict[str, Any] = {"type": s.intent, "span": list(s.span), "confidence": s.confidence,
                                 "payload": s.payload}
        if s.start is not None:
            entry["start"] = s.payload["start"]
        if s.end is not None:
            entry["end"] = s.payload["end"]
        if s.due is not None:
            entry["due"] = s.payload["due"]
        out.append(entry)
    print(json.dumps({"id": note_id, "suggestions": out}, ensure_ascii=False))


def _parse_time(value: object, name: str) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as exc:
        raise ConfigurationError([f"{name} must be an ISO datetime, got {str(value)[:40]!r}"]) from exc
