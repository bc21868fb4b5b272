"""The per-language cue lexicons of talking points, read from the data files in ``lexicons/``.

``lexicons/<lang>.toml`` holds, for each topic, *strong* cues (personal wherever they occur: "my daughter",
"knee surgery"), *weak* cues (personal only with a first-person cue and no business word: "holiday", "game"),
*traps* (business collocations whose words never count: "family of products", "health of the project") and
*yields* (a cue shared with another topic that counts for that one when it is in the sentence too); then the
first-person, plural and business words the confidence model reads. ``lexicons/places.toml`` holds names all
languages share (destinations, clubs, venues).

An entry is either a plain phrase (its words match as written, any run of spaces between them; it is its own
example) or ``{ pattern, example }``: a regular-expression fragment, matched case-insensitively between word
edges, and a sentence it matches (``tests/unit/talking_points/test_lexicon.py`` checks every example). A
pattern may name a word family of the ``[names]`` tables as ``${NAME}``. Files are read once per process.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

LANGUAGES: tuple[str, ...] = ("en", "fr")
_PLACEHOLDER = re.compile(r"\$\{(\w+)\}")


@dataclass(frozen=True)
class Entry:
    """One lexicon entry: a regular-expression fragment and a text it matches."""

    pattern: str
    example: str


@dataclass(frozen=True)
class TopicCues:
    """The cues of one topic in one language."""

    strong: tuple[Entry, ...]
    weak: tuple[Entry, ...]
    traps: tuple[Entry, ...]
    yields: tuple[tuple[str, Entry], ...]
    """(other topic, shared cue words): those words count for the other topic when it is in the sentence."""


@dataclass(frozen=True)
class Lexicon:
    """Every cue of one language."""

    lang: str
    topics: dict[str, TopicCues]
    first_person: str
    plural_person: str
    business: str


@functools.cache
def load(lang: str) -> Lexicon:
    """The lexicon of ``lang`` (read once per process).

    Raises:
        ValueError: ``lang`` has no lexicon, or its file names an unknown word family or is malformed.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r} (expected one of {LANGUAGES})")
    data = _read(f"{lang}.toml")
    names = {**_names(_read("places.toml")), **_names(data)}
    topics = {topic: TopicCues(
        strong=tuple(_entry(e, names) for e in cues.get("strong", ())),
        weak=tuple(_entry(e, names) for e in cues.get("weak", ())),
        traps=tuple(_entry(e, names) for e in cues.get("traps", ())),
        yields=tuple((str(y["to"]), _entry(y, names)) for y in cues.get("yields", ())),
    ) for topic, cues in data["topics"].items()}
    person = data["person"]
    business = r"\b(?:" + "|".join(_expand(str(p), names) for p in person["business"]) + r")s?\b"
    return Lexicon(lang, topics, _expand(person["first"], names), _expand(person["plural"], names), business)


def _read(name: str) -> dict[str, Any]:
    text = resources.files(__package__).joinpath("lexicons", name).read_text(encoding="utf-8")
    return tomllib.loads(text)


def _names(data: dict[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in data.get("names", {}).items():
        if isinstance(value, str):
            out[key] = value
        else:  # a list of alternatives, tried in the file's order (longer names first where it matters)
            out[key] = "(?:" + "|".join(_phrase(str(v)) if _is_phrase(str(v)) else str(v) for v in value) + ")"
    return out


def _entry(raw: object, names: dict[str, str]) -> Entry:
    if isinstance(raw, str):
        return Entry(_phrase(raw), raw)
    if isinstance(raw, dict) and "pattern" in raw and "example" in raw:
        return Entry(_expand(str(raw["pattern"]), names), str(raw["example"]))
    raise ValueError(f"lexicon entry must be a phrase or {{pattern, example}}: {raw!r}")


_SPECIAL = re.compile(r"[\\()\[\]?*+|{}^$.]")


def _is_phrase(text: str) -> bool:
    return not _SPECIAL.search(text)


def _phrase(text: str) -> str:
    """A plain phrase as a pattern: its words as written, any run of white space between them."""
    return r"\s+".join(re.escape(word) for word in text.split())


def _expand(pattern: str, names: dict[str, str]) -> str:
    def name(match: re.Match[str]) -> str:
        if match.group(1) not in names:
            raise ValueError(f"lexicon pattern names unknown word family ${{{match.group(1)}}}")
        return names[match.group(1)]

    return _PLACEHOLDER.sub(name, pattern)
