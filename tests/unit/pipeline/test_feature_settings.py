"""One forgiving parser for every feature's settings: a bad field keeps its default and is named."""

from __future__ import annotations

import pytest
from pydantic import Field, model_validator

from connector.feature_settings import FeatureSettings, conflict, model_of_dataclass, parse_settings
from connector.insights.relationship import RelationshipSettings


class Cutoffs(FeatureSettings):
    good: int = Field(default=60, ge=1, le=100)
    fair: int = Field(default=40, ge=0, le=100)
    notes: bool = True
    topics: list[str] = ["family"]

    @model_validator(mode="after")
    def _ordered(self) -> Cutoffs:
        if self.fair >= self.good:
            raise conflict("fair must be below good", "fair", "good")
        return self


@pytest.mark.parametrize(("raw", "expected", "named"), [
    (None, Cutoffs(), []),
    ({}, Cutoffs(), []),
    ({"notes": "false"}, Cutoffs(notes=False), []),
    ({"good": "70"}, Cutoffs(good=70), []),
    ({"good": 70.5, "fair": 30}, Cutoffs(fair=30), ["x.good"]),
    ({"good": 30, "fair": 50}, Cutoffs(), ["x.good", "x.fair"]),
    ({"good": 30}, Cutoffs(), ["x.good"]),
    ({"topics": [None, 5]}, Cutoffs(), ["x.topics"]),
    ({"nots": False}, Cutoffs(), ["x.nots"]),
])
def test_each_refused_field_falls_back_and_is_named(raw: object, expected: Cutoffs, named: list[str]) -> None:
    settings, problems = parse_settings(Cutoffs, raw, name="x")
    assert settings == expected
    for name in named:
        assert any(name in p for p in problems), problems
    assert bool(problems) == bool(named)


def test_a_value_that_is_not_an_object_gives_the_defaults() -> None:
    settings, problems = parse_settings(Cutoffs, [1, 2], name="x")
    assert settings == Cutoffs()
    assert problems == ["x: expected a JSON object of settings, got [1, 2]; the defaults apply"]


def test_a_dataclass_of_settings_gets_the_same_treatment() -> None:
    model = model_of_dataclass(RelationshipSettings, name="relationship")
    settings, problems = parse_settings(model, {"good_min": 50, "fair_min": 55, "communication_frequency": "monthly",
                                                "decay_factor": "x"}, name="relationship")
    assert (settings.good_min, settings.fair_min, settings.communication_frequency) == (60, 40, "monthly")
    assert len(problems) == 2 and any("relationship.decay_factor" in p for p in problems)
    RelationshipSettings(**settings.model_dump())  # the dataclass accepts what the model let through
