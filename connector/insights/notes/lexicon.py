"""Per-language intent lexicons: what the intent rules look for, read from ``lexicons/<lang>.toml``.

Each list of a lexicon file is a list of entries: a plain phrase (matched as written, case- and
accent-insensitive, any run of spaces between its words; it is its own example) or ``{ pattern, example }``,
a regular-expression fragment and a clause it matches (``tests/unit/notes/test_lexicon.py`` checks every
example). ``${imperative}`` in a pattern stands for the whole ``imperative`` list. ``[raw.*]`` tables hold
the few patterns that are not word lists (case-sensitive name shapes). Files are read once per process.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

_ACCENTS = {"é": "éèêëe", "è": "èéêe", "ê": "êéèe", "ë": "ëe", "à": "àâa", "â": "âàa", "ç": "çc", "ù": "ùûu",
            "û": "ûùu", "î": "îïi", "ï": "ïîi", "ô": "ôo", "œ": "œ"}


_FINAL = re.compile(r"(?:e\??)?(?:s\??)?(?:\)|\||$|\\s|\s)")


def _accent_tolerant(pattern: str) -> str:
    """``pattern`` where an accented letter also matches its unaccented form (notes are often typed without
    accents: "reunion", "telephoner"); letters inside ``[...]`` classes are left alone."""
    out, depth, escaped = [], 0, False
    for index, char in enumerate(pattern):
        if escaped:
            out.append(char)
            escaped = False
            continue
        if char == "\\":
            escaped = True
        elif char == "[":
            depth += 1
        elif char == "]" and depth:
            depth -= 1
        # A final "é" is kept strict: it tells a past participle ("rencontré") from a noun ("rencontre").
        final = char == "é" and _FINAL.match(pattern, index + 1) is not None
        out.append(f"[{_ACCENTS[char]}]" if depth == 0 and char in _ACCENTS and not final else char)
    return "".join(out)


def words(*alternatives: str) -> re.Pattern[str]:
    """A case-insensitive, accent-tolerant pattern matching any alternative as whole words."""
    body = "|".join(_accent_tolerant(a) for a in alternatives)
    return re.compile(r"(?<![\w@.])(?:" + body + r")(?![\w@])", re.IGNORECASE)


@dataclass(frozen=True)
class Lexicon:
    """Patterns of one language.

    Attributes:
        appointment: words naming a meeting (meet, demo, lunch, rdv, réunion...).
        call: words naming a phone call.
        task: verbs or phrases that set a to-do (imperatives at clause start are checked separately).
        imperative: verbs that, first in a clause, make it an instruction ("Prepare...", "Envoyer...").
        scheduling: verbs that only arrange the meeting or call they precede ("schedule", "organiser").
        actionable: phrases that make a meeting or call something to do (modals, requests, "prévu").
        past: phrases that put a clause in the past ("we met", "nous avons rencontré", "went").
        content_item: documents a customer may ask for.
        content_request: verbs or phrases that ask for or promise a document.
        content_done: phrases saying the document was already sent.
        issue: complaint, defect, delay and risk words.
        issue_negation: phrases that deny an issue ("no issues").
        contact: phrases that introduce a new person.
        due: prepositions that introduce a deadline.
        role: job titles.
        title: courtesy titles that may precede a name.
        stop_names: capitalised words that are never part of a person's name.
        delegation: a case-sensitive pattern for "<Name> to <verb>" / "<Name> doit" to-dos.
        contact_hint: words that make a named person with an e-mail or phone a contact ("assistant").
        request_task: a customer asking for something we must produce ("requested a quote"); past tense allowed.
        infinitive: an instruction shaped like a verb + object ("apporter le kit"), for languages where the
            infinitive form tells (French).
    """

    appointment: re.Pattern[str]
    call: re.Pattern[str]
    task: re.Pattern[str]
    imperative: re.Pattern[str]
    scheduling: re.Pattern[str]
    actionable: re.Pattern[str]
    past: re.Pattern[str]
    content_item: re.Pattern[str]
    content_request: re.Pattern[str]
    content_done: re.Pattern[str]
    issue: re.Pattern[str]
    issue_negation: re.Pattern[str]
    contact: re.Pattern[str]
    due: re.Pattern[str]
    role: re.Pattern[str]
    title: re.Pattern[str]
    stop_names: frozenset[str]
    delegation: re.Pattern[str] | None = None
    request_task: re.Pattern[str] = re.compile(r"(?!)")
    infinitive: re.Pattern[str] = re.compile(r"(?!)")
    contact_hint: re.Pattern[str] = re.compile(r"(?!)")


@dataclass(frozen=True)
class Entry:
    """One lexicon entry: a regular-expression fragment and a text it matches."""

    pattern: str
    example: str


_SPECIAL = re.compile(r"[\\()\[\]?*+|{}^$.]")
_LIST_FIELDS = ("appointment", "call", "task", "imperative", "scheduling", "actionable", "past", "content_item",
                "content_request", "content_done", "issue", "issue_negation", "contact", "due", "role", "title",
                "request_task", "contact_hint")


def entries(lang: str) -> dict[str, tuple[Entry, ...]]:
    """Every list of the lexicon file of ``lang``, entries with their examples (placeholders expanded).

    Raises:
        ValueError: no lexicon file for ``lang``, or a malformed entry.
    """
    data = _read(lang)
    lists = {name: tuple(_entry(raw) for raw in values) for name, values in data["lists"].items()}
    imperative = "|".join(e.pattern for e in lists.get("imperative", ()))
    return {name: tuple(Entry(e.pattern.replace("${imperative}", imperative), e.example) for e in values)
            for name, values in lists.items()}


@functools.cache
def load(lang: str) -> tuple[Lexicon, frozenset[str]]:
    """The lexicon of ``lang`` and its marker words (the frequent words that tell the language).

    Raises:
        ValueError: no lexicon file for ``lang``, or a malformed entry.
    """
    data = _read(lang)
    lists = entries(lang)
    imperative = "|".join(e.pattern for e in lists["imperative"])
    raw = {name: re.compile(table["pattern"].replace("${imperative}", imperative),
                            re.IGNORECASE if table.get("ignore_case") else 0)
           for name, table in data.get("raw", {}).items()}
    fields: dict[str, Any] = {name: words(*(e.pattern for e in lists[name])) for name in _LIST_FIELDS if name in lists}
    lexicon = Lexicon(**fields, stop_names=frozenset(data["lists"]["stop_names"]), **raw)
    return lexicon, frozenset(data["markers"]["words"])


def _read(lang: str) -> dict[str, Any]:
    try:
        text = resources.files(__package__).joinpath("lexicons", f"{lang}.toml").read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ValueError(f"no notes lexicon for language {lang!r}") from exc
    return tomllib.loads(text)


def _entry(raw: object) -> Entry:
    if isinstance(raw, str):
        pattern = raw if not _SPECIAL.search(raw) else None
        if pattern is None:
            raise ValueError(f"a plain lexicon phrase may not hold pattern characters: {raw!r}")
        return Entry(r"\s+".join(re.escape(word) for word in raw.split()), raw)
    if isinstance(raw, dict) and "pattern" in raw and "example" in raw:
        return Entry(str(raw["pattern"]), str(raw["example"]))
    raise ValueError(f"lexicon entry must be a phrase or {{pattern, example}}: {raw!r}")
