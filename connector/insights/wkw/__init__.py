"""Who knows whom: connection strength between our people and the customer's.

- :mod:`.messages` checks the interactions, orders them canonically, counts a message once, finds replies;
- :mod:`.edges` weights each (message, pair); :mod:`.aggregates` sums them per pair, clock-free;
- :mod:`.strength` turns the sums into a strength 0–100 as of a time (recency in calendar-day steps);
- :mod:`.connections` turns strengths into ``osi_connection`` rows (top N colleagues per contact or lead);
- :mod:`.evaluation` measures how well a ranking predicts future correspondence (``wkw evaluate``).
"""

from __future__ import annotations

from connector.insights.wkw.connections import Person, build_connections
from connector.insights.wkw.edges import is_automated
from connector.insights.wkw.evaluation import evaluate_rankings
from connector.insights.wkw.messages import reply_depths
from connector.insights.wkw.strength import StrengthParams, connection_strengths, pair_aggregates, strengths_at

__all__ = ["Person", "StrengthParams", "build_connections", "connection_strengths", "evaluate_rankings",
           "is_automated", "pair_aggregates", "reply_depths", "strengths_at"]
