"""Which language a note is written in, and the registry of supported languages.

A language is a :class:`LanguagePack`: a date/time recogniser and an intent lexicon. Adding German means
writing ``dates/de.py`` and ``lexicons/de.toml`` and registering a pack in :data:`LANGUAGES`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass

from connector.errors import ConfigurationError
from connector.insights.notes import lexicon
from connector.insights.notes.dates import Piece, en, fr
from connector.insights.notes.lexicon import Lexicon


@dataclass(frozen=True)
class LanguagePack:
    """Everything the analysis needs to know about one language."""

    code: str
    find_pieces: Callable[[str, dt.datetime], list[Piece]]
    lexicon: Lexicon
    markers: frozenset[str]
    """Frequent short words of the language, used to detect it."""


def _pack(code: str, find_pieces: Callable[[str, dt.datetime], list[Piece]]) -> LanguagePack:
    words, markers = lexicon.load(code)
    return LanguagePack(code, find_pieces, words, markers)


LANGUAGES: dict[str, LanguagePack] = {"en": _pack("en", en.find_pieces), "fr": _pack("fr", fr.find_pieces)}

_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")
_FRENCH_LETTERS = re.compile(r"[éèêàùçôîâœ]")


def detect(text: str, allowed: tuple[str, ...]) -> str:
    """The allowed language whose frequent words occur most in ``text`` (the first allowed on a tie).

    Only the first 2,000 characters are looked at.

    Args:
        text: plain note text.
        allowed: language codes to choose from, in order of preference.

    Returns:
        A language code from ``allowed``.

    Raises:
        ConfigurationError: ``allowed`` is empty or names a language that is not registered.
    """
    packs = pack_list(allowed)
    sample = text[:2000].lower()
    words = _WORD.findall(sample)
    best, best_score = packs[0].code, -1.0
    for pack in packs:
        score = float(sum(1 for word in words if word in pack.markers))
        if pack.code == "fr":
            score += 0.5 * len(_FRENCH_LETTERS.findall(sample))
        if score > best_score:
            best, best_score = pack.code, score
    return best


def pack_list(codes: tuple[str, ...]) -> list[LanguagePack]:
    """The registered packs for ``codes``.

    Raises:
        ConfigurationError: ``codes`` is empty or names an unknown language.
    """
    unknown = [code for code in codes if code not in LANGUAGES]
    if not codes or unknown:
        raise ConfigurationError(
            [f"notes analysis languages must be among {sorted(LANGUAGES)}; got {list(codes) or 'none'}"]
        )
    return [LANGUAGES[code] for code in codes]
