"""The demo sellers' Dataverse time zones: one settings row each, consistent with their office hours."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import numpy as np

from connector.sync.transform import iana_zone
from emulator.seed_people import Ctx, make_sellers
from emulator.seed_util import epoch
from emulator.timezones import DEFINITIONS, definition, definition_rows

NOW = datetime(2026, 7, 1, 8, 0, tzinfo=UTC)
WINTER = datetime(2026, 1, 15, 12, 0, tzinfo=UTC)


def _sellers(seed: int, scale: int = 1):
    return make_sellers(Ctx(np.random.default_rng([seed, scale]), random.Random(seed), epoch(NOW), scale))


def test_every_seller_has_one_settings_row_matching_their_offset() -> None:
    s = _sellers(0, scale=3)
    assert [r["systemuserid"] for r in s.settings_rows] == s.ids
    for i, row in enumerate(s.settings_rows):
        zone = definition(row["timezonecode"])
        # Windows bias is minutes added to local time to get UTC; the generator's offset is hours east of UTC.
        assert zone.bias == -round(s.offset[i] * 60), (s.tz[i], zone)
        iana = iana_zone(zone.standard_name)
        assert iana is not None
        for when in (WINTER, NOW):  # standard and summer time alike
            assert when.astimezone(ZoneInfo(iana)).utcoffset() == when.astimezone(ZoneInfo(s.tz[i])).utcoffset()
        assert row["uilanguageid"] == (1036 if s.is_fr[i] else 1033)
    assert {r["timezonecode"] for r in s.settings_rows} >= {105, 35}


def test_settings_are_deterministic() -> None:
    assert _sellers(3).settings_rows == _sellers(3).settings_rows


def test_definitions_are_unique_and_stable() -> None:
    rows = definition_rows()
    assert len({r["timezonecode"] for r in rows}) == len({r["timezonedefinitionid"] for r in rows}) == len(DEFINITIONS)
    assert rows == definition_rows()
    assert iana_zone(definition(75).standard_name) is None  # kept so clients meet an unmappable zone
