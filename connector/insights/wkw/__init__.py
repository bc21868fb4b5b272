"""Who knows whom: connection strength between our people and the customer's.

- :mod:`.messages` checks the interactions, orders them canonically, counts a message once, finds replies;
- :mod:`.edges` weights each (message, pair); :mod:`.aggregates` sums them per pair, clock-free;
- :mod:`.strength` turns the sums into a strength 0–100 as of a time (recency in calendar-day steps);
- :mod:`.refresh` reuses saved aggregates when nothing feeding them changed;
- :mod:`.connections` turns strengths into ``osi_connection`` rows (top N colleagues per contact or lead);
- :mod:`.evaluation` measures how well a ranking predicts future correspondence (``wkw evaluate``).
"""

from __future__ import annotations

from connector.insights.wkw.connections import Person, build_connections, next_change
from connector.insights.wkw.edges import is_automated
from connector.insights.wkw.evaluation import evaluate_rankings
from connector.insights.wkw.messages import canonical_interactions
from connector.insights.wkw.refresh import aggregates_still_valid, refresh_aggregates
from connector.insights.wkw.strength import StrengthParams, connection_strengths, pair_aggregates, strengths_at

__all__ = ["Person", "StrengthParams", "aggregates_still_valid", "build_connections", "canonical_interactions",
           "connection_strengths", "evaluate_rankings", "is_automated", "next_change", "pair_aggregates",
           "refresh_aggregates", "strengths_at"]
