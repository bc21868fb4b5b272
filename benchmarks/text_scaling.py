"""Time of notes and talking-point analysis against text length: linear growth, and the per-item cap.

Usage:
    .venv/bin/python benchmarks/text_scaling.py [--sizes 10000 100000 1000000] [--repeat 3]

For each size, a text of that many characters is built from the labelled sets' texts (notes from
``tests/data/notes/dev.jsonl``, e-mails from ``tests/data/talking_points/dev.jsonl``, one in five paragraphs
wrapped in HTML). Printed per size (JSON lines, best of ``--repeat`` runs):

- ``uncapped_s``: the analysis itself on the whole text (notes: clean + find hits + learned model; talking points:
  HTML to text + detect), to show the algorithm grows linearly (``us_per_char`` stays flat);
- ``item_s``: what a run pays for one item of that size, :func:`analyze_note` / :func:`analyze_email`, which
  read at most the first 100,000 (notes) / 200,000 (e-mail) characters, so the cost stops growing there.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from connector.insights.notes import Note, analyze_note, intents, language, learned  # noqa: E402  # noqa: E402
from connector.insights.notes import text as notetext  # noqa: E402
from connector.insights.talking_points import Email, analyze_email  # noqa: E402
from connector.insights.talking_points.detect import analyze_clean  # noqa: E402
from connector.insights.talking_points.text import html_to_text, strip_quoted, strip_signature  # noqa: E402

REFERENCE = dt.datetime(2026, 4, 28, 9, tzinfo=dt.UTC)


def _text(path: Path, size: int) -> str:
    texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    texts = [t for t in (strip_signature(strip_quoted(t)).strip() for t in texts) if t]  # one long body, no sign-off
    parts: list[str] = []
    length = index = 0
    while length < size:
        part = texts[index % len(texts)]
        part = f"<p>{part}</p>" if index % 5 == 0 else part + "\n"
        parts.append(part)
        length += len(part)
        index += 1
    return "".join(parts)[:size]


def _best(repeat: int, work: object) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return min(times)


def _notes_uncapped(text: str) -> None:
    plain = notetext.clean(text)
    pack = language.LANGUAGES[language.detect(plain, ("en", "fr"))]
    naive = REFERENCE.replace(tzinfo=None)
    learned.add_hits(plain, intents.find_hits(plain, pack, naive), pack, naive)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    learned.default_model()  # fitted once per process, and the cue patterns compiled once: not part of any size
    analyze_clean("warm up", "en")
    analyze_clean("warm up", "fr")
    for size in args.sizes:
        note = _text(ROOT / "tests" / "data" / "notes" / "dev.jsonl", size)
        mail = _text(ROOT / "tests" / "data" / "talking_points" / "dev.jsonl", size)
        rows = {
            "notes": (_best(args.repeat, lambda n=note: _notes_uncapped(n)),
                      _best(args.repeat, lambda n=note: analyze_note(Note("n", n, REFERENCE), timezone="UTC"))),
            "talking_points": (_best(args.repeat, lambda m=mail: analyze_clean(html_to_text(m), "en")),
                               _best(args.repeat, lambda m=mail: analyze_email(Email("e", "c", m, REFERENCE)))),
        }
        for name, (uncapped, item) in rows.items():
            print(json.dumps({"analysis": name, "chars": size, "uncapped_s": round(uncapped, 3),
                              "us_per_char": round(uncapped / size * 1e6, 2), "item_s": round(item, 3)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
