"""Which verb of a clause governs what: the helpers the task and meeting detectors share.

A clause's first verb decides whether it is an instruction, and a meeting or call word may be the object of
another verb ("prepare the demo", a to-do) or the activity itself ("schedule a call"). These functions read
those relations from the language's lexicon; the patterns here are the small closed classes (modals' fillers,
light verbs, articles) that are the same shape in English and French.
"""

from __future__ import annotations

import re

from connector.insights.notes.lexicon import Lexicon

MODAL_GAP = re.compile(r"\s+(?:(?:also|still|really|definitely|probably|quickly|please|to|bien|aussi|vite|leur|lui|"
                       r"les|nous|vous|me|te|y|en)\s+|[lmts]'|[lmts]’)*", re.IGNORECASE)
ASKED = re.compile(r"(?:can|could|would)\s+you|(?:peux|pourrais|pouvez|pourriez)-(?:tu|vous)", re.IGNORECASE)
REMINDER = re.compile(r"remind|remember|make\s+sure|penser\s+à|penser\s+a|ne\s+pas\s+oublier", re.IGNORECASE)
LIGHT = re.compile(r"have|take|grab|hop\s+on|jump\s+on|get\s+on|set|hold|do|make|passer|faire|prendre|avoir|"
                   r"tenir|donner|caler|fixer|programmer|bloquer|block|get|find|lock(?:\s+in)?|secure|nail\s+down|"
                   r"pin\s+down|obtenir|trouver|décrocher|decrocher|touch\s+base|reach\s+out|get\s+in\s+touch|joindre",
                   re.IGNORECASE)
"""Verbs that only carry the meeting or call they take as object ("have a call", "passer un appel")."""
LOGISTICS = re.compile(r"(?:invite|inviter|convier|loop\s+in|(?:book|reserve|réserver|reserver)\s+(?:the|a|la|une)\s+"
                       r"(?:[\w-]+\s+){0,2}(?:room|salle|boardroom|venue))\b", re.IGNORECASE)
"""Arranging the meeting of the clause, not a separate to-do ("workshop on Friday, invite the CFO")."""
BREAK = re.compile(r",|;|:(?!\d)|\band\b|\bet\b|\bthen\b|\bpuis\b", re.IGNORECASE)
JOINT = re.compile(r"[,;]\s*|\s(?:and|et|then|puis|also|aussi)\s+", re.IGNORECASE)
_INFINITIVE_MARK = re.compile(r"(?:\bto|\bde|\bd'|\bà|\ba)\s*$", re.IGNORECASE)
_ARTICLE = re.compile(r"\s+(?:(?:a|an|the|to|another|quick|short|un|une|le|la|autre|petit|petite)\s+)*", re.IGNORECASE)
_REFERENCE = re.compile(
    r"\b(?:for|to|pour|à)\s+(?:the|our|la|le|l'|notre)\s+(?:(?!(?:and|et|then|puis)\b)[\w-]+\s+){0,3}$", re.IGNORECASE)
_ROOM = re.compile(r"\s*(?:rooms?|salles?)\b|(?<=salle de )", re.IGNORECASE)
_ARRANGING = re.compile(r"set\s+up|schedule|arrange|book|plan|organi[sz]e", re.IGNORECASE)
_WORD = re.compile(r"\w+")
_MODAL_END = re.compile(r"(?:to|must|will|'ll|faut|dois|doit|devons|vais|gonna|gotta)$", re.IGNORECASE)
_TO = re.compile(r"\W+(?:\w+\W+){0,2}?(?:to|de|d'|à|a)\s*", re.IGNORECASE)


def infinitive_after(body: str, at: int, lex: Lexicon) -> re.Match[str] | None:
    """The verb after "to" / "de" / "à" following ``at`` ("remind me to ring ...")."""
    mark = _TO.match(body, at)
    if mark is None:
        return None
    return (lex.imperative.match(body, mark.end()) or lex.call.match(body, mark.end())
            or lex.appointment.match(body, mark.end()))


def asks_for_meeting(body: str, request: re.Match[str], lex: Lexicon) -> bool:
    """Whether a request verb takes a meeting or call as object ("wants a call to go over the terms")."""
    gap = _ARTICLE.match(body, request.end())
    at = gap.end() if gap else request.end()
    return not lex.content_item.match(body, at) and bool(lex.call.match(body, at) or lex.appointment.match(body, at))


def verb_after_modal(body: str, at: int, lex: Lexicon) -> re.Match[str] | None:
    """The verb right after a modal phrase starting at ``at`` ("don't forget to log ..." → "log"), known or not,
    so that a later noun ("the call notes") is not taken for the verb."""
    modal = lex.task.match(body, at)
    if modal is None or not _MODAL_END.search(modal.group(0)):
        return None
    gap = MODAL_GAP.match(body, modal.end())
    where = gap.end() if gap else modal.end()
    return (lex.imperative.match(body, where) or lex.call.match(body, where) or lex.appointment.match(body, where)
            or _WORD.match(body, where))


def infinitive_verb(body: str, at: int, lex: Lexicon) -> re.Match[str] | None:
    """The verb of an infinitive instruction starting at ``at`` ("apporter le kit" → "apporter")."""
    return _WORD.match(body, at) if lex.infinitive.match(body, at) else None


def arranges(body: str, verb: re.Match[str], meeting: re.Match[str]) -> bool:
    """Whether a scheduling verb acts on the meeting or call ("schedule a call"), not on something else."""
    if meeting.start() <= verb.start() < meeting.end():
        return True  # the verb belongs to the meeting phrase: "faire un point", "passer voir"
    between = body[verb.end():meeting.start()] if meeting.start() >= verb.end() else None
    return between is not None and len(between) <= 30 and not BREAK.search(between)


def task_trigger(body: str, offset: int, lex: Lexicon) -> int | None:
    """Where the to-do starts in the clause: an opening imperative, a modal phrase or a delegation."""
    if lex.imperative.match(body, offset) or lex.infinitive.match(body, offset):
        return offset
    candidates = [m.start() for m in (lex.task.search(body),
                                      lex.delegation.search(body) if lex.delegation else None) if m]
    # An instruction after a comma or "and" ("Lunch on Friday, reserve a table").
    for joint in JOINT.finditer(body):
        if lex.imperative.match(body, joint.end()) or lex.infinitive.match(body, joint.end()):
            candidates.append(joint.end())
            break
    return min(candidates) if candidates else None


def is_object_of_task(body: str, match: re.Match[str], lex: Lexicon) -> bool:
    """"Prepare the demo", "l'environnement de démo", "demo room": a meeting word that is not a meeting."""
    if _ROOM.match(body, match.end()) or body[max(0, match.start() - 9):match.start()].lower() == "salle de ":
        return True
    if _REFERENCE.search(body, 0, match.start()) and (lex.task.search(body, 0, match.start())
                                                      or lex.imperative.match(body)):
        return True  # "print the handouts for the Friday workshop": the meeting is only referred to
    if _INFINITIVE_MARK.search(body, 0, match.start()) and lex.imperative.fullmatch(match.group(0)):
        return False  # "remind me to ring", "penser à appeler": the word is the verb
    base = max(0, match.start() - 40)
    # Searched in the whole body so that a verb's look-ahead sees its object ("order lunch").
    reach = min(len(body), match.end() + 20)
    verbs = [v for v in (*lex.imperative.finditer(body, base, reach), *lex.task.finditer(body, base, reach))
             if v.end() <= match.start() and not BREAK.search(body, v.end(), match.start())]
    verbs.sort(key=lambda v: v.start())
    if not verbs:
        return False
    if lex.imperative.fullmatch(match.group(0)) and not lex.imperative.fullmatch(verbs[-1].group(0)):
        return False  # "I'll call", "il faudrait rappeler": a modal before the call or meeting verb
    word = verbs[-1].group(0)
    modal_verb = verb_after_modal(body, verbs[-1].start(), lex) if lex.task.fullmatch(word) else None
    if modal_verb is not None and modal_verb.end() <= match.start():
        word = modal_verb.group(0)  # "need to find a slot": the verb after the modal decides
    return not (lex.scheduling.fullmatch(word) or lex.call.fullmatch(word) or lex.appointment.fullmatch(word)
                or LIGHT.fullmatch(word) or _ARRANGING.fullmatch(word))
