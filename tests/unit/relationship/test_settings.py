"""Admin settings: defaults, the settings-table dict, validation naming the setting."""

from __future__ import annotations

import pytest

from connector.errors import ConfigurationError, InsightError
from connector.insights.relationship import RelationshipSettings, compute_relationships


def test_defaults_match_microsoft() -> None:
    s = RelationshipSettings()
    assert (s.good_min, s.fair_min, s.frequency_days) == (60, 40, 7.0)
    assert s.type_weight("email") == s.type_weight("appointment") == s.type_weight("phonecall") == 1.0


def test_from_dict_reads_prefixed_keys_and_ignores_other_features() -> None:
    s = RelationshipSettings.from_dict({"relationship.communication_frequency": "monthly",
                                        "relationship.influence_email": "0.5", "good_min": 70,
                                        "scoring.retrain_days": 15, "relationship.enabled": "false"})
    assert s.frequency_days == 30 and s.type_weight("email") == 1.5 and s.good_min == 70 and not s.enabled
    assert RelationshipSettings.from_dict({"communication_frequency": 10}).frequency_days == 10


@pytest.mark.parametrize(("values", "named"), [
    ({"relationship.influence_call": 0.6}, "relationship.influence_call"),
    ({"relationship.influence_meeting": -0.51}, "relationship.influence_meeting"),
    ({"good_min": 30}, "relationship.good_min"),
    ({"relationship.communication_frequency": "fortnightly-ish"}, "relationship.communication_frequency"),
    ({"relationship.timezone": "Mars/Olympus"}, "relationship.timezone"),
    ({"relationship.min_activities": 2.5}, "relationship.min_activities"),
    ({"relationship.enabled": "maybe"}, "relationship.enabled"),
    ({"relationship.wieght_recency": 1}, "relationship.wieght_recency"),
])
def test_invalid_values_name_the_setting(values: dict, named: str) -> None:
    with pytest.raises(ConfigurationError) as err:
        RelationshipSettings.from_dict(values)
    assert any(p.startswith(named) for p in err.value.problems)


def test_every_problem_is_listed_at_once() -> None:
    with pytest.raises(ConfigurationError) as err:
        RelationshipSettings.from_dict({"influence_call": 2, "influence_email": -2})
    assert len(err.value.problems) == 2


def test_bad_now_is_an_insight_error() -> None:
    with pytest.raises(InsightError):
        compute_relationships({}, now="not a date")
