"""Who knows whom: connection strength between our people and the customer's.

- :mod:`.strength` scores every (internal, external) pair from messages, meetings and calls;
- :mod:`.connections` turns scores into ``osi_connection`` rows (top N colleagues per contact or lead), the
  company roll-up and second-degree introduction paths;
- :mod:`.evaluation` measures how well a ranking predicts future correspondence (``wkw evaluate``).
"""

from __future__ import annotations

from connector.insights.wkw.connections import Person, build_connections, company_rollup, introduction_paths
from connector.insights.wkw.evaluation import evaluate_rankings
from connector.insights.wkw.strength import StrengthParams, connection_strengths, is_automated

__all__ = ["Person", "StrengthParams", "build_connections", "company_rollup", "connection_strengths",
           "evaluate_rankings", "introduction_paths", "is_automated"]
