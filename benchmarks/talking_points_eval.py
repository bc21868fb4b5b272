"""Precision and recall per topic of talking-point detection on the labelled passages.

Usage: ``python benchmarks/talking_points_eval.py [SET.jsonl ...] [--errors] [--loso] [--strip-accents]``
(default: ``tests/data/talking_points/dev.jsonl`` and ``blind.jsonl`` … ``blind7.jsonl``; a new set is
scored by passing its path)

Each line of the set is ``{"id", "lang", "split", "topics", "text"}``. The ``split`` was fixed when the
set was written (every fourth passage is ``heldout``); the rules were tuned on ``dev`` only. Figures are
printed for both splits, per topic, with the language given (``lang``) and with automatic detection.
The ``blind*.jsonl`` sets were written in rounds, each labelled before its first run; the first run of
each is the estimate for unseen mail, after which it joined the tuning material (the table with every
first-run figure is in ``connector/insights/talking_points/README.md``). The dev/heldout passages were
all written by the same author before any rule, so even "heldout" shares their phrasing.
``--errors`` lists the mistakes on every set already tuned on (``dev`` and the blind sets whose first run is
recorded), never on ``heldout``; a new set passed by path is listed too, so score it without ``--errors`` first.
``--strip-accents`` scores every passage with its accents removed (mail typed on a keyboard without them).
``--loso`` asks whether a learned model would generalise better than the lexicon: for each ``blind*`` set, a
logistic regression per topic on word 1-2-grams and character 3-5-grams is trained on every *other* set
and scored on the left-out one, alone and combined with the lexicon (either says yes / both say yes).
"""

from __future__ import annotations

import json
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from anywhere without installing the package

from connector.insights.talking_points import TOPICS, analyze_text  # noqa: E402

DEFAULT = (ROOT / "tests" / "data" / "talking_points" / "dev.jsonl",
           ROOT / "tests" / "data" / "talking_points" / "blind.jsonl",
           ROOT / "tests" / "data" / "talking_points" / "blind2.jsonl",
           ROOT / "tests" / "data" / "talking_points" / "blind3.jsonl",
           ROOT / "tests" / "data" / "talking_points" / "blind4.jsonl",
           ROOT / "tests" / "data" / "talking_points" / "blind5.jsonl",
           ROOT / "tests" / "data" / "talking_points" / "blind6.jsonl",
           ROOT / "tests" / "data" / "talking_points" / "blind7.jsonl",
           ROOT / "tests" / "data" / "talking_points" / "blind8.jsonl",
           ROOT / "tests" / "data" / "talking_points" / "blind9.jsonl")


def evaluate(rows: list[dict], *, auto_lang: bool) -> dict[str, dict[str, float]]:
    """Per-topic precision, recall and support (number of passages labelled with the topic)."""
    tp = dict.fromkeys(TOPICS, 0)
    fp = dict.fromkeys(TOPICS, 0)
    fn = dict.fromkeys(TOPICS, 0)
    for row in rows:
        found = {p.topic for p in analyze_text(row["text"], "auto" if auto_lang else row["lang"])}
        truth = set(row["topics"])
        for t in TOPICS:
            tp[t] += t in found and t in truth
            fp[t] += t in found and t not in truth
            fn[t] += t not in found and t in truth
    out = {}
    for t in [*TOPICS, "ALL"]:
        a, b, c = (sum(d.values()) for d in (tp, fp, fn)) if t == "ALL" else (tp[t], fp[t], fn[t])
        out[t] = {"precision": a / (a + b) if a + b else 1.0, "recall": a / (a + c) if a + c else 1.0,
                  "support": a + c, "false_pos": b}
    return out


def _prf(pairs: list[tuple[set[str], set[str]]]) -> str:
    tp = sum(len(found & truth) for found, truth in pairs)
    fp = sum(len(found - truth) for found, truth in pairs)
    fn = sum(len(truth - found) for found, truth in pairs)
    return f"{tp / (tp + fp) if tp + fp else 1.0:.3f} / {tp / (tp + fn) if tp + fn else 1.0:.3f}"


def leave_one_set_out(rows: list[dict]) -> None:
    """Prints, per left-out blind set, P / R of an n-gram model trained on the other sets, of the lexicon
    (which has seen every set, so it is optimistic) and of the two combined."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_union

    from connector.insights.talking_points.text import clean_body

    print(f"\n{'left out':<10}{'model P / R':>16}{'lexicon P / R':>16}{'lex OR model':>16}{'lex AND model':>16}")
    for held in sorted({r["split"] for r in rows if r["split"].startswith("blind")}):
        train = [r for r in rows if r["split"] != held]
        test = [r for r in rows if r["split"] == held]
        vec = make_union(TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
                         TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, min_df=2))
        x_train = vec.fit_transform([clean_body(r["text"]) for r in train])
        x_test = vec.transform([clean_body(r["text"]) for r in test])
        likely: list[set[str]] = [set() for _ in test]
        possible: list[set[str]] = [set() for _ in test]
        for topic in TOPICS:
            y = np.array([topic in r["topics"] for r in train])
            model = LogisticRegression(C=10.0, class_weight="balanced", max_iter=2000).fit(x_train, y)
            proba = model.predict_proba(x_test)[:, 1]
            for i, p in enumerate(proba):
                if p >= 0.5:
                    likely[i].add(topic)
                if p >= 0.2:
                    possible[i].add(topic)
        truth = [set(r["topics"]) for r in test]
        lexicon = [{p.topic for p in analyze_text(r["text"], r["lang"])} for r in test]
        both = list(zip(lexicon, likely, possible, truth, strict=True))
        print(f"{held:<10}{_prf([(m, t) for _, m, _, t in both]):>16}{_prf([(x, t) for x, _, _, t in both]):>16}"
              f"{_prf([(x | m, t) for x, m, _, t in both]):>16}{_prf([(x & q, t) for x, _, q, t in both]):>16}")


def main(argv: list[str]) -> int:
    paths = [a for a in argv if not a.startswith("--")]
    rows = [json.loads(line) for p in (paths or DEFAULT) for line in Path(p).read_text("utf-8").splitlines() if line]
    if "--strip-accents" in argv:
        for r in rows:
            r["text"] = "".join(ch for ch in unicodedata.normalize("NFD", r["text"]) if not unicodedata.combining(ch))
    for split in dict.fromkeys(r["split"] for r in rows):
        part = [r for r in rows if r["split"] == split]
        for auto in (False, True):
            res = evaluate(part, auto_lang=auto)
            print(f"\n[{split}] {len(part)} passages ({sum(not r['topics'] for r in part)} without a topic), "
                  f"language {'auto-detected' if auto else 'given'}")
            print(f"{'topic':<14}{'precision':>10}{'recall':>8}{'support':>9}{'false+':>8}")
            for t, m in res.items():
                print(f"{t:<14}{m['precision']:>10.3f}{m['recall']:>8.3f}{m['support']:>9}{m['false_pos']:>8}")
    if "--loso" in argv:
        leave_one_set_out(rows)
    if "--errors" in argv:
        for r in rows:
            if r["split"] == "heldout":
                continue
            found = {p.topic: p.snippet for p in analyze_text(r["text"], r["lang"])}
            truth = set(r["topics"])
            if set(found) != truth:
                print(f"\n{r['id']} truth={sorted(truth)} found={sorted(found)}")
                for t, s in found.items():
                    print(f"   {t}: {s}")
                print("   TEXT:", r["text"][:300].replace("\n", " / "))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
