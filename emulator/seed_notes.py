"""Timeline notes (EN and FR) with or without intents, and the truth of each intent.

A note is built from sentences. Intent sentences (appointment, phone call, task, new contact, content
request, issue) carry a date expression generated *from* a chosen target date and time, so the truth
is exact: the expression resolves, against the note's creation time in its owner's time zone, to the
target. Conventions (documented in README.seed.md): a bare weekday ("Friday", "by Friday", "vendredi")
is its next occurrence strictly after the reference day; "next Tuesday"/"mardi prochain" is only
written when that weekday of the current week is not still ahead (so both readings agree); absolute
dates without a year are the next such date; "tomorrow morning" has a date and a part of day, no time.
Non-intent notes hold facts and past events ("we met last Friday"), which are not intents.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

MONTHS = {"en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                 "November", "December"),
          "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
                 "novembre", "décembre")}
DAYS = {"en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")}
INTENT_TYPES = ("appointment", "phonecall", "task", "contact", "content_request", "issue")


@dataclass
class Note:
    """One generated note: subject, text and the intents it really contains."""

    subject: str
    text: str
    intents: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class _When:
    expr: str
    day: date
    at: time | None = None
    part_of_day: str | None = None


def _ordinal(n: int, lang: str) -> str:
    if lang == "fr":
        return "1er" if n == 1 else str(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _time_expr(rnd: random.Random, lang: str, at: time) -> str:
    h, m = at.hour, at.minute
    if lang == "fr":
        if h == 12 and m == 0 and rnd.random() < 0.5:
            return "midi"
        return rnd.choice((f"{h} h {m:02d}", f"{h}h{m:02d}", f"{h}h" if m == 0 else f"{h}h{m:02d}", f"{h}:{m:02d}"))
    if h == 12 and m == 0 and rnd.random() < 0.5:
        return "noon"
    h12 = h % 12 or 12
    ampm = "PM" if h >= 12 else "AM"
    if m == 0:
        return rnd.choice((f"{h12}:00 {ampm}", f"{h12} {ampm.lower()}", f"{h12}{ampm.lower()}", f"{h}:00"))
    return rnd.choice((f"{h12}:{m:02d} {ampm}", f"{h12}:{m:02d}{ampm.lower()}", f"{h}:{m:02d}"))


def _future(rnd: random.Random, lang: str, ref: datetime, deadline: bool) -> _When:
    """A future date expression (relative or absolute) and the local day it means."""
    today = ref.date()
    form = rnd.choices(("tomorrow", "after_tomorrow", "in_days", "weekday", "next_weekday", "absolute", "numeric"),
                       (18, 6, 10, 22, 12, 24, 8))[0]
    fr = lang == "fr"
    if form == "tomorrow":
        day = today + timedelta(days=1)
        if not deadline and rnd.random() < 0.35:
            part = rnd.choice(("morning", "afternoon"))
            word = {"morning": "matin", "afternoon": "après-midi"}[part] if fr else part
            return _When(f"demain {word}" if fr else f"tomorrow {word}", day, part_of_day=part)
        if deadline:
            return _When(rnd.choice(("pour demain", "d'ici demain", "avant demain soir")) if fr
                         else rnd.choice(("by tomorrow", "by end of day tomorrow", "tmrw")), day)
        return _When("demain" if fr else rnd.choice(("tomorrow", "tomorrow", "tmrw")), day)
    if form == "after_tomorrow":
        day = today + timedelta(days=2)
        return _When(("d'ici après-demain" if deadline else "après-demain") if fr
                     else ("by the day after tomorrow" if deadline else "the day after tomorrow"), day)
    if form == "in_days":
        n = rnd.randint(2, 10)
        day = today + timedelta(days=n)
        if deadline:
            return _When(f"sous {n} jours" if fr else f"within {n} days", day)
        return _When(f"dans {n} jours" if fr else f"in {n} days", day)
    if form in ("weekday", "next_weekday"):
        wd_today = today.weekday()
        if form == "next_weekday":
            target_wd = rnd.randint(0, wd_today) if wd_today < 5 else rnd.randint(0, 4)
            # The weekday of this week is today or already past, so "next X" is unambiguous.
            day = today + timedelta(days=(7 - wd_today) + target_wd)
            name = DAYS[lang][target_wd]
            if fr:
                return _When(f"avant {name} prochain" if deadline else f"{name} prochain", day)
            return _When(f"by next {name}" if deadline else f"next {name}", day)
        ahead = rnd.randint(1, 6)
        day = today + timedelta(days=ahead)
        if day.weekday() >= 5:
            day += timedelta(days=7 - day.weekday())
            if (day - today).days > 6 or day == today:
                day = today + timedelta(days=1)
        name = DAYS[lang][day.weekday()]
        if fr:
            return _When(rnd.choice((f"avant {name}", f"d'ici {name}", f"pour {name}")) if deadline
                         else rnd.choice((name, f"ce {name}")), day)
        return _When(rnd.choice((f"by {name}", f"before {name}", f"by {name[:3]}")) if deadline
                     else rnd.choice((f"on {name}", f"this {name}", name)), day)
    day = today + timedelta(days=rnd.randint(3, 75))
    month = MONTHS[lang][day.month - 1]
    if form == "numeric":
        core = rnd.choice((f"{day.day:02d}/{day.month:02d}", f"{day.day}/{day.month:02d}/{day.year}")) if fr \
            else day.isoformat()
        if fr:
            return _When(f"avant le {core}" if deadline else f"le {core}", day)
        return _When(f"by {core}" if deadline else f"on {core}", day)
    if fr:
        core = rnd.choice((f"le {_ordinal(day.day, lang)} {month}",
                           f"le {DAYS[lang][day.weekday()]} {day.day} {month}"))
        return _When(rnd.choice((f"avant {core}", f"d'ici {core}")) if deadline else core, day)
    core = rnd.choice((f"{month} {day.day}", f"{month} {_ordinal(day.day, lang)}", f"{day.day} {month}",
                       f"{DAYS[lang][day.weekday()]}, {month} {day.day}", f"{month[:3]} {day.day}"))
    return _When(f"by {core}" if deadline else f"on {core}", day)


def _with_time(rnd: random.Random, lang: str, when: _When, p_time: float) -> _When:
    if when.part_of_day or rnd.random() >= p_time:
        return when
    at = time(rnd.choice((8, 9, 9, 10, 10, 11, 12, 14, 14, 15, 16, 16, 17)), rnd.choice((0, 0, 0, 15, 30, 30, 45)))
    sep = " à " if lang == "fr" else " at "
    return _When(when.expr + sep + _time_expr(rnd, lang, at), when.day, at)


_TEMPLATES: dict[str, dict[str, tuple[str, ...]]] = {
    "appointment": {"en": ("Meet the customer {d}.", "Meeting with {n} {d} to review the proposal.",
                           "Set up a demo for {n} {d}.", "Could we talk over coffee {d}? {n} suggested it.",
                           "Onsite visit planned {d}.", "Lunch with {n} {d}."),
                    "fr": ("Rencontrer le client {d}.", "RDV avec {n} {d} pour revoir la proposition.",
                           "Organiser une démo pour {n} {d}.", "Prendre un café avec {n} {d}.",
                           "Visite sur site prévue {d}.", "Déjeuner avec {n} {d}.")},
    "phonecall": {"en": ("Call {n} back {d}.", "Phone {n} {d} about the renewal.", "Remind me to ring {n} {d}.",
                         "Follow-up call with {n} {d}.", "call back {d}"),
                  "fr": ("Rappeler {n} {d}.", "Appeler {n} {d} au sujet du renouvellement.",
                         "Passer un coup de fil à {n} {d}.", "Appel de suivi avec {n} {d}.", "rappeler {d}")},
    "task": {"en": ("I'll prepare the contract {d}.", "Send the revised quote {d}.",
                    "{n} to confirm the date with us {d}.", "Need to update the pricing sheet {d}.",
                    "Get legal sign-off {d}."),
             "fr": ("Préparer le contrat {d}.", "Envoyer le devis révisé {d}.", "{n} doit confirmer la date {d}.",
                    "Mettre à jour la grille tarifaire {d}.", "Obtenir la validation juridique {d}.")},
}
_CONTACT = {"en": ("Let me introduce you to {c}, {r} ({x}).", "New contact: {c}, {r}, {x}.",
                   "Spoke with {c}, their new {r}; reach them at {x}."),
            "fr": ("Je vous présente {c}, {r} ({x}).", "Nouveau contact : {c}, {r}, {x}.",
                   "Échange avec {c}, nouveau {r} ; joignable au {x}.")}
_CONTENT = {"brochure": {"en": "They asked for the brochure.", "fr": "Le client demande la brochure."},
            "price list": {"en": "Please send the price list to {n}.", "fr": "Envoyer la grille tarifaire à {n}."},
            "documentation": {"en": "Customer wants the technical documentation.",
                              "fr": "Ils veulent la documentation technique."}}
_ISSUE = {"complaint": {"en": "Customer complained about errors on the last invoice.",
                        "fr": "Le client se plaint d'erreurs sur la dernière facture."},
          "defect": {"en": "Defect reported on the mobile app: sync fails after the update.",
                     "fr": "Défaut signalé sur l'application mobile : la synchro échoue depuis la mise à jour."},
          "delay": {"en": "Delivery is delayed by two weeks and the customer is unhappy.",
                    "fr": "La livraison a deux semaines de retard, le client est mécontent."}}
_FACTS = {"en": ("We met last Friday to go over the budget.", "Had a good call yesterday with {n}.",
                 "Customer is happy with the pilot so far.", "Budget approved for next year.",
                 "They use a competitor for payroll.", "Visited the plant on {past}.",
                 "We had a meeting with them last week, went well.", "{n} was on holiday in August.",
                 "Decision maker is the CFO.", "Sent the brochure last Tuesday."),
          "fr": ("Nous nous sommes rencontrés vendredi dernier pour parler du budget.", "Bon échange hier avec {n}.",
                 "Le client est satisfait du pilote pour l'instant.", "Budget validé pour l'an prochain.",
                 "Ils utilisent un concurrent pour la paie.", "Visite de l'usine le {past}.",
                 "Réunion la semaine dernière, ça s'est bien passé.", "{n} était en congés en août.",
                 "Le décideur est le directeur financier.", "Brochure envoyée mardi dernier.")}
_NOISE = {"en": (("meeting", "mtg"), ("please", "pls"), ("customer", "cust."), ("tomorrow", "tmrw"),
                 ("with", "w/"), ("the ", "teh ")),
          "fr": (("rendez-vous", "rdv"), ("téléphone", "tél"), ("client", "clt"), ("à ", "a "), ("é", "e"))}
_SUBJECTS = {"en": ("Call notes", "Meeting notes", "Account update", "Follow-up", "Note", "Next steps", ""),
             "fr": ("Compte rendu", "Notes d'appel", "Suivi", "Point client", "Note", "Prochaines étapes", "")}


def _noisy(rnd: random.Random, lang: str, text: str) -> str:
    """Typos and abbreviations in the fixed words of a template (date expressions are added after)."""
    if rnd.random() < 0.3:
        old, new = rnd.choice(_NOISE[lang])
        text = text.replace(old, new, 1)
    if rnd.random() < 0.2:
        text = text[:1].lower() + text[1:]
    if rnd.random() < 0.15:
        text = text.rstrip(".")
    return text


def _local_iso(day: date, at: time | None, tz: Any) -> str:
    return datetime.combine(day, at or time(0, 0), tzinfo=tz).astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _dated(rnd: random.Random, kind: str, lang: str, ref: datetime, name: str) -> tuple[str, dict[str, Any]]:
    deadline = kind == "task"
    when = _with_time(rnd, lang, _future(rnd, lang, ref, deadline), 0.15 if deadline else 0.6)
    sentence = _noisy(rnd, lang, rnd.choice(_TEMPLATES[kind][lang])).format(n=name, d=when.expr)
    key = "due" if deadline else "start"
    intent = {"type": kind, "expression": when.expr, "date": when.day.isoformat(),
              "time": when.at.strftime("%H:%M") if when.at else None, "part_of_day": when.part_of_day,
              key: _local_iso(when.day, when.at, ref.tzinfo), "all_day": when.at is None}
    return sentence, intent


def _intent(rnd: random.Random, kind: str, lang: str, ref: datetime, name: str,
            new_person: tuple[str, str, str, str]) -> tuple[str, dict[str, Any]]:
    if kind in _TEMPLATES:
        return _dated(rnd, kind, lang, ref, name)
    if kind == "contact":
        first, last, role, handle = new_person
        sentence = rnd.choice(_CONTACT[lang]).format(c=f"{first} {last}", r=role, x=handle)
        key = "email" if "@" in handle else "phone"
        return sentence, {"type": "contact", "name": f"{first} {last}", "role": role, key: handle}
    table = _CONTENT if kind == "content_request" else _ISSUE
    item = rnd.choice(list(table))
    sentence = _noisy(rnd, lang, table[item][lang]).format(n=name)
    intent: dict[str, Any] = {"type": kind, ("item" if kind == "content_request" else "kind"): item}
    if kind == "content_request" and rnd.random() < 0.3:
        when = _future(rnd, lang, ref, True)
        sentence = sentence.rstrip(".") + " " + when.expr + "."
        intent.update({"expression": when.expr, "date": when.day.isoformat(), "time": None, "part_of_day": None,
                       "due": _local_iso(when.day, None, ref.tzinfo), "all_day": True})
    return sentence, intent


def _fact(rnd: random.Random, lang: str, ref: datetime, name: str) -> str:
    past = ref.date() - timedelta(days=rnd.randint(3, 60))
    past_txt = f"{past.day} {MONTHS['fr'][past.month - 1]}" if lang == "fr" \
        else f"{MONTHS['en'][past.month - 1]} {past.day}"
    return _noisy(rnd, lang, rnd.choice(_FACTS[lang])).format(n=name, past=past_txt)


def make_note(rnd: random.Random, lang: str, ref: datetime, name: str, new_person: tuple[str, str, str, str],
              with_intents: bool) -> Note:
    """A note written at ``ref`` (aware, in the owner's time zone) about a customer called ``name``.

    ``new_person`` (first, last, role, e-mail or phone) is used when a new-contact intent is drawn. With
    ``with_intents`` the note holds one to three intents (mixed with facts); otherwise only facts.
    """
    subject = rnd.choice(_SUBJECTS[lang])
    parts: list[str] = []
    intents: list[dict[str, Any]] = []
    if with_intents:
        n = rnd.choices((1, 2, 3), (60, 30, 10))[0]
        kinds = rnd.sample(INTENT_TYPES, k=n) if rnd.random() < 0.5 else \
            [rnd.choices(INTENT_TYPES, (30, 25, 25, 7, 7, 6))[0] for _ in range(n)]
        for kind in kinds:
            sentence, intent = _intent(rnd, kind, lang, ref, name, new_person)
            parts.append(sentence)
            intents.append(intent)
    for _ in range(rnd.choices((0, 1, 2), (20, 50, 30))[0] if with_intents else rnd.choice((1, 2, 3))):
        parts.insert(rnd.randint(0, len(parts)), _fact(rnd, lang, ref, name))
    if len(parts) > 1 and rnd.random() < 0.3:
        bullet = rnd.choice(("- ", "* ", "• "))
        text = "\n".join(bullet + p for p in parts)
    else:
        text = "  ".join(parts) if rnd.random() < 0.1 else " ".join(parts)
    if rnd.random() < 0.1:
        text = f"<div>{text.replace(chr(10), '<br>')}</div>"
    return Note(subject, text, intents)
