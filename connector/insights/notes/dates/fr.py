"""French date and time expressions.

Numeric dates are day-first ("04/05" is 4 May). "mardi prochain" is the Tuesday of next week (as "next
Tuesday" in English), "dans quinze jours" / "dans 15 jours" is two weeks and "dans huit jours" one week,
as French speakers mean them. Times: "16h", "16 h 00", "16h30", "16:30", "midi", "9 heures".
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Unpack

from connector.insights.notes.dates import core
from connector.insights.notes.dates.core import Piece, PieceFields
from connector.insights.notes.lexicon import _accent_tolerant

MONTHS = {
    "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "mars": 3, "avril": 4, "avr": 4,
    "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "août": 8, "aout": 8, "septembre": 9, "sept": 9,
    "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "décembre": 12, "decembre": 12, "déc": 12, "dec": 12,
}
WEEKDAYS = {"lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6}
NUMBERS = {
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "quinze": 15, "quelques": 3,
}
UNITS = {"jour": "day", "jours": "day", "semaine": "week", "semaines": "week", "mois": "month", "an": "year",
         "ans": "year", "année": "year", "années": "year", "heure": "hour", "heures": "hour", "h": "hour",
         "minute": "minute", "minutes": "minute", "min": "minute"}

_MON = "|".join(sorted(MONTHS, key=len, reverse=True))
_WD = "|".join(WEEKDAYS)
_NUM = r"\d{1,3}|" + "|".join(sorted(NUMBERS, key=len, reverse=True))
_UNIT = "|".join(sorted(UNITS, key=len, reverse=True))
_DEMAIN = r"demain|dmain|dem1|lendemain"

_PLAIN = str.maketrans("éèêëàâçùûîïô", "eeeeaacuuiio")


def _plain(word: str) -> str:
    """Lower-case ``word`` without accents, the form the lookup tables are keyed by."""
    return word.lower().translate(_PLAIN)


MONTHS = {_plain(k): v for k, v in MONTHS.items()}
NUMBERS = {_plain(k): v for k, v in NUMBERS.items()}
UNITS = {_plain(k): v for k, v in UNITS.items()}

Handler = Callable[[re.Match[str], dt.datetime], Piece | None]
RULES: list[tuple[re.Pattern[str], Handler]] = []


def rule(pattern: str) -> Callable[[Handler], Handler]:
    """Register a handler for a pattern (compiled case-insensitive, bounded by word edges)."""

    def wrap(handler: Handler) -> Handler:
        tolerant = _accent_tolerant(pattern)  # "apres-midi", "decembre", "derniere" typed without accents
        RULES.append((re.compile(rf"(?<![\w/:]){tolerant}(?![\w/])", re.IGNORECASE), handler))
        return handler

    return wrap


def _num(word: str) -> int:
    return int(word) if word.isdigit() else NUMBERS[_plain(word)]


def _at(m: re.Match[str], kind: str, **fields: Unpack[PieceFields]) -> Piece:
    return Piece(m.start(), m.end(), kind, **fields)


@rule(rf"(?:(?:le|du|au)\s+)?(?P<day>\d{{1,2}}|1er|premier)\s+(?P<mon>{_MON})\.?(?:\s+(?:de\s+)?(?P<year>\d{{4}}))?")
def _day_month(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    day_word = m["day"].lower()
    number = 1 if day_word in ("1er", "premier") else int(day_word)
    year = int(m["year"]) if m["year"] else None
    day = core.upcoming_date(ref.date(), MONTHS[_plain(m["mon"])], number, year)
    return _at(m, kind="date", date=day, past=day < ref.date()) if day else None


@rule(rf"(?:les\s+|du\s+)?(?P<day>\d{{1,2}}|1er)\s+(?:et|au|-)\s+\d{{1,2}}\s+(?P<mon>{_MON})\.?(?:\s+(?P<year>\d{{4}}))?")
def _day_pair(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    """"les 12 et 13 juin", "du 3 au 5 mars": the first day."""
    return _day_month(m, ref)


@rule(r"(?:(?:le|du|au)\s+)?(?P<d>\d{1,2})(?:/(?P<m>\d{1,2})(?:/(?P<y>\d{2}|\d{4}))?|\.(?P<m2>\d{1,2})\.(?P<y2>\d{2}|\d{4}))")
def _numeric(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    year_text, month = m["y"] or m["y2"], int(m["m"] or m["m2"])
    year = int(year_text) if year_text else None
    if year is not None and year < 100:
        year += 1900 if year > (ref.year % 100) + 20 else 2000  # "15.05.99" is 1999
    day = core.upcoming_date(ref.date(), month, int(m["d"]), year) if month <= 12 else None
    return _at(m, kind="date", date=day, past=day < ref.date()) if day else None


@rule(r"(?P<y>\d{4})([-/])(?P<m>\d{1,2})\2(?P<d>\d{1,2})")
def _iso(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    day = core.safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
    return _at(m, kind="date", date=day) if day else None


@rule(r"le\s+(?P<day>\d{1,2}|1er)(?!\s*(?:%|h\b|heures?|:|/|\d|€|ans?\b|jours?|mois|personnes))")
def _day_only(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    today, number = ref.date(), 1 if m["day"].lower() == "1er" else int(m["day"])
    day = core.safe_date(today.year, today.month, number)
    if day is not None and day < today:
        nxt = core.add_months(today.replace(day=1), 1)
        day = core.safe_date(nxt.year, nxt.month, number)
    return _at(m, kind="date", date=day) if day else None


@rule(rf"(?:(?P<ce>ce|cette)\s+|tous\s+les\s+)?(?P<wd>{_WD})s?(?:\s+(?P<mod>prochain|qui\s+vient|dernier|passé|passe|d'avant))?")
def _weekday(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    mod = (m["mod"] or "").lower()
    past = mod in ("dernier", "passé", "passe", "d'avant")
    mode = "last" if past else "next" if mod == "prochain" else "this" if m["ce"] else "upcoming"
    day = core.weekday_date(ref.date(), WEEKDAYS[_plain(m["wd"])], mode)
    if mode == "this" and day <= ref.date():
        day = core.weekday_date(ref.date(), WEEKDAYS[_plain(m["wd"])], "upcoming")
    return _at(m, kind="date", date=day, past=past, weekday_only=not (mod or m["ce"]))


_ABBREVIATED = {"lun": 0, "mar": 1, "mer": 2, "jeu": 3, "ven": 4, "sam": 5, "dim": 6}


@rule(r"(?P<wd>lun|mar|mer|jeu|ven|sam|dim)(?:\.|(?=\s+(?:matin|midi|soir|après-midi|aprem|\d)))")
def _weekday_abbreviation(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    """"ven matin", "jeu. 14h": abbreviated weekdays, only before a time or with a period ("Sam" is a name)."""
    day = core.weekday_date(ref.date(), _ABBREVIATED[_plain(m["wd"])], "upcoming")
    return _at(m, kind="date", date=day, weekday_only=True)


@rule(rf"(?P<w>aujourd'hui|aujourd’hui|auj\.?|ce\s+soir|après-demain|apres-demain|après\s+demain|{_DEMAIN}|"
      r"avant-hier|avant\s+hier|hier)")
def _relative_day(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    word = m["w"].lower().replace("’", "'")
    if word.startswith(("après", "apres")):
        offset = 2
    elif word.startswith("avant"):
        offset = -2
    elif word == "hier":
        offset = -1
    elif word.startswith(("auj", "ce")):
        offset = 0
    else:
        offset = 1
    time = dt.time(core.DEFAULT_HOUR["evening"]) if word.startswith("ce") else None
    return _at(m, kind="date", date=ref.date() + dt.timedelta(days=offset), time=time, past=offset < 0,
               part="evening" if time else None)


@rule(rf"(?P<prep>dans|ds|d'ici|sous|en)\s+(?P<n>{_NUM})\s+(?P<unit>{_UNIT})")
def _in_units(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    amount, unit = _num(m["n"]), UNITS[_plain(m["unit"])]
    if unit == "day" and amount in (8, 15):
        amount -= 1  # "dans huit jours" is a week, "dans quinze jours" two weeks
    piece = core.shift(ref, amount, unit)
    return Piece(m.start(), m.end(), "date", piece.date, piece.time) if piece else None


@rule(rf"il\s+y\s*a\s+(?:(?:à\s+)?(?:peu\s+près|environ)\s+)?(?P<n>{_NUM})\s+(?P<unit>{_UNIT})")
def _ago(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    piece = core.shift(ref, -_num(m["n"]), UNITS[_plain(m["unit"])])
    return Piece(m.start(), m.end(), "date", piece.date, piece.time, past=True) if piece else None


@rule(r"(?:(?:la|le|l')\s*)?(?P<unit>semaine|mois|année|an)\s+(?P<mod>prochaine?|dernière?|passée?)")
def _next_period(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    unit, today = m["unit"].lower(), ref.date()
    step = 1 if m["mod"].lower().startswith("prochain") else -1
    if unit == "semaine":
        day = core.weekday_date(today, 0, "next" if step > 0 else "last")
    elif unit == "mois":
        day = core.add_months(today.replace(day=1), step)
    else:
        day = dt.date(today.year + step, 1, 1)
    return _at(m, kind="date", date=day, past=step < 0)


@rule(rf"(?:d'ici\s+)?(?:(?:à\s+)?la\s+)?fin\s+(?:(?:du|de|d')\s*(?:la\s+|l')?)?(?P<what>mois|semaine|année|{_MON})")
def _end_of(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    what, today = _plain(m["what"]), ref.date()
    if what == "mois":
        day = core.month_end(today.year, today.month)
    elif what == "semaine":
        day = core.weekday_date(today, 4, "this")
        day = day if day >= today else core.weekday_date(today, 4, "next")
    elif what == "annee":
        day = dt.date(today.year, 12, 31)
    else:
        month = MONTHS[what]
        day = core.month_end(today.year if month >= today.month else today.year + 1, month)
    return _at(m, kind="date", date=day)


# --- times ---------------------------------------------------------------------------------------------

_T = (r"(?P<h{n}>[01]?\d|2[0-3])\s*(?:(?:h|heures?)\s*(?P<m{n}>[0-5]\d)?|:(?P<c{n}>[0-5]\d)(?::(?P<s{n}>[0-5]\d))?)"
      r"(?:\s*(?P<ap{n}>[ap]\.?m\.?))?")
_HOUR_WORDS = {
    "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9, "dix": 10,
    "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "dix-sept": 17,
    "dix-huit": 18, "dix-neuf": 19, "vingt": 20, "vingt et une?": 21, "vingt-deux": 22, "vingt-trois": 23,
}


def _clock(m: re.Match[str], n: str) -> dt.time | None:
    hour, minute = int(m[f"h{n}"]), int(m[f"m{n}"] or m[f"c{n}"] or 0)
    meridiem = m[f"ap{n}"]
    second = int(m[f"s{n}"] or 0)
    if meridiem:
        time = core.hour_minute(hour, minute, "am" if meridiem.lower().startswith("a") else "pm")
        return time.replace(second=second) if time else None
    return dt.time(hour, minute, second)


@rule(rf"(?:de\s+|entre\s+)?{_T.format(n=1)}\s*(?:-|–|à|a|et|jusqu'à)\s*{_T.format(n=2)}")
def _time_range(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    start, end = _clock(m, "1"), _clock(m, "2")
    return _at(m, kind="time", time=start, end_time=end) if start and end else None


@rule(rf"(?:à\s+|a\s+|vers\s+|dès\s+|après\s+|avant\s+)?{_T.format(n='')}")
def _time(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    time = _clock(m, "")
    return _at(m, kind="time", time=time, loose=not m["ap"] and 1 <= int(m["h"]) <= 12) if time else None


@rule(r"(?:à|a|vers)\s+(?P<h>[01]?\d|2[0-3])(?!\s*(?:%|€|\$|[.,]\d|/|:|h\b|heures?|personnes?|jours?|semaines?|"
      r"mois|ans?\b|ème|e\b|km|m\b|euros?|k€|pièces?|exemplaires?|licences?|utilisateurs?|postes?|ans\b))")
def _bare_hour(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    hour = int(m["h"])
    return _at(m, kind="time", time=dt.time(hour + 12 if 1 <= hour <= 7 else hour), loose=1 <= hour <= 12)


@rule(r"(?:à\s+|vers\s+)?(?P<w>" + "|".join(sorted(_HOUR_WORDS, key=len, reverse=True)) + r")\s+heures?")
def _hour_words(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    word = " ".join(m["w"].lower().split())
    hour = next(v for k, v in _HOUR_WORDS.items() if re.fullmatch(k, word))
    return _at(m, kind="time", time=dt.time(hour))


@rule(r"(?:à\s+|a\s+|vers\s+|dans\s+la\s+|dans\s+le\s+|en\s+|dans\s+l'|ce\s+|cet\s+|du\s+|de\s+l')?"
      r"(?P<w>midi|minuit|matinée|matin|"
      r"après-midi|apres-midi|aprem|aprèm|soirée|soir|fin\s+de\s+(?:la\s+)?journée)")
def _part_of_day(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    word = m["w"].lower()
    if word.startswith("fin"):
        key = "eod"
    elif word.startswith(("apr", "aprem")):
        key = "afternoon"
    else:
        key = {"midi": "noon", "minuit": "midnight", "matin": "morning", "matinee": "morning",
               "soir": "evening", "soiree": "evening"}[_plain(word)]
    time = dt.time(core.DEFAULT_HOUR[key])
    part = key if key in ("morning", "afternoon", "evening") else None
    if m.group(0).lower().startswith(("ce ", "cet ")):
        # "ce matin" in a note is nearly always what already happened; an exact time can say otherwise.
        return _at(m, kind="date", date=ref.date(), time=time, part=part, past=key == "morning")
    return _at(m, kind="time", time=time, part=part)


def find_pieces(text: str, reference: dt.datetime) -> list[Piece]:
    """Every French date/time piece in ``text``, resolved against ``reference`` (local, naive or aware)."""
    return core.find_with(RULES, text, reference)
