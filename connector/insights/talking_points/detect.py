"""Find personal topics in the text of one e-mail.

A topic is found in a sentence when one of its cue patterns matches outside every business trap
("the health of a deal", "famille de produits"), and the sentence's confidence reaches
:data:`THRESHOLD`. Confidence is a small additive model whose parts each have a reason:

- a *strong* cue ("my daughter", "knee surgery") starts at 0.75, a *weak* one ("holiday", "match") at 0.45;
- a first-person cue in the sentence ("I", "my", "je", "mes") adds 0.15, a plural one ("we", "nous") as much
  but only when no business word is around ("we" is the company as often as the family): talking points
  are what the sender says about their own life;
- a business word in the sentence outside the cue itself ("order", "contrat", "budget") takes 0.30 away
  ("my weekend project" is not business context, "the project" is).

So a weak cue needs a first-person cue and no business context, and a strong cue survives business
context only when the sender speaks in the first person.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from connector.insights.talking_points import lexicon
from connector.insights.talking_points.gate import required_stems, text_stems
from connector.insights.talking_points.text import clean_body, sentences, snippet

TOPICS: tuple[str, ...] = ("family", "sports", "vacation", "health", "entertainment", "food", "hobbies",
                           "celebrations")
"""Every topic, by the key used in settings and the CLI output."""

TOPIC_LABELS: dict[str, str] = {
    "family": "Family", "sports": "Sports", "vacation": "Vacation", "health": "Health",
    "entertainment": "Entertainment", "food": "Food", "hobbies": "Hobbies", "celebrations": "Celebrations",
}
"""Topic key → English label of its option in :data:`connector.schema.TOPIC`."""

LANGUAGES: tuple[str, ...] = lexicon.LANGUAGES
THRESHOLD = 0.6
STRONG_BASE, WEAK_BASE = 0.75, 0.45
FIRST_PERSON_BONUS, PLURAL_BONUS, BUSINESS_PENALTY = 0.15, 0.15, 0.30


@dataclass(frozen=True)
class TalkingPoint:
    """One topic found in one e-mail.

    Attributes:
        topic: a key of :data:`TOPICS`.
        snippet: the sentence that mentions it, at most 200 characters.
        span: ``(start, end)`` of that sentence in the cleaned body (:func:`clean_body`).
        confidence: 0 to 1.
        lang: the language the text was analysed in.
    """

    topic: str
    snippet: str
    span: tuple[int, int]
    confidence: float
    lang: str


def _fold_table() -> dict[int, str]:
    table = {ord("’"): "'", ord("‘"): "'"}
    for code in range(0xC0, 0x250):
        base = unicodedata.normalize("NFD", chr(code))
        if len(base) > 1 and base[0].isascii() and all(unicodedata.combining(ch) for ch in base[1:]):
            table[code] = base[0]
    return table


_FOLD = _fold_table()
_APOSTROPHES = {ord("’"): "'", ord("‘"): "'"}
_ACCENTED = re.compile("[" + "".join(chr(c) for c in _FOLD if 0xC0 <= c < 0x250) + "]")


def fold(text: str, accents: bool = True) -> str:
    """``text`` with curly apostrophes made straight and, with ``accents``, without accents: one character
    for one, so spans still hold."""
    return text.translate(_FOLD if accents else _APOSTROPHES)


def is_accentless(text: str) -> bool:
    """True when ``text`` has no accented letter: typed without accents ("on fete Noel a la maison")."""
    return _ACCENTED.search(text) is None


def _case_sensitive_capitals(pattern: str) -> str:
    # Proper-noun cues ("flying to Lisbon") must see a real capital even though matching ignores case.
    return pattern.replace("[A-ZÀ-Ý]", "(?-i:[A-ZÀ-Ý])").replace("[A-Z]", "(?-i:[A-Z])")


def _alternation(patterns: Iterable[str], *, closed: bool, accents: bool) -> re.Pattern[str] | None:
    parts = [_case_sensitive_capitals(p) for p in patterns]
    if not parts:
        return None
    tail = r"(?!\w)" if closed else ""
    return re.compile(fold(r"(?<!\w)(?:" + "|".join(f"(?:{p})" for p in parts) + ")" + tail, accents),
                      re.IGNORECASE)


@dataclass(frozen=True)
class _Cue:
    """One lexicon entry compiled alone, with the stems a sentence needs for it to match (``None``: always run)."""

    strong: bool
    pattern: re.Pattern[str]
    gate: frozenset[str] | None


@dataclass(frozen=True)
class _Compiled:
    cues: dict[str, tuple[_Cue, ...]]
    always: dict[str, tuple[int, ...]]
    """Per topic, the cues without a gate (run on every sentence)."""
    index: dict[str, tuple[tuple[str, int], ...]]
    """Stem → (topic, cue) pairs whose gate holds it: a sentence's stems look up the cues it may match."""
    traps: dict[str, re.Pattern[str] | None]
    first_person: re.Pattern[str]
    plural: re.Pattern[str]
    business: re.Pattern[str]
    yields: dict[str, tuple[tuple[str, re.Pattern[str]], ...]]

    def candidates(self, stems: set[str] | None) -> dict[str, tuple[int, ...]]:
        """Per topic, the cues a sentence with these stems may match (every cue when ``stems`` is ``None``)."""
        if stems is None:
            return {t: tuple(range(len(c))) for t, c in self.cues.items()}
        found: dict[str, set[int]] = {}
        lookup = self.index.get
        for stem in stems:
            pairs = lookup(stem)
            if pairs:
                for topic, index in pairs:
                    found.setdefault(topic, set()).add(index)
        for topic, always in self.always.items():
            if always:
                found.setdefault(topic, set()).update(always)
        return {t: tuple(sorted(i)) for t, i in found.items()}


def _cues(cues: lexicon.TopicCues, accents: bool) -> tuple[_Cue, ...]:
    # Each entry is compiled and gated on its own: a sentence holding "had" runs the one entry that needs
    # it, not the whole topic's alternation.
    out: list[_Cue] = []
    for strong, entries in ((True, cues.strong), (False, cues.weak)):
        for entry in entries:
            rx = _alternation((entry.pattern,), closed=True, accents=accents)
            if rx is not None:
                out.append(_Cue(strong, rx, required_stems((rx,))))
    return tuple(out)


@cache
def _compiled(lang: str, accents: bool = False) -> _Compiled:
    # ``accents``: patterns with their accents dropped, for text typed without any (an accented text keeps
    # them: folding both would read "livrés" as "livres", books).
    lex = lexicon.load(lang)
    cues = {t: _cues(lex.topics[t], accents) for t in TOPICS}
    index: dict[str, list[tuple[str, int]]] = {}
    for topic, topic_cues in cues.items():
        for number, cue in enumerate(topic_cues):
            for stem in cue.gate or ():
                index.setdefault(stem, []).append((topic, number))
    return _Compiled(
        cues=cues,
        always={t: tuple(i for i, c in enumerate(cues[t]) if c.gate is None) for t in TOPICS},
        index={stem: tuple(pairs) for stem, pairs in index.items()},
        traps={t: _alternation((e.pattern for e in lex.topics[t].traps), closed=True, accents=accents)
               for t in TOPICS},
        first_person=re.compile(fold(lex.first_person, accents), re.IGNORECASE),
        plural=re.compile(fold(lex.plural_person, accents), re.IGNORECASE),
        business=re.compile(fold(lex.business, accents), re.IGNORECASE),
        yields={t: tuple((other, re.compile(fold(e.pattern, accents), re.IGNORECASE))
                         for other, e in lex.topics[t].yields) for t in TOPICS},
    )


_EN_WORDS = frozenset(
    "the and to of is you i we my for with this that it was have be are at on in our your me so but just will had "
    "has from his her their an am were been did i'm i've i'll it's don't".split())
_FR_WORDS = frozenset(
    "le la les et des un une est je nous vous pour avec pas que qui du au ce mon mes ma ta sa son ses eu été mais "
    "très sur dans aux notre nos votre vos elle il ils on était suis".split())
_LANG_TOKEN = re.compile(r"[a-zàâçéèêëîïôûùüÿœ]+(?:['’][a-z]+)?")
_FR_ELISION = re.compile(r"^[ldjqnmst]['’]")


def detect_language(text: str) -> str:
    """``"en"`` or ``"fr"``, by counting frequent function words in the first 2,000 characters."""
    en = fr = 0
    for word in _LANG_TOKEN.findall(text[:2000].lower()):
        if word in _EN_WORDS:
            en += 1
        elif word in _FR_WORDS or _FR_ELISION.match(word):
            fr += 1
    return "fr" if fr > en else "en"


def _confidence(sentence: str, strong: bool, cues: list[tuple[int, int]], lex: _Compiled) -> float:
    score = STRONG_BASE if strong else WEAK_BASE
    masked = sentence
    for start, end in cues:
        masked = masked[:start] + " " * (end - start) + masked[end:]
    business = lex.business.search(masked) is not None
    if lex.first_person.search(sentence):
        score += FIRST_PERSON_BONUS
    elif not business and lex.plural.search(sentence):
        # "We" is the company as often as the family: it only counts where no business word is around.
        score += PLURAL_BONUS
    if business:
        score -= BUSINESS_PENALTY
    return round(min(1.0, max(0.0, score)), 4)


def _cue_in(sentence: str, lex: _Compiled, topic: str,
            candidates: dict[str, tuple[int, ...]]) -> tuple[bool, list[tuple[int, int]]] | None:
    """``(strong?, cue spans)`` when a cue of the topic matches outside its traps, else ``None``.

    Only the cues in ``candidates[topic]`` (those the sentence's stems allow) are run.
    """
    cues = lex.cues[topic]
    matches: list[tuple[int, int, bool]] = []
    for number in candidates.get(topic, ()):
        cue = cues[number]
        matches.extend((m.start(), m.end(), cue.strong) for m in cue.pattern.finditer(sentence))
    if not matches:
        return None
    trap_rx = lex.traps[topic]
    traps = [m.span() for m in trap_rx.finditer(sentence)] if trap_rx else []
    kept = [(start, end, strong) for start, end, strong in matches if not any(a < end and start < b for a, b in traps)]
    kept = _without_yielding(sentence, lex, topic, kept, candidates)
    if not kept:
        return None
    return any(strong for _, _, strong in kept), [(start, end) for start, end, _ in kept]


def _without_yielding(sentence: str, lex: _Compiled, topic: str, kept: list[tuple[int, int, bool]],
                      candidates: dict[str, tuple[int, ...]]) -> list[tuple[int, int, bool]]:
    # A word shared by two topics belongs to the other one when that one is in the sentence too: the cake
    # of "the team surprised me with a cake for my birthday" is the celebration, not a food talking point.
    for other, rx in lex.yields.get(topic, ()):
        if not kept:
            break
        shared = [m.span() for m in rx.finditer(sentence)]
        own = [k for k in kept if not any(a <= k[0] and k[1] <= b for a, b in shared)]
        if len(own) < len(kept) and _cue_in(sentence, lex, other, candidates) is not None:
            kept = own
    return kept


def analyze_clean(text: str, lang: str, topics: Iterable[str] = TOPICS, *, gated: bool = True) -> list[TalkingPoint]:
    """Talking points of already-cleaned text in a known language: the best sentence per topic.

    ``gated=False`` runs every cue on every sentence, whatever its words (slow; for tests).

    Raises:
        ValueError: ``lang`` is not one of :data:`LANGUAGES` or a topic is unknown.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r} (expected one of {LANGUAGES})")
    wanted = list(topics)
    for topic in wanted:
        if topic not in TOPIC_LABELS:
            raise ValueError(f"unknown topic {topic!r} (expected one of {TOPICS})")
    accentless = is_accentless(text)
    lex = _compiled(lang, accentless)
    points: list[TalkingPoint] = []
    best: dict[str, TalkingPoint] = {}
    # A sentence's stems look up the few cues it may match: most sentences of a business e-mail run no pattern.
    for sentence in sentences(text):
        folded = fold(sentence.text, accentless)
        candidates = lex.candidates(text_stems(folded) if gated else None)
        for topic in wanted:
            if topic not in candidates:
                continue
            cue = _cue_in(folded, lex, topic, candidates)
            if cue is None:
                continue
            conf = _confidence(folded, cue[0], cue[1], lex)
            if conf >= THRESHOLD and (topic not in best or conf > best[topic].confidence):
                best[topic] = TalkingPoint(topic, snippet(sentence.text), (sentence.start, sentence.end), conf, lang)
    points = list(best.values())
    return sorted(points, key=lambda p: (p.span[0], TOPICS.index(p.topic)))


def analyze_text(text: object, lang: str = "auto", topics: Iterable[str] = TOPICS) -> list[TalkingPoint]:
    """Talking points of one raw e-mail body (plain text or HTML), at most one per topic.

    The body is cleaned first (HTML, quoted replies, signatures and disclaimers removed); spans refer
    to the cleaned text. Anything that is not a non-empty string yields ``[]``.

    Args:
        text: the e-mail body.
        lang: ``"en"``, ``"fr"`` or ``"auto"`` (guess from function words).
        topics: which topics to look for.

    Raises:
        ValueError: ``lang`` is neither ``"auto"`` nor a supported language, or a topic is unknown.
    """
    if lang != "auto" and lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r} (expected auto or one of {LANGUAGES})")
    clean = clean_body(text)
    if not clean:
        return []
    return analyze_clean(clean, detect_language(clean) if lang == "auto" else lang, topics)
