"""Language-independent part of date/time handling.

A language module (``en.py``, ``fr.py``) finds *pieces* in a text: a date (already resolved against the
reference date), a time of day or a time range. :func:`combine` merges pieces that belong together
("May 4" + "at 4 PM", "mardi" + "23/11") into :class:`Mention` objects, and :func:`resolve_local` gives
a mention its local date and time. :func:`to_utc` turns a local wall-clock time into UTC with zoneinfo,
so daylight-saving changes between the note and the event are handled.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TypedDict
from zoneinfo import ZoneInfo

DEFAULT_HOUR = {"morning": 9, "noon": 12, "afternoon": 14, "evening": 18, "eod": 17, "midnight": 0}
"""Clock time a part-of-day word stands for (a convention, documented in the README)."""


@dataclass(frozen=True)
class Piece:
    """One recognised fragment.

    Attributes:
        start, end: character offsets in the text.
        kind: ``date``, ``time`` or ``shift`` ("3 days from", applied to the date that follows it).
        date: the resolved local date (``date`` and ``offset`` pieces).
        time: the local time of day (``time`` and ``offset`` pieces).
        end_time: end of a time range, when one was given.
        past: the expression itself points backwards ("last Friday", "hier", "3 days ago").
        weekday_only: a bare weekday name, superseded by an adjacent explicit date ("lundi 23/11").
        part: the part-of-day word the time comes from ("morning"), which an exact time refines.
        loose: a time written without am/pm that a part of day may move by 12 hours ("at 7 in the evening").
        shift: ``(amount, unit)`` of a ``shift`` piece.
    """

    start: int
    end: int
    kind: str
    date: dt.date | None = None
    time: dt.time | None = None
    end_time: dt.time | None = None
    past: bool = False
    weekday_only: bool = False
    part: str | None = None
    loose: bool = False
    shift: tuple[int, str] | None = None


class PieceFields(TypedDict, total=False):
    """The optional fields of a :class:`Piece`, as a language rule passes them by keyword."""

    date: dt.date | None
    time: dt.time | None
    end_time: dt.time | None
    past: bool
    weekday_only: bool
    part: str | None
    loose: bool
    shift: tuple[int, str] | None


@dataclass(frozen=True)
class Mention:
    """A date, a time or both, as written in the note, with its span."""

    start: int
    end: int
    date: dt.date | None
    time: dt.time | None
    end_time: dt.time | None = None
    past: bool = False

    @property
    def has_date(self) -> bool:
        """Whether the note named a day (not only a time of day)."""
        return self.date is not None


_JOIN = re.compile(
    r"^[\s,]*(?:(?:at|on|@|à|a|le|from|de|vers|around|about|this|ce|cet|cette|in the|dans la|en|dès|the|@)\s*)*[\s,]*$",
    re.IGNORECASE,
)
"""Words allowed between a date and a time that belong to the same expression ("May 4 at 4 PM")."""


def combine(pieces: Iterable[Piece], text: str) -> list[Mention]:
    """Merge adjacent pieces into mentions.

    Overlapping pieces keep the longest one (the earliest on a tie). A weekday name directly followed or
    preceded by an explicit date is absorbed by it; a date and a time separated only by joining words
    ("at", "à", ",") become one date-time.

    Args:
        pieces: pieces found by a language module, in any order.
        text: the text they were found in.

    Returns:
        The mentions, in text order.
    """
    chosen: list[Piece] = []
    for piece in sorted(pieces, key=lambda p: (p.start, -(p.end - p.start))):
        if chosen and piece.start < chosen[-1].end:
            if (piece.end - piece.start) > (chosen[-1].end - chosen[-1].start):
                chosen[-1] = piece
            continue
        chosen.append(piece)
    merged: list[Piece] = []
    for piece in chosen:
        if merged and _JOIN.match(text[merged[-1].end:piece.start]):
            joined = _join(merged[-1], piece)
            if joined is not None:
                merged[-1] = joined
                continue
        merged.append(piece)
    return [Mention(p.start, p.end, p.date, p.time, p.end_time, p.past) for p in merged if p.kind != "shift"]


def _join(left: Piece, right: Piece) -> Piece | None:
    """The piece covering both, when they describe one moment; ``None`` when they do not combine."""
    start, end = left.start, right.end
    if left.kind == "date" and right.kind == "date":
        if left.weekday_only and not right.weekday_only:
            return replace(right, start=start, end=end)
        if right.weekday_only and not left.weekday_only:
            return replace(left, start=start, end=end)
        return None
    if left.kind == "shift" and right.kind == "date" and left.shift and right.date:
        try:
            moved = shift(dt.datetime.combine(right.date, right.time or dt.time(0)), *left.shift)
        except (OverflowError, ValueError):
            return None  # "3 days after 9999-12-31": the two stay apart
        return replace(right, start=start, end=end, date=moved.date if moved else right.date)
    if left.kind == "time" and right.kind == "time" and (left.part is None) != (right.part is None):
        exact, part = (left, right) if right.part else (right, left)
        return replace(exact, start=start, end=end, time=_refine(exact, part.part))
    if left.time is not None and right.time is not None and (left.part is None) != (right.part is None):
        exact, part = (left, right) if right.part else (right, left)
        dated = left if left.kind == "date" else right
        return replace(
            dated, start=start, end=end, time=_refine(exact, part.part), end_time=exact.end_time, part=None, past=False
        )
    if left.kind == "date" and right.kind == "time" and left.time is None:
        return replace(
            left, start=start, end=end, time=right.time, end_time=right.end_time, kind="date", part=right.part
        )
    if left.kind == "time" and right.kind == "date" and right.time is None:
        return replace(
            right, start=start, end=end, time=left.time, end_time=left.end_time, kind="date", part=left.part
        )
    return None


def _refine(exact: Piece, part: str | None) -> dt.time | None:
    """An exact time read in the light of a part of day: "7" in the evening is 19:00, "8" in the morning 08:00."""
    time = exact.time
    if time is None or not exact.loose:
        return time
    if part in ("afternoon", "evening") and 1 <= time.hour < 12:
        return time.replace(hour=time.hour + 12)
    if part == "morning" and time.hour >= 12:
        return time.replace(hour=time.hour - 12)
    return time


def resolve_local(mention: Mention, reference: dt.datetime) -> tuple[dt.date, dt.time | None]:
    """The local date and time a mention stands for.

    A time without a day is the next such time after the reference (today if still ahead, else tomorrow).

    Args:
        mention: the mention.
        reference: the note's creation time, in the owner's time zone (aware or naive local).

    Returns:
        ``(date, time)``; ``time`` is ``None`` for a whole-day mention.
    """
    if mention.date is not None:
        return mention.date, mention.time
    assert mention.time is not None  # a mention has a date, a time or both
    day = reference.date()
    if mention.time <= reference.time().replace(tzinfo=None) and day < dt.date.max:
        day += dt.timedelta(days=1)
    return day, mention.time


EARLIEST = dt.datetime(1753, 1, 1, tzinfo=dt.UTC)
"""Dataverse's earliest date: a suggestion before it could not be written."""
LATEST = dt.datetime(2262, 4, 11, tzinfo=dt.UTC)
"""Just before the latest instant a nanosecond pandas timestamp holds (2262-04-11 23:47): frames of suggestions
keep their times in that unit."""


def to_utc_checked(day: dt.date, time: dt.time | None, tz: ZoneInfo) -> dt.datetime | None:
    """:func:`to_utc`, or ``None`` when the instant is outside ``[EARLIEST, LATEST)`` or beyond what
    ``datetime`` holds (a note may name 9999-12-31 23:59 in a zone behind UTC, or 0001-01-01 ahead of it)."""
    try:
        moment = to_utc(day, time, tz)
    except OverflowError:
        return None
    return moment if EARLIEST <= moment < LATEST else None


def to_utc(day: dt.date, time: dt.time | None, tz: ZoneInfo) -> dt.datetime:
    """The UTC instant of a local wall-clock time.

    A whole day maps to local midnight. A time in the spring-forward gap (02:30 on the day clocks jump)
    is moved forward by the gap, as a wall clock would show it; in the autumn fold the first occurrence
    (daylight time) is taken.

    Args:
        day: local date.
        time: local time, or ``None`` for the whole day.
        tz: the owner's time zone.

    Returns:
        An aware datetime in UTC.

    Raises:
        OverflowError: the instant falls outside the years 1 to 9999 once converted.
    """
    local = dt.datetime.combine(day, time or dt.time(0, 0)).replace(tzinfo=tz, fold=0)
    return local.astimezone(dt.UTC)


def is_future(mention: Mention, reference: dt.datetime) -> bool:
    """Whether the mention lies after the reference: a later day, or today at a later time."""
    if mention.past:
        return False
    day, time = resolve_local(mention, reference)
    today = reference.date()
    if day != today:
        return day > today
    return time is not None and time > reference.time().replace(tzinfo=None)


# --- calendar helpers shared by the language modules -------------------------------------------------

def weekday_date(reference: dt.date, weekday: int, mode: str) -> dt.date:
    """The date of ``weekday`` (0 = Monday) relative to ``reference``.

    Modes: ``next`` the weekday of next week, ``last`` of last week, ``this`` of this week,
    ``upcoming`` the first such day strictly after the reference.
    """
    monday = reference - dt.timedelta(days=reference.weekday())
    if mode == "next":
        return monday + dt.timedelta(days=7 + weekday)
    if mode == "last":
        return monday + dt.timedelta(days=weekday - 7)
    if mode == "this":
        return monday + dt.timedelta(days=weekday)
    ahead = (weekday - reference.weekday()) % 7 or 7
    return reference + dt.timedelta(days=ahead)


def month_end(year: int, month: int) -> dt.date:
    """Last day of a month."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by whole months, clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def safe_date(year: int, month: int, day: int) -> dt.date | None:
    """The date, or ``None`` when the parts do not form one (31 February)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


RECENT_DAYS = 90
"""A date without a year that fell at most this many days ago is that past date, not next year's: "site
visit on April 11" written in May tells of the visit that took place, not of one eleven months ahead."""


def upcoming_date(reference: dt.date, month: int, day: int, year: int | None) -> dt.date | None:
    """A day and month without a year: this year's if not yet past or at most :data:`RECENT_DAYS` ago
    (last year's in early January), else next year's."""
    if year is not None:
        return safe_date(year if year >= 100 else 2000 + year, month, day)
    candidates = [d for d in (safe_date(y, month, day) for y in (reference.year - 1, reference.year,
                                                                   reference.year + 1)) if d is not None]
    ahead = [d for d in candidates if d >= reference]
    recent = [d for d in candidates if 0 < (reference - d).days <= RECENT_DAYS]
    return recent[-1] if recent else (ahead[0] if ahead else None)


def hour_minute(hour: int, minute: int, meridiem: str | None) -> dt.time | None:
    """A time from its parts; ``meridiem`` is ``am``/``pm`` or ``None`` (24-hour clock)."""
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if not (0 <= hour <= 23 and 0 <= minute <= 59):
        return None
    return dt.time(hour, minute)


def shift(reference: dt.datetime, amount: int, unit: str) -> Piece | None:
    """Date (and time, for hours and minutes) ``amount`` units after the reference; ``unit`` is one of
    ``day``, ``week``, ``month``, ``year``, ``hour``, ``minute``."""
    base = reference.replace(tzinfo=None)
    if unit in ("hour", "minute"):
        moved = base + dt.timedelta(hours=amount) if unit == "hour" else base + dt.timedelta(minutes=amount)
        return Piece(0, 0, "date", date=moved.date(), time=moved.time().replace(second=0, microsecond=0))
    if unit == "day":
        return Piece(0, 0, "date", date=base.date() + dt.timedelta(days=amount))
    if unit == "week":
        return Piece(0, 0, "date", date=base.date() + dt.timedelta(weeks=amount))
    if unit == "month":
        return Piece(0, 0, "date", date=add_months(base.date(), amount))
    if unit == "year":
        return Piece(0, 0, "date", date=add_months(base.date(), 12 * amount))
    return None


Rule = tuple[re.Pattern[str], Callable[[re.Match[str], dt.datetime], "Piece | None"]]


def find_with(rules: Iterable[Rule], text: str, reference: dt.datetime) -> list[Piece]:
    """Every date/time piece the ``(pattern, handler)`` rules of one language find in ``text``."""
    found: list[Piece] = []
    for pattern, handler in rules:
        for match in pattern.finditer(text):
            try:
                piece = handler(match, reference)
            except (OverflowError, ValueError):
                continue  # date arithmetic past year 9999 or before year 1: not a date we can resolve
            if piece is not None:
                found.append(piece)
    return found
