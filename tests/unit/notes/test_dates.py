"""Date/time recognition and resolution: English and French formats, past vs future, DST."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from connector.insights.notes.dates import combine, en, fr, resolve_local, to_utc
from connector.insights.notes.dates.core import is_future, weekday_date

TUESDAY = dt.datetime(2026, 4, 28, 9, 30)  # a Tuesday


def _resolve(module, text: str, ref: dt.datetime = TUESDAY) -> list[tuple[str, str | None]]:
    out = []
    for m in combine(module.find_pieces(text, ref), text):
        day, time = resolve_local(m, ref)
        out.append((day.isoformat(), time.strftime("%H:%M") if time else None))
    return out


@pytest.mark.parametrize(("text", "expected"), [
    ("Rencontrer le client le 4 mai à 16 h 00", ("2026-05-04", "16:00")),
    ("le 4 mai à 16h", ("2026-05-04", "16:00")),
    ("RDV mardi prochain à 14h30", ("2026-05-05", "14:30")),
    ("réunion le 12/05 à 10h", ("2026-05-12", "10:00")),
    ("04/05", ("2026-05-04", None)),  # day first in French
    ("dans 3 jours", ("2026-05-01", None)),
    ("dans quinze jours", ("2026-05-12", None)),  # two weeks, as French speakers mean it
    ("demain matin", ("2026-04-29", "09:00")),
    ("jeudi à midi", ("2026-04-30", "12:00")),
    ("d'ici la fin du mois", ("2026-04-30", None)),
    ("la semaine prochaine", ("2026-05-04", None)),
    ("Point le 1er décembre à 16 h 00", ("2026-12-01", "16:00")),
    ("RDV lundi 23/11 à 10 h 00", ("2026-11-23", "10:00")),
    ("demain après-midi", ("2026-04-29", "14:00")),
    ("4h45 du matin", ("2026-04-29", "04:45")),
    ("à 8 h du soir", ("2026-04-28", "20:00")),
])
def test_french_expressions(text: str, expected: tuple[str, str | None]) -> None:
    assert _resolve(fr, text) == [expected]


@pytest.mark.parametrize(("text", "expected"), [
    ("Meet the customer on May 4 at 4:00 PM", ("2026-05-04", "16:00")),
    ("May 4 at 4 PM", ("2026-05-04", "16:00")),
    ("04/05", ("2026-04-05", None)),  # month first in English; 5 April went by 23 days ago: that day, not next year
    ("12/05", ("2026-12-05", None)),  # month first; still ahead
    ("01/10", ("2027-01-10", None)),  # went by more than 90 days ago: next year's
    ("next Tuesday at 3pm", ("2026-05-05", "15:00")),
    ("tomorrow morning", ("2026-04-29", "09:00")),
    ("in two weeks", ("2026-05-12", None)),
    ("end of the month", ("2026-04-30", None)),
    ("call Maria tmrw 10am", ("2026-04-29", "10:00")),
    ("Thursday at noon", ("2026-04-30", "12:00")),
    ("Monday at 9", ("2026-05-04", "09:00")),
    ("16:30", ("2026-04-28", "16:30")),
    ("8:00", ("2026-04-29", "08:00")),  # a time already past today means tomorrow
    ("in 2 hours", ("2026-04-28", "11:30")),
    ("3 days from tomorrow", ("2026-05-02", None)),
    ("8am this morning", ("2026-04-28", "08:00")),
    ("at 7 in the evening", ("2026-04-28", "19:00")),
])
def test_english_expressions(text: str, expected: tuple[str, str | None]) -> None:
    assert _resolve(en, text) == [expected]


def test_time_ranges_keep_their_end() -> None:
    [mention] = combine(en.find_pieces("Nov 4 2pm-3pm", TUESDAY), "Nov 4 2pm-3pm")
    assert (mention.time, mention.end_time) == (dt.time(14), dt.time(15))
    text = "le 6 mai de 14 h à 15 h 30"
    [mention] = combine(fr.find_pieces(text, TUESDAY), text)
    assert (mention.date, mention.time, mention.end_time) == (dt.date(2026, 5, 6), dt.time(14), dt.time(15, 30))


@pytest.mark.parametrize(("module", "text"), [
    (en, "we met last Friday"), (en, "yesterday"), (en, "3 days ago"), (en, "last week"),
    (fr, "nous avons rencontré le client hier"), (fr, "vendredi dernier"), (fr, "mardi passé"),
    (fr, "il y a 2 jours"), (fr, "la semaine dernière"),
])
def test_past_expressions_are_not_future(module, text: str) -> None:
    mentions = combine(module.find_pieces(text, TUESDAY), text)
    assert mentions and all(m.past and not is_future(m, TUESDAY) for m in mentions)


def test_weekday_conventions() -> None:
    monday = dt.date(2026, 6, 15)
    assert weekday_date(monday, 1, "upcoming") == dt.date(2026, 6, 16)  # "Tuesday"
    assert weekday_date(monday, 1, "next") == dt.date(2026, 6, 23)  # "next Tuesday": next week's
    assert weekday_date(monday, 0, "upcoming") == dt.date(2026, 6, 22)  # a bare weekday is after today
    assert weekday_date(monday, 4, "last") == dt.date(2026, 6, 12)


def test_impossible_dates_are_ignored() -> None:
    assert _resolve(en, "on Feb 30") == []
    assert _resolve(fr, "le 31/02") == []


def test_dst_spring_forward_in_paris() -> None:
    # Note written Thursday 26 March 2026 (UTC+1); clocks go forward on Sunday 29 March.
    paris = ZoneInfo("Europe/Paris")
    assert to_utc(dt.date(2026, 3, 27), dt.time(10), paris) == dt.datetime(2026, 3, 27, 9, tzinfo=dt.UTC)
    assert to_utc(dt.date(2026, 3, 30), dt.time(10), paris) == dt.datetime(2026, 3, 30, 8, tzinfo=dt.UTC)
    # 02:30 does not exist that night: the wall clock shows 03:30 (UTC+2), i.e. 01:30 UTC.
    assert to_utc(dt.date(2026, 3, 29), dt.time(2, 30), paris) == dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC)


def test_dst_fall_back_in_new_york() -> None:
    ny = ZoneInfo("America/New_York")
    # Before and after the change on Sunday 1 November 2026.
    assert to_utc(dt.date(2026, 10, 30), dt.time(9), ny) == dt.datetime(2026, 10, 30, 13, tzinfo=dt.UTC)
    assert to_utc(dt.date(2026, 11, 2), dt.time(9), ny) == dt.datetime(2026, 11, 2, 14, tzinfo=dt.UTC)
    # 01:30 happens twice; the first (daylight) one is taken.
    assert to_utc(dt.date(2026, 11, 1), dt.time(1, 30), ny) == dt.datetime(2026, 11, 1, 5, 30, tzinfo=dt.UTC)


def test_whole_day_is_local_midnight() -> None:
    assert to_utc(dt.date(2026, 5, 4), None, ZoneInfo("Europe/Paris")) == dt.datetime(2026, 5, 3, 22, tzinfo=dt.UTC)


def test_hour_range_without_meridiem_and_recurring_weekday() -> None:
    assert _resolve(en, "tomorrow 10-11") == [("2026-04-29", "10:00")]
    assert _resolve(en, "10-11 people") == []
    assert _resolve(fr, "tous les lundis à 9h") == [("2026-05-04", "09:00")]
    assert _resolve(fr, "les 24 et 25 février") == [("2026-02-24", None)]  # 63 days ago: the recent past
