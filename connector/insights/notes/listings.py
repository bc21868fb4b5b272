"""List headings and finished items: which lines of a note are to-dos and which are done."""

from __future__ import annotations

import re

# Words a heading may add before its colon: "To do this week:", "À faire cette semaine :", "Next steps for Monday:".
_WHEN = (r"(?:\s+(?:this|next|for|the|today|week|[\w'-]+day|cette|la|de|pour|aujourd'hui|semaine|prochaine|"
         r"lundi|mardi|mercredi|jeudi|vendredi)){0,3}")
_ACTION_HEAD = re.compile(
    r"(?<![\w'-])(?:action\s+items?|actions?|next\s+steps?|to\s*-?\s*dos?|todos?|tasks?|follow[- ]?ups?|"
    r"(?:à|a)\s+faire|prochaines?\s+[ée]tapes?|suites?\s+(?:à|a)\s+donner|actions?\s+(?:à|a)\s+mener)" +
    _WHEN + r"\s*:\s*$",
    re.IGNORECASE)
_DONE_HEAD = re.compile(r"(?<![\w'-])(?:done|completed|finished|fait|faits|termin[ée]s?|r[ée]alis[ée]s?)\s*:\s*$",
                        re.IGNORECASE)
_DONE = re.compile(r"\s*(?:\[[xX✓✔]\]|(?:done|fait|finished|termin[ée]|completed|r[ée]alis[ée])\s*:)", re.IGNORECASE)


def heading(text: str, clause: tuple[int, int]) -> str | None:
    """The kind of list a heading clause opens: ``"todo"`` ("Action items:", "Prochaines étapes :"), ``"done"``
    ("Done:"), or ``None`` when the clause is not a heading."""
    if _ACTION_HEAD.search(text, clause[0], clause[1]):
        return "todo"
    if _DONE_HEAD.search(text, clause[0], clause[1]):
        return "done"
    return None


def is_finished(body: str, listed: str | None) -> bool:
    """Whether a clause is a finished item: a line under "Done:", or marked "[x]" / "Done:"."""
    return listed == "done" or _DONE.match(body) is not None
