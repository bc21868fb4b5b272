"""Dataverse's time-zone reference data, as the emulator serves it (``timezonedefinitions``).

Every Dataverse organisation holds a fixed list of about 140 time-zone definitions keyed by an integer
``timezonecode``; a user's ``usersettings.timezonecode`` points into it, and ``standardname`` is the Windows
time-zone id (``Romance Standard Time``). This is a subset: the zones the demo sellers use plus common ones,
and one retired Windows id (``Mid-Atlantic Standard Time``) that has no IANA equivalent, so clients meet the
case they must fall back on. ``bias`` follows Windows: minutes *added to local time* to get UTC (UTC-5 → 300).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ZoneDefinition:
    """One ``timezonedefinition`` row."""

    code: int
    standard_name: str
    display: str
    bias: int


DEFINITIONS: tuple[ZoneDefinition, ...] = (
    ZoneDefinition(0, "Dateline Standard Time", "(GMT-12:00) International Date Line West", 720),
    ZoneDefinition(2, "Hawaiian Standard Time", "(GMT-10:00) Hawaii", 600),
    ZoneDefinition(3, "Alaskan Standard Time", "(GMT-09:00) Alaska", 540),
    ZoneDefinition(4, "Pacific Standard Time", "(GMT-08:00) Pacific Time (US & Canada)", 480),
    ZoneDefinition(10, "Mountain Standard Time", "(GMT-07:00) Mountain Time (US & Canada)", 420),
    ZoneDefinition(15, "US Mountain Standard Time", "(GMT-07:00) Arizona", 420),
    ZoneDefinition(20, "Central Standard Time", "(GMT-06:00) Central Time (US & Canada)", 360),
    ZoneDefinition(35, "Eastern Standard Time", "(GMT-05:00) Eastern Time (US & Canada)", 300),
    ZoneDefinition(50, "Atlantic Standard Time", "(GMT-04:00) Atlantic Time (Canada)", 240),
    ZoneDefinition(60, "Newfoundland Standard Time", "(GMT-03:30) Newfoundland", 210),
    ZoneDefinition(65, "E. South America Standard Time", "(GMT-03:00) Brasilia", 180),
    ZoneDefinition(75, "Mid-Atlantic Standard Time", "(GMT-02:00) Mid-Atlantic - Old", 120),
    ZoneDefinition(85, "GMT Standard Time", "(GMT+00:00) Dublin, Edinburgh, Lisbon, London", 0),
    ZoneDefinition(92, "UTC", "(GMT) Coordinated Universal Time", 0),
    ZoneDefinition(95, "Central Europe Standard Time",
                   "(GMT+01:00) Belgrade, Bratislava, Budapest, Ljubljana, Prague", -60),
    ZoneDefinition(105, "Romance Standard Time", "(GMT+01:00) Brussels, Copenhagen, Madrid, Paris", -60),
    ZoneDefinition(110, "W. Europe Standard Time",
                   "(GMT+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna", -60),
    ZoneDefinition(190, "India Standard Time", "(GMT+05:30) Chennai, Kolkata, Mumbai, New Delhi", -330),
    ZoneDefinition(210, "China Standard Time", "(GMT+08:00) Beijing, Chongqing, Hong Kong, Urumqi", -480),
    ZoneDefinition(215, "Singapore Standard Time", "(GMT+08:00) Kuala Lumpur, Singapore", -480),
    ZoneDefinition(235, "Tokyo Standard Time", "(GMT+09:00) Osaka, Sapporo, Tokyo", -540),
    ZoneDefinition(255, "AUS Eastern Standard Time", "(GMT+10:00) Canberra, Melbourne, Sydney", -600),
    ZoneDefinition(290, "New Zealand Standard Time", "(GMT+12:00) Auckland, Wellington", -720),
)
"""The definitions served, ordered by code."""

SELLER_ZONE_CODES: dict[str, int] = {
    "Europe/London": 85, "America/New_York": 35, "America/Chicago": 20, "America/Los_Angeles": 4,
    "Europe/Paris": 105, "America/Toronto": 35,
}
"""The Dataverse zone a demo seller in each IANA zone picks (Toronto shares Eastern Time with New York)."""

_NS = uuid.UUID("5c1d9a44-7e0b-4b1f-a3c2-0d6f4e8b9a17")
_BY_CODE = {d.code: d for d in DEFINITIONS}


def definition(code: int) -> ZoneDefinition:
    """The definition of ``code``.

    Raises:
        KeyError: the code is not among :data:`DEFINITIONS`.
    """
    return _BY_CODE[code]


def code_for(zone: str) -> int:
    """The ``timezonecode`` a demo seller in IANA ``zone`` has.

    Raises:
        KeyError: a zone the demo sellers never use.
    """
    return SELLER_ZONE_CODES[zone]


def definition_rows() -> list[dict[str, Any]]:
    """The ``timezonedefinition`` rows in DemoOrg form; the ids are fixed, as in every organisation."""
    return [{"timezonedefinitionid": str(uuid.uuid5(_NS, str(d.code))), "timezonecode": d.code,
             "standardname": d.standard_name, "userinterfacename": d.display, "bias": d.bias}
            for d in DEFINITIONS]
