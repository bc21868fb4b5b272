"""Relationship analytics: KPIs, explained health score and trend, 90-day history, most-contacted people.

Entry point: :func:`compute_relationships`. Modules: :mod:`.settings` (admin settings), :mod:`.facts`
(per-activity side, attendees, minutes), :mod:`.linking` (§1.3 contacts of interest and linking),
:mod:`.threads` (threads, turns, first responses), :mod:`.kpis`, :mod:`.health` (components, score,
state, trend), :mod:`.explain` (reasons JSON), :mod:`.history` (analytics JSON), :mod:`.interactions`
(an e-mail log turned into canonical frames and evaluated, for the ``analytics evaluate`` command).
"""

from __future__ import annotations

from connector.insights.relationship.compute import RelationshipResult, compute_relationships, relationship_insights
from connector.insights.relationship.model import HealthModel
from connector.insights.relationship.settings import RelationshipSettings

__all__ = ["HealthModel", "RelationshipResult", "RelationshipSettings", "compute_relationships",
           "relationship_insights"]
