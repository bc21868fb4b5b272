"""Note text: HTML to plain text, normalisation, and splitting into sentences and clauses.

Span offsets in suggestions refer to the plain text this module produces (what the seller reads once
the note's HTML is rendered), not to the stored HTML.
"""

from __future__ import annotations

import html
import re
import unicodedata

MAX_SENTENCE = 600
"""Longer runs without punctuation are cut into pieces of this many characters, so that one pasted
block of text cannot make a rule scan quadratic."""

_BLOCK_TAG = re.compile(r"<\s*(?:br|/p|/div|/li|/tr|/h\d|p|div|li|tr|h\d)\b[^>]{0,2000}>", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z!][^<>]{0,2000}>")
_SCRIPT = re.compile(r"<\s*(script|style)\b.*?<\s*/\s*\1\s*>", re.IGNORECASE | re.DOTALL)
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[ \t\u00a0\u202f]+")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr m mme mlle st no vs env tel tél approx etc incl cf p a.m p.m e.g i.e ex réf ref".split()
)
_COMPANY = frozenset("corp inc ltd ltée ltee plc co llc llp sa sas sarl gmbh bv ag cust clt dept approx".split())
"""Company suffixes and abbreviations that end a sentence only when a capitalised word follows."""
_BULLET = re.compile(r"(?:[-–•*·▪◦>]+|\(?\d{1,2}[.)])\s+")
_SENTENCE_END = re.compile(r"[.!?…]+(?=\s)|\n+|;|\s[-–]\s|\s*->\s*|\s*[\U0001F300-\U0001FAFF\u2600-\u27BF]+\s*")
_LIST_HEAD = re.compile(r"^\s*(?:to\s*-?\s*do|todo|tasks?|next\s+steps?|à\s+faire|a\s+faire|actions?)\s*:\s*",
                        re.IGNORECASE)


def clean(raw: object) -> str:
    """Plain text of a note body.

    HTML tags are removed (block tags become line breaks), entities decoded, invisible and control
    characters dropped, Unicode put in NFC form and runs of spaces collapsed. ``None``, ``NA`` and
    non-text values give an empty string.

    Args:
        raw: the stored note text, possibly HTML.

    Returns:
        The plain text.
    """
    if not isinstance(raw, str) or not raw:
        return ""
    text = raw
    if "<" in text:
        text = _SCRIPT.sub(" ", text)
        text = _BLOCK_TAG.sub("\n", text)
        text = _TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    text = _SPACES.sub(" ", text)
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a plain text.

    A period ends a sentence unless it follows a known abbreviation ("Mr.", "M.", "env.") or a single
    letter, or a company suffix ("Corp.", "Inc.") followed by a word that is not
    capitalised; line breaks, semicolons, dashes between spaces and arrows also end one.

    Args:
        text: plain text from :func:`clean`.

    Returns:
        ``(start, end)`` pairs, in order, without surrounding spaces or a leading list bullet.
    """
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.group(0).startswith(".") and _is_abbreviation(text, match.start()):
            continue
        spans.extend(_trimmed(text, start, match.start()))
        start = match.end()
    spans.extend(_trimmed(text, start, len(text)))
    return [_unbulleted(text, span) for span in spans]


def clauses(text: str, span: tuple[int, int]) -> list[tuple[int, int]]:
    """The clauses of one sentence: the items of a to-do list ("todo: a, b, c"), else the sentence."""
    start, end = span
    head = _LIST_HEAD.match(text, start, end)
    if head is None:
        return [span]
    parts: list[tuple[int, int]] = []
    cursor = head.end()
    for match in re.finditer(r",", text[cursor:end]):
        parts.extend(_trimmed(text, cursor, head.end() + match.start()))
        cursor = head.end() + match.end()
    parts.extend(_trimmed(text, cursor, end))
    return parts or [span]


def _unbulleted(text: str, span: tuple[int, int]) -> tuple[int, int]:
    """A sentence without its list bullet ("- ", "• ", "1) "): "- Send the deck" is an instruction."""
    bullet = _BULLET.match(text, span[0], span[1])
    return (bullet.end(), span[1]) if bullet and bullet.end() < span[1] else span


def _is_abbreviation(text: str, dot: int) -> bool:
    word = re.search(r"([\w.]+)$", text[max(0, dot - 12):dot])
    if word is None:
        return False
    token = word.group(1).lower()
    if token in _COMPANY:  # "Contoso Corp. next Monday" goes on; "Contoso Inc. They called" ends
        follower = re.match(r"\s*(\w)", text[dot + 1:dot + 4])
        return follower is not None and not follower.group(1).isupper()
    return (len(token) == 1 and token.isalpha()) or token in _ABBREVIATIONS


def _trimmed(text: str, start: int, end: int) -> list[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return []
    return [(s, min(s + MAX_SENTENCE, end)) for s in range(start, end, MAX_SENTENCE)]
