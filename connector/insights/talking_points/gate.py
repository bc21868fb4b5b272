"""A cheap "can this sentence match at all?" test for a set of regular expressions.

Trying ~30 alternations at every position of every sentence is what makes cue matching slow, and most
sentences of a business e-mail contain no cue word at all. For each pattern we compute, from its parse
tree, a small set of *required words*: every match contains at least one of them (for each alternative,
the most selective word it cannot match without). A sentence whose words share no stem with that set is
skipped without running the pattern.

Soundness rules: a word counts only if it is required (not inside an optional part or one side of an
alternation), starts at a word boundary, and has at least 3 letters; when an alternative has no such word
the pattern gets no gate (``None``) and always runs. Matching is on stems: a gate word is cut to 5 letters,
and a text word offers its first 3, 4 and 5 letters, so "sons?" (gate "son") opens on "sons" and
"celebrat\\w+" (gate "celeb") on "celebrating". ``tests/unit/talking_points`` checks on every labelled
passage that gated and ungated detection agree.

This reads :mod:`re._parser`, CPython's own regular-expression parser (stable since Python 3.11).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    # typeshed describes re._parser and re._constants under their old public names, which since 3.11 are shims
    # re-exporting them (and warn when imported): the same objects, typed.
    import sre_constants as c
    import sre_parse as _parser
else:
    from re import _constants as c  # noqa: N813 - CPython's name
    from re import _parser

_WORD = re.compile(r"[^\W\d_]+")
_REPEATS = (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT)
_ZERO_WIDTH = (c.AT, c.ASSERT, c.ASSERT_NOT)
_COMMON = frozenset({
    "the", "and", "for", "with", "that", "this", "from", "have", "were", "your", "our", "you", "are", "was", "had",
    "les", "des", "une", "pour", "avec", "dans", "que", "qui", "est", "mon", "mes", "nous", "vous", "sur", "not",
    "but", "his", "her", "its", "all", "one", "two", "aux", "ses", "son", "ton", "tes", "my", "off", "got",
    # Frequent in business mail: a gate on them would open on most sentences.
    "team", "quarter", "final", "first", "week", "time", "days", "year", "work", "office", "meeting", "order",
    "end", "new", "last", "next", "great", "good", "back", "call", "équipe", "semaine", "première", "premier",
    "fin", "bureau", "réunion", "commande", "nouveau", "nouvelle", "dernier", "prochain", "retour",
    # Two-letter function words are in almost every sentence.
    "in", "to", "at", "on", "of", "it", "we", "is", "be", "me", "by", "or", "an", "as", "up", "so", "do", "go",
    "us", "if", "de", "la", "le", "un", "en", "du", "au", "et", "ce", "je", "ma", "se", "sa", "il", "ai", "a",
    "i", "d", "l", "s", "j", "m", "n", "t", "y",
})

Options = frozenset[str] | None

# The operand of a parse-tree item has a shape that depends on its opcode; these name the shapes read here.
_Repeat = tuple[int, int, "_parser.SubPattern"]
"""``MAX_REPEAT``/``MIN_REPEAT``/``POSSESSIVE_REPEAT``: minimum, maximum, the repeated part."""
_Subpattern = tuple["int | None", int, int, "_parser.SubPattern"]
"""``SUBPATTERN``: group number, flags added, flags removed, the group's content."""
_Branch = tuple[None, "list[_parser.SubPattern]"]
"""``BRANCH``: the alternatives."""
_InSet = list[tuple[object, int]]
"""``IN``: the set's items, each ``(opcode, operand)``."""


def _char(av: object) -> str:
    """The character of a ``LITERAL`` operand (its code point)."""
    return chr(cast(int, av))


def _group(av: object) -> _parser.SubPattern:
    """The content of a ``SUBPATTERN`` operand."""
    return cast(_Subpattern, av)[3]


def _branches(av: object) -> list[_parser.SubPattern]:
    """The alternatives of a ``BRANCH`` operand."""
    return cast(_Branch, av)[1]


def _cost(words: frozenset[str]) -> float:
    # Fewer, longer, rarer words make a tighter gate.
    return sum(5.0 if w in _COMMON else 1.0 / len(w) for w in words)


def _best(candidates: list[frozenset[str]]) -> Options:
    return min(candidates, key=_cost) if candidates else None


def _is_separator(op: object, av: object) -> bool:
    """True when this item can only match non-word characters (a space, "-", "'", ``\\s``)."""
    if op is c.LITERAL:
        ch = _char(av)
        return not (ch.isalnum() or ch == "_")
    if op is c.IN:
        return all(o is c.CATEGORY and a is c.CATEGORY_SPACE or (o is c.LITERAL and not chr(a).isalnum())
                   for o, a in cast(_InSet, av))
    if op in _REPEATS:
        _mn, _mx, sub = cast(_Repeat, av)
        return all(_is_separator(o, a) for o, a in sub.data)
    return False


def _ends_with_separator(sub: _parser.SubPattern) -> bool:
    if not sub.data:
        return False
    op, av = sub.data[-1]
    if op is c.BRANCH:
        return all(_ends_with_separator(b) for b in _branches(av))
    if op is c.SUBPATTERN:
        return _ends_with_separator(_group(av))
    return _is_separator(op, av)


def _alternatives(sub: _parser.SubPattern, at_start: bool, prefix: str = "") -> Options:
    data = sub.data
    if len(data) == 1 and data[0][0] is c.BRANCH:
        return _branch(_branches(data[0][1]), at_start, prefix)
    return _sequence(data, at_start, prefix)


def _branch(branches: list[_parser.SubPattern], at_start: bool, prefix: str = "") -> Options:
    union: set[str] = set()
    for branch in branches:
        words = _alternatives(branch, at_start, prefix)
        if words is None:
            return None
        union |= words
    return frozenset(union)


def _sequence(items: Sequence[tuple[object, object]], at_start: bool, prefix: str = "") -> Options:
    """Required words of a concatenation; ``prefix`` holds letters matched just before it (the parser
    factors a common prefix out of alternatives: ``tennis|tournament`` becomes ``t(?:ennis|ournament)``)."""
    candidates: list[frozenset[str]] = []
    run, run_ok, start = prefix, at_start, at_start and not prefix

    def flush(at_end: bool) -> None:
        # Two-letter words ("om", "ol") are whole words only when nothing follows them here.
        if run and run_ok and (len(run) >= 3 or (at_end and len(run) == 2)):
            candidates.append(frozenset([run]))

    for index, (op, av) in enumerate(items):
        if op is c.LITERAL and _char(av).isalpha():
            if not run:
                run_ok = start
            run += _char(av).lower()
            start = False
            continue
        if op in _ZERO_WIDTH:
            continue
        if op in (c.SUBPATTERN, c.BRANCH) and run:
            # The letters so far and the group's words form one word: "t" + ("ennis" | "ournament").
            sub_words = (_alternatives(_group(av), run_ok, run) if op is c.SUBPATTERN
                         else _branch(_branches(av), run_ok, run))
            if sub_words is not None:
                candidates.append(sub_words)
            run, start = "", False
            continue
        flush(at_end=index == len(items))
        run = ""
        if op is c.SUBPATTERN:
            words = _alternatives(_group(av), start)
            if words is not None:
                candidates.append(words)
            start = _ends_with_separator(_group(av))
        elif op is c.BRANCH:
            words = _branch(_branches(av), start)
            if words is not None:
                candidates.append(words)
            start = False
        elif op in _REPEATS:
            minimum, _maximum, sub = cast(_Repeat, av)
            separator = _is_separator(op, av)
            if minimum >= 1 and not separator:
                words = _alternatives(sub, start)
                if words is not None:
                    candidates.append(words)
            # An optional part may be skipped: a word starts after it only if it would start either way.
            start = separator or (start and minimum == 0 and _ends_with_separator(sub))
        else:
            start = _is_separator(op, av)
    flush(at_end=True)
    return _best(candidates)


def required_stems(patterns: Iterable[re.Pattern[str] | None]) -> frozenset[str] | None:
    """Stems one of which every match of any of ``patterns`` contains; ``None`` when some pattern has none."""
    stems: set[str] = set()
    for pattern in patterns:
        if pattern is None:
            continue
        words = _alternatives(_parser.parse(pattern.pattern, pattern.flags), True)
        if words is None:
            return None
        stems |= {w[:5] for w in words}
    return frozenset(stems)


def text_stems(text: str) -> set[str]:
    """The first 3, 4 and 5 letters of every word of ``text`` (lowercased)."""
    words = _WORD.findall(text.lower())
    return {w[:3] for w in words} | {w[:4] for w in words} | {w[:5] for w in words}
