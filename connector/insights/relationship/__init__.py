"""Relationship analytics: KPIs, explained health score and trend, 90-day history, most-contacted people.

Entry points: :func:`relationship_insights` (tables, each record's ``valid_until``, the health models used)
and :func:`compute_relationships` (the tables only). Modules: :mod:`.settings` (admin settings),
:mod:`.clock` (local calendar days, the only clock), :mod:`.records` and :mod:`.facts` (records and
per-activity side, attendees, minutes), :mod:`.linking` (§1.3 contacts of interest and linking),
:mod:`.threads` (threads, turns, first responses), :mod:`.kpis`, :mod:`.signals` (the counted facts of
health), :mod:`.indicators` (their steps), :mod:`.model` (points, cut-offs, calibration; JSON),
:mod:`.logistic` and :mod:`.fit` (fitting the model on the organisation's history), :mod:`.health`
(score, state, trend), :mod:`.explain` (reasons JSON), :mod:`.history` (analytics JSON),
:mod:`.validity` (``valid_until``), :mod:`.interactions` (an e-mail log turned into canonical frames and
evaluated, for the ``analytics evaluate`` command).
"""

from __future__ import annotations

from connector.insights.relationship.compute import RelationshipResult, compute_relationships, relationship_insights
from connector.insights.relationship.model import HealthModel
from connector.insights.relationship.settings import RelationshipSettings

__all__ = ["HealthModel", "RelationshipResult", "RelationshipSettings", "compute_relationships",
           "relationship_insights"]
