"""Entities quoted in a note: e-mail addresses, phone numbers, person names, job titles, attendees."""

from __future__ import annotations

import re

from connector.insights.notes.lexicon import Lexicon

EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}(?![\w-])")
PHONE = re.compile(r"(?<![\w/:+])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)[\s.-]?)?\d{2,4}(?:[\s.-]\d{2,4}){1,4}(?![\w/:])")
_NAME_TOKEN = r"[A-ZÀ-Ý][a-zà-ÿ]+(?:-[A-ZÀ-Ý][a-zà-ÿ]+)?"
NAME = re.compile(rf"(?<![\w@.]){_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{1,2}}(?![\w@])")
_DATE_LIKE = re.compile(r"^\d{4}-\d{2}-\d{2}$|^\d{1,2}[./-]\d{1,2}(?:[./-]\d{2,4})?$")
_ATTENDEES = re.compile(r"(?:attendees|participants|invite|invités?|with|w/|avec)\s*:?\s*(.{1,120})", re.IGNORECASE)
_LISTED = re.compile(r"(?:attendees|participants|invités?)\s*:", re.IGNORECASE)


def emails(text: str) -> list[str]:
    """E-mail addresses in order of appearance, without duplicates."""
    return list(dict.fromkeys(m.group(0).rstrip(".") for m in EMAIL.finditer(text)))


def phones(text: str) -> list[str]:
    """Phone numbers (at least 7 digits, not a date) in order of appearance, without duplicates."""
    found = []
    for match in PHONE.finditer(text):
        value = match.group(0).strip()
        digits = sum(ch.isdigit() for ch in value)
        if 7 <= digits <= 15 and not _DATE_LIKE.match(value):
            found.append(value)
    return list(dict.fromkeys(found))


def person_names(text: str, lexicon: Lexicon) -> list[str]:
    """Capitalised two- or three-word names, leaving out words the lexicon says are not names."""
    names = []
    for match in NAME.finditer(text):
        tokens = [t for t in match.group(0).split() if t not in lexicon.stop_names]
        while tokens and tokens[0] in lexicon.stop_names:
            tokens.pop(0)
        if len(tokens) >= 2:
            names.append(" ".join(tokens))
    return list(dict.fromkeys(names))


def role(text: str, lexicon: Lexicon) -> str | None:
    """The first job title in ``text``, as written."""
    match = lexicon.role.search(text)
    return match.group(0) if match else None


def listed_attendees(text: str, lexicon: Lexicon) -> list[str]:
    """People of an explicit "attendees:" / "participants :" list anywhere in the note."""
    people: list[str] = []
    for match in _LISTED.finditer(text):
        people += attendees(text[match.start():match.start() + 140].split("\n")[0], lexicon)
    return list(dict.fromkeys(people))


def attendees(text: str, lexicon: Lexicon) -> list[str]:
    """People a meeting or call is with: capitalised words after "with", "avec", "attendees:"."""
    people: list[str] = []
    for match in _ATTENDEES.finditer(text):
        segment = re.split(r"[.;:!?()]| (?:to|for|about|re|pour|sur|à|au|at|on|le|la)\b", match.group(1))[0]
        for part in re.split(r",|\band\b|\bet\b|&", segment):
            words = [w for w in part.split() if w[:1].isupper() and w not in lexicon.stop_names
                     and not lexicon.title.fullmatch(w)]
            if words and part.strip().split()[0][:1].isupper():
                people.append(" ".join(words[:3]))
    return list(dict.fromkeys(p for p in people if p))


def named_after(text: str, position: int, lexicon: Lexicon) -> list[str]:
    """The person named right after a verb ("Call Greg", "Appeler Mme Leroy", "Ring Peter back")."""
    match = re.match(r"\s+(?:back\s+|à\s+|a\s+)?((?:(?:Mr|Mrs|Ms|Dr|M|Mme|Mlle)\.?\s+)?"
                     r"[A-ZÀ-Ý][\w'-]+(?:\s+[A-ZÀ-Ý][\w'-]+)?)", text[position:position + 60])
    if match is None:
        return []
    name = match.group(1)
    first = name.split()[0].rstrip(".")
    if first in lexicon.stop_names and not lexicon.title.fullmatch(name.split()[0]):
        return []
    return [name]
