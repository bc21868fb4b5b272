"""Who knows whom: connection strength between our people and the customer's.

- :mod:`.strength` scores every (internal, external) pair from messages, meetings and calls;
- :mod:`.connections` turns scores into ``osi_connection`` rows (top N colleagues per contact or lead);
- :mod:`.evaluation` measures how well a ranking predicts future correspondence (``wkw evaluate``).
"""

from __future__ import annotations

from connector.insights.wkw.evaluation import evaluate_rankings
from connector.insights.wkw.strength import StrengthParams, connection_strengths, is_automated

__all__ = ["StrengthParams", "connection_strengths", "evaluate_rankings", "is_automated"]
