"""Predictive lead and opportunity scoring: scores, grades, reasons, trend, history and the model
registry (spec §2). The work is in :mod:`connector.pipeline.scoring_producer`."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from connector.feature_settings import FeatureSettings
from connector.pipeline.contract import Frames, Output, Produced, Producer, RunContext
from connector.pipeline.scoring_definition import default_scoring_setting
from connector.pipeline.scoring_producer import score_all

_DEFAULT = default_scoring_setting()


class ScoringSettings(FeatureSettings):
    """Each entity's model definition; its parts are checked by the scoring definition's own parser."""

    lead: dict[str, Any] = Field(default_factory=lambda: dict(_DEFAULT["lead"]),
                                 description="The lead scoring model definition.")
    opportunity: dict[str, Any] = Field(default_factory=lambda: dict(_DEFAULT["opportunity"]),
                                        description="The opportunity scoring model definition.")


def _compute(frames: Frames, ctx: RunContext[ScoringSettings]) -> Produced:
    warnings: list[str] = []
    out = score_all(frames, now=ctx.now, models=ctx.models, errors=warnings, retrain=ctx.retrain,
                    setting=ctx.settings.model_dump())
    evaluated = sum(len(out[t]) for t in ("lead", "opportunity") if t in out)
    return Produced(frames=out, warnings=warnings, evaluated=evaluated)


PRODUCER: Producer[Any] = Producer(
    name="scoring",
    description="Lead and opportunity scoring, per entity: include (columns to add), exclude (columns to remove), "
                "ignore_empty (columns whose blanks carry no information), grade_cutoffs ({\"A\": 70, \"B\": 40, "
                "\"C\": 20}; null = from the scores of converted records) and segments (up to 9 of "
                "{\"column\": \"industrycode\", \"values\": [\"Retail\"]}, each with a model of its own), "
                "retrain_requested_on (an ISO time: models trained before it are retrained once; the admin "
                "page's Retrain button sets it). A change retrains at the next run.",
    settings=ScoringSettings,
    outputs=(Output("lead", stamp_columns=("osi_scoredon",)), Output("opportunity", stamp_columns=("osi_scoredon",)),
             # History and the model registry are append-only from the sync's point of view.
             Output("osi_scorehistory", delete_missing=False), Output("osi_scoringmodel", delete_missing=False)),
    compute=_compute,
)
