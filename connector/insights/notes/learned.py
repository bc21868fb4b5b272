"""A learned second opinion for the intents the lexicon misses most often on new wording.

The rules are precise but every new set of notes brings phrasings the lexicon lacks (see the README's
first-run figures). A linear model on word and character n-grams, trained on the labelled notes shipped
with the package (``training_notes.jsonl``), reads those phrasings by their resemblance to known ones. It
only *adds* an intent the rules did not find in the note, and only for the intents where leave-one-set-out
evaluation showed a recall gain at a small precision cost (:data:`MODEL_INTENTS`). Appointments and tasks
are left to the rules: the model's guesses there cost more precision than they gained.

The model is fitted once per process, on first use, from the shipped text file: deterministic (the same
data gives the same coefficients), no pickled object, no I/O after that. Fitting takes well under a second.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from dataclasses import dataclass, field
from importlib import resources

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion
from threadpoolctl import threadpool_limits

from connector.insights.notes import extract, guards, intents
from connector.insights.notes.dates.core import combine, is_future
from connector.insights.notes.language import LanguagePack
from connector.insights.notes.lexicon import Lexicon

MODEL_INTENTS = ("phone_call", "new_contact", "content_request", "issue")
"""Intents the model may add."""

THRESHOLDS = {"phone_call": 0.6, "new_contact": 0.6, "content_request": 0.6, "issue": 0.7}
"""Probability (for the whole note) at or above which the model adds an intent the rules missed. Leave-one-set-out
on the 596 labelled notes, the notes it adds wrongly cost 2-5 points of precision per intent at these values.
Issues need more: notes that only mention a competitor ("they use a competitor for payroll") score 0.6-0.7."""

LANGUAGES = frozenset({"en", "fr"})
"""Languages the training notes are written in; other languages get the rules only."""

TRAINING_FILE = "training_notes.jsonl"
"""One JSON object a line: ``text``, ``lang``, ``intents`` (the intent names the note holds)."""


_TOKEN = re.compile(r"(?u)\b\w\w+\b")
_RUNS = re.compile(r"\s\s+")


@dataclass(frozen=True)
class IntentModel:
    """Word (1-2) and character (2-5, within words) n-gram TF-IDF features, one logistic regression per intent.

    Fitted with scikit-learn, then kept as plain vocabularies and weights: scoring one short note through
    scikit-learn's pipeline costs milliseconds of checks, this costs microseconds and gives the same numbers
    (see the unit test).

    Attributes:
        words: word n-gram → column; ``chars``: character n-gram → column (after the word columns).
        idf: inverse document frequency of every column.
        coef: intents × columns weights; ``intercept``: one per intent; ``intents``: their order.
    """

    words: dict[str, int]
    chars: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray
    intercept: np.ndarray
    intents: tuple[str, ...]
    _cache: dict[str, np.ndarray] = field(default_factory=dict, repr=False, compare=False)

    def probabilities(self, texts: list[str]) -> dict[str, np.ndarray]:
        """Probability of each intent for each text."""
        out = np.array([self._decision(t.lower()) for t in texts]).reshape(len(texts), len(self.intents))
        probs = 1.0 / (1.0 + np.exp(-out))
        return {k: probs[:, i] for i, k in enumerate(self.intents)}

    def _decision(self, text: str) -> np.ndarray:
        total = self.intercept.copy()
        # Character n-grams never cross words, so each word's columns are computed once and reused.
        chars = [self._word_columns(w) for w in _RUNS.sub(" ", text).split()]
        words = [c for g in _word_grams(text) if (c := self.words.get(g)) is not None]
        for cols in (np.array(words, dtype=np.int64), np.concatenate(chars) if chars else _NONE):
            if not cols.size:
                continue
            unique, counts = np.unique(cols, return_counts=True)
            weights = (1.0 + np.log(counts)) * self.idf[unique]
            total += self.coef[:, unique] @ weights / np.sqrt(weights @ weights)
        return total

    def _word_columns(self, word: str) -> np.ndarray:
        cached = self._cache.get(word)
        if cached is None:
            cached = np.array([c for g in _char_grams(word) if (c := self.chars.get(g)) is not None], dtype=np.int64)
            if len(self._cache) < _CACHE_WORDS:
                self._cache[word] = cached
        return cached


_NONE = np.zeros(0, dtype=np.int64)
_CACHE_WORDS = 200_000
"""Words whose character n-gram columns are kept (notes repeat the same words; this bounds the memory)."""


def _count(grams: list[str], vocabulary: dict[str, int]) -> dict[int, int]:
    counts: dict[int, int] = {}
    for gram in grams:
        col = vocabulary.get(gram)
        if col is not None:
            counts[col] = counts.get(col, 0) + 1
    return counts


def _word_grams(text: str) -> list[str]:
    tokens = _TOKEN.findall(text)
    return tokens + [f"{a} {b}" for a, b in zip(tokens, tokens[1:], strict=False)]


def _char_grams(text: str) -> list[str]:
    grams = []
    for word in _RUNS.sub(" ", text).split():
        padded = f" {word} "
        for n in range(2, 6):
            if len(padded) <= n:  # a word no longer than n gives itself once, as scikit-learn counts it
                grams.append(padded)
                break
            grams.extend(padded[i:i + n] for i in range(len(padded) - n + 1))
    return grams


def fit(texts: list[str], labels: list[frozenset[str]], intents_to_fit: tuple[str, ...] = MODEL_INTENTS,
        ) -> IntentModel:
    """Fit the model on labelled notes.

    Args:
        texts: note texts.
        labels: for each text, the intents it holds.
        intents_to_fit: one classifier each.

    Returns:
        The fitted model.

    Raises:
        ValueError: ``texts`` and ``labels`` differ in length, or an intent has no positive or no negative note.
    """
    if len(texts) != len(labels):
        raise ValueError(f"{len(texts)} texts but {len(labels)} label sets")
    features = _features()
    matrix = features.fit_transform([t.lower() for t in texts])
    coef, intercept = [], []
    # One BLAS thread: on a busy 2-core host, threaded BLAS made this small fit forty times slower (6 s vs 0.15 s).
    with threadpool_limits(limits=1):
        for intent in intents_to_fit:
            target = np.array([intent in label for label in labels])
            if target.all() or not target.any():
                raise ValueError(f"intent {intent!r} needs both positive and negative training notes")
            clf = LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000).fit(matrix, target)
            coef.append(clf.coef_[0])
            intercept.append(clf.intercept_[0])
    word_vec, char_vec = (v for _, v in features.transformer_list)
    width = len(word_vec.vocabulary_)
    return IntentModel({g: int(c) for g, c in word_vec.vocabulary_.items()},
                       {g: int(c) + width for g, c in char_vec.vocabulary_.items()},
                       np.concatenate([word_vec.idf_, char_vec.idf_]), np.array(coef), np.array(intercept),
                       tuple(intents_to_fit))


def fit_pipeline(texts: list[str], labels: list[frozenset[str]], intent: str,
                 ) -> tuple[FeatureUnion, LogisticRegression]:
    """The scikit-learn objects :func:`fit` starts from, for one intent (used to check :class:`IntentModel`)."""
    features = _features()
    matrix = features.fit_transform([t.lower() for t in texts])
    target = np.array([intent in label for label in labels])
    return features, LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000).fit(matrix, target)


def _features() -> FeatureUnion:
    return FeatureUnion([
        ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)),
    ])


@functools.cache
def default_model() -> IntentModel:
    """The model fitted on the labelled notes shipped with the package (once per process).

    Raises:
        OSError: the training file is missing from the installation.
        ValueError: the training file is malformed.
    """
    rows = [json.loads(line) for line in resources.files(__package__).joinpath(TRAINING_FILE)
            .read_text(encoding="utf-8").splitlines() if line.strip()]
    return fit([r["text"] for r in rows], [frozenset(r["intents"]) for r in rows])


_INCUMBENT = re.compile(r"\b(?:use|uses|using|work\s+with|works\s+with|are\s+with|utilisent|utilise|travaillent\s+avec)"
                        r"\s+(?:a|an|another|un|une|un\s+autre)\s+(?:competitor|concurrent|other\s+vendor)\b",
                        re.IGNORECASE)


def add_hits(text: str, hits: list[intents.Hit], pack: LanguagePack, reference: dt.datetime,
             model: IntentModel | None = None) -> list[intents.Hit]:
    """``hits`` plus the intents of :data:`MODEL_INTENTS` the model finds in a note where the rules found none.

    The note as a whole must score at least its :data:`THRESHOLDS` value; the evidence is the clause that scores
    highest. The rules' guards still apply: no phone call or content request in a finished list item, no phone
    call in a clause about the past, no issue that is
    denied ("no issues"), no new contact without a name, e-mail address or phone number, no content
    request for a document already sent.

    Args:
        text: plain note text.
        hits: what the rules found.
        pack: the note's language.
        reference: the note's creation time, local wall clock.
        model: the model to use (default: :func:`default_model`).

    Returns:
        All hits in text order.
    """
    missing = [k for k in MODEL_INTENTS if not any(h.intent == k for h in hits)]
    if not missing or pack.code not in LANGUAGES:
        return hits
    model = model or default_model()
    whole = model.probabilities([text])
    missing = [k for k in missing if whole[k][0] >= THRESHOLDS[k]]
    if not missing:
        return hits
    listed = intents.listed_clauses(text, pack.lexicon)
    clauses = [clause for clause, _ in listed]
    if not clauses:
        return hits
    scores = model.probabilities([text[a:b] for a, b in clauses])
    mentions = combine(pack.find_pieces(text, reference), text)
    lex = pack.lexicon
    added = []
    for intent in missing:
        clause, listing = listed[int(np.argmax(scores[intent]))]
        body = text[clause[0]:clause[1]]
        if intent in ("phone_call", "content_request") and intents.is_finished(body, listing):
            continue  # "Done:\n- send the deck"
        if intent == "phone_call" and (intents.is_past(text, clause, mentions, lex, reference)
                                       or guards.is_hypothetical(body) or _only_referred(body, lex)):
            continue  # "we spoke yesterday"; "if they agree we could call"; "update the CRM after the call"
        if intent == "issue" and (lex.issue_negation.search(body) or _INCUMBENT.search(body)):
            continue  # "no issues"; "they use a competitor for payroll" is a fact about the account
        if intent == "new_contact" and not (extract.person_names(body, lex) or extract.emails(body)
                                            or extract.phones(body)):
            continue
        if intent == "content_request" and lex.content_done.search(body):
            continue
        inside = [m for m in mentions if clause[0] <= m.start < clause[1] and not m.past and is_future(m, reference)]
        mention = inside[0] if inside and intent in ("phone_call", "content_request") else None
        added.append(intents.Hit(intent, clause, clause, mention, learned=True))
    return sorted([*hits, *added], key=lambda h: (h.trigger, intents.INTENTS.index(h.intent)))


def _only_referred(body: str, lex: Lexicon) -> bool:
    """Whether every call word of a clause is only referred to ("after the call"), with no date of its own."""
    calls = list(lex.call.finditer(body))
    return bool(calls) and all(guards.not_planned(body, call, has_future=False) for call in calls)
