"""English date and time expressions.

Numeric dates are month-first ("5/12" is 12 May). Conventions shared with French are in the README:
"next Tuesday" is the Tuesday of next week, a bare weekday is the first one after the note's day,
"next week" is next Monday, part-of-day words map to :data:`core.DEFAULT_HOUR`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Unpack

from connector.insights.notes.dates import core
from connector.insights.notes.dates.core import Piece, PieceFields

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tues": 1, "tue": 1, "wednesday": 2, "wed": 2, "thursday": 3,
    "thurs": 3, "thur": 3, "thu": 3, "friday": 4, "fri": 4, "saturday": 5, "sunday": 6,
}
NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "a couple of": 2, "couple of": 2, "a few": 3, "few": 3,
}
UNITS = {"day": "day", "week": "week", "fortnight": "fortnight", "month": "month", "year": "year", "hour": "hour",
         "hr": "hour",
         "minute": "minute", "min": "minute"}

_MON = "|".join(sorted(MONTHS, key=len, reverse=True))
_WD = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_NUM = r"\d{1,3}|" + "|".join(sorted(NUMBERS, key=len, reverse=True))
_ORD = r"(?:st|nd|rd|th)?"
_AP = r"(?P<ap{n}>a\.?\s?m\.?|p\.?\s?m\.?)"
_TOMORROW = r"tomorrow|tomorow|tommorow|tommorrow|tmrw|tmrow|tmr|2moro"

Handler = Callable[[re.Match[str], dt.datetime], Piece | None]
RULES: list[tuple[re.Pattern[str], Handler]] = []


def rule(pattern: str) -> Callable[[Handler], Handler]:
    """Register a handler for a pattern (compiled case-insensitive, bounded by word edges)."""

    def wrap(handler: Handler) -> Handler:
        RULES.append((re.compile(rf"(?<![\w/:]){pattern}(?![\w/])", re.IGNORECASE), handler))
        return handler

    return wrap


def _num(word: str) -> int:
    return int(word) if word.isdigit() else NUMBERS[word.lower()]


def _meridiem(value: str | None) -> str | None:
    return None if not value else ("am" if value.lower().startswith("a") else "pm")


def _at(m: re.Match[str], kind: str, **fields: Unpack[PieceFields]) -> Piece:
    return Piece(m.start(), m.end(), kind, **fields)


@rule(rf"(?:on\s+)?(?:the\s+)?(?P<mon>{_MON})\.?\s+(?:the\s+)?(?P<day>\d{{1,2}}){_ORD}(?:\s*,?\s*(?:of\s+)?(?P<year>\d{{4}}))?")
def _month_day(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    year = int(m["year"]) if m["year"] else None
    day = core.upcoming_date(ref.date(), MONTHS[m["mon"].lower()], int(m["day"]), year)
    return _at(m, kind="date", date=day, past=day < ref.date()) if day else None


@rule(rf"(?:on\s+)?(?:the\s+)?(?P<day>\d{{1,2}}){_ORD}\s+(?:of\s+)?(?P<mon>{_MON})\.?(?:\s*,?\s*(?:of\s+)?(?P<year>\d{{4}}))?")
def _day_month(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    return _month_day(m, ref)


@rule(r"(?:on\s+)?(?P<a>\d{1,2})/(?P<b>\d{1,2})(?:/(?P<y>\d{2}|\d{4}))?")
def _numeric(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    year = int(m["y"]) if m["y"] else None
    day = core.upcoming_date(ref.date(), int(m["a"]), int(m["b"]), year) if int(m["a"]) <= 12 else None
    return _at(m, kind="date", date=day, past=day < ref.date()) if day else None


@rule(r"(?P<y>\d{4})([-/])(?P<m>\d{1,2})\2(?P<d>\d{1,2})")
def _iso(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    day = core.safe_date(int(m["y"]), int(m["m"]), int(m["d"]))
    return _at(m, kind="date", date=day) if day else None


@rule(r"(?:on\s+)?the\s+(?P<day>\d{1,2})(?:st|nd|rd|th)")
def _day_only(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    today = ref.date()
    day = core.safe_date(today.year, today.month, int(m["day"]))
    if day is not None and day < today:
        nxt = core.add_months(today.replace(day=1), 1)
        day = core.safe_date(nxt.year, nxt.month, int(m["day"]))
    return _at(m, kind="date", date=day) if day else None


@rule(rf"(?:on\s+)?(?:(?P<mod>next|this\s+past|this|coming|last|past|previous|following)\s+)?(?P<wd>{_WD})\.?"
      r"(?P<last>\s+last)?")
def _weekday(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    mod = " ".join((m["mod"] or "").lower().split())
    weekday, today = WEEKDAYS[m["wd"].lower()], ref.date()
    if mod in ("past", "this past"):
        back = (today.weekday() - weekday) % 7 or 7  # the most recent such day
        return _at(m, kind="date", date=today - dt.timedelta(days=back), past=True)
    past = mod in ("last", "previous") or bool(m["last"])
    mode = "last" if past else {"next": "next", "following": "next", "this": "this", "coming": "upcoming"}.get(
        mod, "upcoming")
    day = core.weekday_date(today, weekday, mode)
    if mode == "this" and day <= today:  # "call back this Monday" written on a Wednesday: the coming Monday
        day = core.weekday_date(today, weekday, "upcoming")
    return _at(m, kind="date", date=day, past=past, weekday_only=not mod)


@rule(rf"(?:on\s+)?(?:(?P<mod>next|this|last|previous|following)\s+week'?s?\s*[-,]?\s*(?:on\s+)?(?P<wd>{_WD})|"
      rf"(?P<wd2>{_WD})\s+of\s+(?:the\s+)?(?P<mod2>next|this|last|previous|following)\s+week)")
def _week_weekday(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    mod = (m["mod"] or m["mod2"]).lower()
    mode = {"next": "next", "following": "next", "this": "this"}.get(mod, "last")
    day = core.weekday_date(ref.date(), WEEKDAYS[(m["wd"] or m["wd2"]).lower()], mode)
    return _at(m, kind="date", date=day, past=mode == "last")


@rule(rf"(?P<w>today|tonight|{_TOMORROW}|(?:the\s+)?day\s+after\s+(?:{_TOMORROW})|yesterday|"
      r"(?:the\s+)?day\s+before\s+yesterday)")
def _relative_day(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    word = m["w"].lower()
    if "after" in word:
        offset = 2
    elif "before" in word:
        offset = -2
    elif word == "yesterday":
        offset = -1
    elif word in ("today", "tonight"):
        offset = 0
    else:
        offset = 1
    time = dt.time(core.DEFAULT_HOUR["evening"]) if word == "tonight" else None
    return _at(m, kind="date", date=ref.date() + dt.timedelta(days=offset), time=time, past=offset < 0,
               part="evening" if time else None)


@rule(r"(?:in\s+)?half\s+an\s+hour(?:\s+from\s+now)?")
def _half_hour(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    piece = core.shift(ref, 30, "minute")
    return Piece(m.start(), m.end(), "date", piece.date, piece.time) if piece else None


@rule(rf"(?P<n>{_NUM})\s+(?P<unit>day|week|fortnight|month|year)s?\s+(?P<dir>from|after|before)")
def _shift(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    amount, unit = _num(m["n"]), UNITS[m["unit"].lower()]
    if unit == "fortnight":
        amount, unit = amount * 2, "week"
    return _at(m, kind="shift", shift=(-amount if m["dir"].lower() == "before" else amount, unit))


@rule(rf"(?:in|within)\s+(?P<n>{_NUM})?\s*(?P<unit>day|week|fortnight|month|year|hour|hr|minute|min)s?(?:['’]s\s+time)?")
def _in_units(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    amount, unit = _num(m["n"]) if m["n"] else 1, UNITS[m["unit"].lower()]
    if unit == "fortnight":
        amount, unit = amount * 2, "week"
    piece = core.shift(ref, amount, unit)
    return Piece(m.start(), m.end(), "date", piece.date, piece.time) if piece else None


@rule(rf"(?P<n>{_NUM})\s+(?P<unit>day|week|month|year|hour|hr|minute|min)s?\s+(?P<dir>ago|from\s+now|later)")
def _units_ago(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    ago = m["dir"].lower() == "ago"
    piece = core.shift(ref, -_num(m["n"]) if ago else _num(m["n"]), UNITS[m["unit"].lower()])
    return Piece(m.start(), m.end(), "date", piece.date, piece.time, past=ago) if piece else None


@rule(r"(?P<mod>next|last|this|coming)\s+(?P<unit>week|month|year)")
def _next_period(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    mod, unit, today = m["mod"].lower(), m["unit"].lower(), ref.date()
    step = {"next": 1, "coming": 1, "last": -1, "this": 0}[mod]
    if unit == "week":
        if step == 0:
            return None
        day = core.weekday_date(today, 0, "next" if step > 0 else "last")
    elif unit == "month":
        day = core.add_months(today.replace(day=1), step)
    else:
        day = dt.date(today.year + step, 1, 1)
    return _at(m, kind="date", date=day, past=step < 0) if step else None


@rule(rf"(?:the\s+)?(?:end\s+of\s+(?:the\s+)?(?P<what>month|week|year|{_MON})|(?P<abbr>eom|eow|eoy)|"
      r"(?P<unit>month|week|year)[- ]end)")
def _end_of(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    what = (m["what"] or m["unit"] or {"eom": "month", "eow": "week", "eoy": "year"}[m["abbr"].lower()]).lower()
    today = ref.date()
    if what == "month":
        day = core.month_end(today.year, today.month)
    elif what == "week":
        day = core.weekday_date(today, 4, "this")
        day = day if day >= today else core.weekday_date(today, 4, "next")
    elif what == "year":
        day = dt.date(today.year, 12, 31)
    else:
        month = MONTHS[what]
        year = today.year if month >= today.month else today.year + 1
        day = core.month_end(year, month)
    return _at(m, kind="date", date=day)


# --- times ---------------------------------------------------------------------------------------------

@rule(rf"(?:from\s+|between\s+)?(?P<h1>\d{{1,2}})(?::(?P<m1>\d{{2}}))?\s*{_AP.format(n=1)}?\s*(?:-|–|to|until|till|and)"
      rf"\s*(?P<h2>\d{{1,2}})(?::(?P<m2>\d{{2}}))?\s*{_AP.format(n=2)}?")
def _time_range(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    ap1, ap2 = _meridiem(m["ap1"]), _meridiem(m["ap2"])
    if not (ap1 or ap2 or (m["m1"] and m["m2"])):
        return None
    first_ap = ap1 or ap2
    start = core.hour_minute(int(m["h1"]), int(m["m1"] or 0), first_ap)
    end = core.hour_minute(int(m["h2"]), int(m["m2"] or 0), ap2 or ap1)
    if start and end and end < start and not ap1 and ap2 == "pm":
        start = core.hour_minute(int(m["h1"]), int(m["m1"] or 0), "am")  # "11-1pm"
    return _at(m, kind="time", time=start, end_time=end, loose=not (ap1 or ap2)) if start and end else None


_HOUR_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
               "ten": 10, "eleven": 11, "twelve": 12}
_HW = "|".join(_HOUR_WORDS)


@rule(r"(?:from\s+|between\s+)?(?P<h1>\d{1,2})\s*(?:-|–|to)\s*(?P<h2>\d{1,2})"
      r"(?!\s*(?:%|\d|[.,:]\d|days?|weeks?|months?|years?|people|persons|users|licen[cs]es|seats|units|pcs|k\b|m\b|am|pm|a\.|p\.))")
def _bare_hour_range(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    """"10-11", "2-3": an hour range without am/pm, read as business hours."""
    first, second = int(m["h1"]), int(m["h2"])
    if not (1 <= first <= 12 and 1 <= second <= 12 and 1 <= (second - first) % 12 <= 3):
        return None
    start = dt.time(first + 12 if first <= 7 else first)
    end = dt.time(second + 12 if second <= 7 or second < first else second)
    return _at(m, kind="time", time=start, end_time=end, loose=True)


@rule(rf"(?:at\s+|@\s*|around\s+|by\s+|circa\s+|after\s+|before\s+)?(?P<h>\d{{1,2}}|{_HW})(?:[:.](?P<m>\d{{2}}))?(?::(?P<s>\d{{2}}))?"
      rf"(?:\s*{_AP.format(n='')}|(?P<ap1>[ap]))(?:ish)?")
def _time_12h(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    hour = int(m["h"]) if m["h"].isdigit() else _HOUR_WORDS[m["h"].lower()]
    time = core.hour_minute(hour, int(m["m"] or 0), _meridiem(m["ap"] or m["ap1"]))
    if time is not None and m["s"]:
        time = time.replace(second=int(m["s"]))
    return _at(m, kind="time", time=time) if time else None


@rule(r"(?:at\s+|@\s*|around\s+|circa\s+)?(?P<h>[01]?\d|2[0-3])[:h](?P<m>[0-5]\d)(?::(?P<s>[0-5]\d))?(?:ish)?")
def _time_24h(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    hour = int(m["h"])
    return _at(m, kind="time", time=dt.time(hour, int(m["m"]), int(m["s"] or 0)), loose=1 <= hour <= 12)


@rule(r"(?:(?:at|@|around|circa)\s+(?P<h>\d{1,2})(?:ish)?|(?P<h2>\d{1,2})ish)"
      r"(?!\s*(?:%|\.\d|,\d|days?|weeks?|months?|years?|people|pm|am|p\.|a\.))")
def _bare_hour(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    hour = int(m["h"] or m["h2"])
    if not 1 <= hour <= 12:
        return None
    # Business hours: "at 3" means 15:00, "at 9" means 09:00.
    return _at(m, kind="time", time=dt.time(hour + 12 if hour <= 7 else hour), loose=True)


@rule(r"(?:at\s+|in\s+the\s+|this\s+)?(?P<w>noon|midday|mid\s?night|morning|afternoon|evening|eod|cob|"
      r"end\s+of\s+(?:the\s+)?(?:business\s+)?day|close\s+of\s+business)(?:ish)?")
def _part_of_day(m: re.Match[str], ref: dt.datetime) -> Piece | None:
    word = m["w"].lower().replace(" ", "")
    key = {"midday": "noon", "cob": "eod"}.get(word, word)
    if key.startswith(("end", "close")):
        key = "eod"
    time = dt.time(core.DEFAULT_HOUR[key])
    part = key if key in ("morning", "afternoon", "evening") else None
    if m.group(0).lower().startswith("this"):
        # "this morning" in a note is nearly always what already happened; an exact time can say otherwise.
        return _at(m, kind="date", date=ref.date(), time=time, part=part, past=key == "morning")
    return _at(m, kind="time", time=time, part=part)


def find_pieces(text: str, reference: dt.datetime) -> list[Piece]:
    """Every English date/time piece in ``text``, resolved against ``reference`` (local, naive or aware)."""
    return core.find_with(RULES, text, reference)
