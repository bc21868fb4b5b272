"""The seniority a job title implies (English and French): an engineered field for lead scoring.

A title such as "VP Operations", "Directrice des achats" or "IT Manager" is a free-text column with
dozens of spellings, too many categories for a few hundred closed records to learn one by one,
while the level it implies (who can sign) is one of the strongest signals a B2B seller uses. The
level is read from words, most senior first: an "Assistant to the CEO" is not an executive, so
assistant words are checked before the titles they assist.
"""

from __future__ import annotations

import re
import unicodedata

EXECUTIVE = "executive"
VP_DIRECTOR = "vp-director"
MANAGER = "manager"
STAFF = "staff"

_ASSISTANT = re.compile(r"\b(assistant|assistante|secretary|secretaire|intern|stagiaire|apprenti|apprentie)\b")
_LEVELS = (
    (EXECUTIVE, re.compile(
        r"\b(ceo|cfo|cto|coo|cio|cmo|cro|cso|cdo|ciso|dsi|daf|pdg|dg|chief|president|presidente|founder|cofounder|"
        r"co-founder|fondateur|fondatrice|cofondateur|cofondatrice|owner|proprietaire|gerant|gerante|"
        r"managing director|general manager|directeur general|directrice generale|executive director|"
        r"chairman|chairwoman|chair)\b")),
    (VP_DIRECTOR, re.compile(
        r"\b(vp|svp|evp|avp|vice[- ]president|vice[- ]presidente|director|directeur|directrice|head|"
        r"partner|associe|associee|principal)\b")),
    (MANAGER, re.compile(
        r"\b(manager|mgr|responsable|chef|lead|leader|supervisor|superviseur|superviseure|team lead|"
        r"coordinator|coordinateur|coordinatrice|gestionnaire)\b")),
)


def _plain(title: str) -> str:
    # Accents are dropped so "Présidente" and "Presidente" are the same word.
    decomposed = unicodedata.normalize("NFKD", title.lower())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def job_level(title: object) -> str | None:
    """``executive``, ``vp-director``, ``manager`` or ``staff`` for a job title; None when blank.

    Never raises: a non-text value is treated as blank.
    """
    if not isinstance(title, str) or not title.strip():
        return None
    text = _plain(title[:200])
    if _ASSISTANT.search(text):
        return STAFF
    for level, pattern in _LEVELS:
        if pattern.search(text):
            return level
    return STAFF
