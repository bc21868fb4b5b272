"""Guards that keep a meeting or call word from becoming a suggestion when the clause does not plan it.

- a hypothetical: a condition with a conditional verb ("If they sign we might set up a workshop",
  "S'ils valident, on pourrait organiser une démo");
- a meeting only referred to as a point in time ("update the CRM after the call", "avant la réunion"),
  when the clause names no future date of its own;
- a recording, not a meeting ("a recorded demo", "une démo enregistrée", "demo video");
- a meeting or call said to be unneeded ("no need for a meeting", "pas besoin de réunion", "no call needed");
- a state, not a plan ("she is in a meeting", "il est en réunion", "on a call with IT");
- the customer's own meeting ("They have an internal meeting on Monday", "Leur comité se réunit mardi",
  "they are meeting with a competitor");
- someone else's meeting or call with their own people ("Mark has a call with his CFO tomorrow").
"""

from __future__ import annotations

import re

_CONDITION = re.compile(r"(?<![\w'-])(?:if|in\s+case|assuming|provided(?:\s+that)?|supposing|should\s+they|"
                        r"si|s'ils?|s’ils?|au\s+cas\s+o[uù]|à\s+condition\s+que|pour\s+peu\s+que)(?![\w'-])",
                        re.IGNORECASE)
_CONDITIONAL = re.compile(r"(?<![\w'-])(?:might|would|could|may|(?:we|they|I|you)'d|(?:we|they|I|you)’d|"
                          r"\w+(?:rait|raient|rions|riez))(?![\w'-])", re.IGNORECASE)
_REFERRED = re.compile(r"(?<![\w'-])(?:after|before|during|following|from|since|après|avant|pendant|depuis|"
                       r"lors\s+d[eu]|à\s+l'issue\s+d[eu]|a\s+l'issue\s+d[eu])\s+"
                       r"(?:the|our|this|that|today's|la|le|l'|l’|notre|ce|cette|cet)\s*(?:[\w-]+\s+)?$",
                       re.IGNORECASE)
_RECORDING = re.compile(r"\s+(?:enregistr[ée]e?s?|recording|recorded|vid[ée]o|replay)\b", re.IGNORECASE)
_RECORDED = re.compile(r"(?:recorded|pre-?recorded|video)\s+$", re.IGNORECASE)
_UNNEEDED = re.compile(r"(?<![\w'-])(?:no\s+need\s+(?:for|to|of)|(?:don't|do\s+not|doesn't|does\s+not|won't|will\s+not|"
                       r"don’t|doesn’t|won’t)\s+need(?:\s+to)?|not\s+(?:necessary|needed)\s+to|no(?:\s+more|\s+further)?|"
                       r"pas\s+besoin\s+d[e'’]?|inutile\s+d[e'’]?|pas\s+la\s+peine\s+d[e'’]?|plus\s+de|pas\s+de)"
                       r"\s+(?:(?:a|an|the|any|another|other|un|une|le|la|l'|autre|nouvelle|nouveau|new)\s+)*$",
                       re.IGNORECASE)
_NOT_NEEDED = re.compile(r"\s+(?:is\s+|are\s+)?(?:not\s+needed|not\s+necessary|unnecessary|"
                         r"n'est\s+pas\s+n[ée]cessaire|pas\s+n[ée]cessaire|inutile)\b", re.IGNORECASE)
_STATE = re.compile(r"(?<![\w'-])(?:(?:is|are|was|were|'s|’s)\s+(?:in|on|at)(?:\s+an?)?|"
                    r"(?:est|sont|était|étaient)\s+en)\s+$", re.IGNORECASE)
_THEIRS = re.compile(r"(?<![\w'-])(?:they|their|ils|elles|leur|leurs)(?![\w'-])[^,;:]*$", re.IGNORECASE)
_OWN_MEETING = re.compile(r"(?<![\w'-])(?:internal(?:ly)?|interne|en\s+interne|board|comit[ée]|conseil)(?![\w'-])",
                          re.IGNORECASE)
_WITH_RIVAL = re.compile(r"\w*\s+(?:with\s+|avec\s+)?(?:a|an|the|un|une|le|leur|their)?\s*"
                         r"(?:competitors?|concurrents?)\b", re.IGNORECASE)

_SOMEONE = re.compile(r"^\s*[A-ZÀ-Ý][\w-]+(?:\s+[A-ZÀ-Ý][\w-]+)?\s+(?:has|had|will\s+have|is\s+having|has\s+got|a|aura|"
                      r"doit|va)\s+(?:(?:a|an|un|une|faire|avoir)\s+)*$")
_WITH_OWN = re.compile(r"\s+(?:with|avec)\s+(?:his|her|son|sa|ses)\b", re.IGNORECASE)

# The customer's side of the next step, told as news: "legal will read it, then revert".
_THEIR_STEP = re.compile(r"(?<![\w'-])(?:(?:get|come|revert)s?\s+back\s+to\s+us|let\s+us\s+know|keep\s+us\s+posted|"
                         r"(?:revien|reven)\w*\s+vers\s+nous|nous\s+revenir|nous\s+recontacter|nous\s+tenir\s+au\s+courant)"
                         r"(?![\w'-])", re.IGNORECASE)


def is_their_step(body: str) -> bool:
    """Whether a clause tells what the customer will do and come back with ("will review and get back to us")."""
    return bool(_THEIR_STEP.search(body))


def is_hypothetical(body: str) -> bool:
    """Whether a clause plans nothing: a condition ("if", "si") and a conditional verb ("might", "pourrait")."""
    return bool(_CONDITION.search(body)) and bool(_CONDITIONAL.search(body))


def not_planned(body: str, match: re.Match[str], has_future: bool) -> bool:
    """Whether a meeting or call word names no activity of ours to plan (see the module docstring); a meeting
    only referred to as a point in time counts only in a clause without a future date of its own."""
    if _RECORDING.match(body, match.end()) or _RECORDED.search(body, 0, match.start()):
        return True
    if _UNNEEDED.search(body, 0, match.start()) or _NOT_NEEDED.match(body, match.end()):
        return True
    if _STATE.search(body, 0, match.start()):
        return True
    if _THEIRS.search(body, 0, match.start()) and (_OWN_MEETING.search(body)
                                                   or _WITH_RIVAL.match(body, match.end())):
        return True
    if _SOMEONE.match(body[:match.start()]) and _WITH_OWN.match(body, match.end()):
        return True
    return not has_future and bool(_REFERRED.search(body, 0, match.start()))
