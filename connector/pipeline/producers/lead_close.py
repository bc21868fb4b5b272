"""The close time of leads, kept in Dataverse where it survives lost state and full re-reads.

Dataverse keeps no close date on a lead. The first time the sync sees a lead qualified or disqualified,
its last modification is the best estimate of when that happened; that estimate is stamped on the
lead (``osi_closedon``) in the same update as our other columns of the lead, so that our own later
writes, which move ``modifiedon``, can never move it: the extract reads the stamp back before it
looks at ``modifiedon`` (see :func:`connector.sync.extract._resolve`). Scoring learns each closed lead
from what was known before this time.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from connector import canonical
from connector.feature_settings import FeatureSettings
from connector.pipeline.contract import Frames, Output, Produced, Producer, RunContext


class _NoSettings(FeatureSettings):
    """The close time has no settings."""


def _compute(frames: Frames, ctx: RunContext[Any]) -> Produced:
    leads = frames.get("leads", canonical.empty_frame("leads"))
    closed = leads["state_code"].fillna(0).ne(0)
    out = pd.DataFrame({"leadid": leads["lead_id"].astype("string"),
                        "osi_closedon": leads["closed_on"].where(closed)})
    return Produced(frames={"lead": out}, evaluated=len(out))


PRODUCER: Producer[Any] = Producer(
    name="lead_close",
    description="",
    settings=_NoSettings,
    outputs=(Output("lead"),),
    compute=_compute,
    switchable=False,
)
