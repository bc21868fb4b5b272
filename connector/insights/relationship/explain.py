"""The explanation of a health score: each component's value, weight, contribution and a sentence.

Sellers see these sentences on the form ("no reply to the last 3 e-mails", "customer answers within
2 h"); Microsoft's score has none. The JSON is stored in ``osi_healthreasons``.
"""

from __future__ import annotations

import json
import math

import pandas as pd

from connector.insights.relationship.health import COMPONENTS, weights
from connector.insights.relationship.settings import RelationshipSettings


def duration_text(hours: float) -> str:
    """A response time as a seller reads it: "15 min", "2 h", "3 days"."""
    if hours < 1:
        return f"{max(1, round(hours * 60))} min"
    if hours < 48:
        return f"{round(hours)} h"
    return f"{round(hours / 24)} days"


def _days(days: float) -> str:
    if days < 1:
        return "today"
    n = round(days)
    return "1 day ago" if n == 1 else f"{n} days ago"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def sentences(row: dict[str, float], s: RelationshipSettings) -> dict[str, str]:
    """One human sentence per component, from the evidence in ``row`` (see :func:`health.components`)."""
    f = s.frequency_days
    days = row["days_since"]
    recency = ("no two-way contact yet" if _missing(days)
               else f"last two-way contact {_days(days)} (expected every {f:g} days)")
    frequency = (f"{_plural(int(row['touchpoints']), 'two-way touchpoint')} in the last {s.health_window_days} "
                 f"days (about {int(row['expected'])} expected at one every {f:g} days)")
    resp: list[str] = []
    tail = int(row["unanswered_tail"])
    if tail == 1:
        resp.append("no reply to the last e-mail")
    elif tail > 1:
        resp.append(f"no reply to the last {tail} e-mails")
    if not _missing(row["customer_hours"]):
        resp.append(f"customer answers within {duration_text(row['customer_hours'])}")
    if not _missing(row["team_hours"]):
        resp.append(f"our team answers within {duration_text(row['team_hours'])}")
    responsiveness = "; ".join(resp) if resp else "no answered e-mails to judge responsiveness yet"
    n, active, started = int(row["interactions"]), int(row["active"]), int(row["customer_started"])
    reciprocity = (f"the customer started {started} of {_plural(n, 'interaction')} and took part in {active}"
                   if n else "no interactions in the period")
    breadth = (f"{_plural(int(row['people_customer']), 'customer person')} and "
               f"{int(row['people_team'])} of our team engaged").replace("customer persons", "customer people")
    out = {"recency": recency, "frequency": frequency, "responsiveness": responsiveness,
           "reciprocity": reciprocity, "breadth": breadth}
    if not _missing(row["stage"]):
        out["stage"] = f"sales stage {round(row['stage'] * 3)} of 3"
    return out


def facts(row: dict[str, float], s: RelationshipSettings) -> dict[str, dict[str, float | int | None]]:
    """The numbers behind each component's sentence, so a panel can word it in the seller's language."""
    def num(name: str) -> float | None:
        return None if _missing(row[name]) else round(float(row[name]), 2)

    out: dict[str, dict[str, float | int | None]] = {
        "recency": {"days_since": num("days_since"), "frequency_days": s.frequency_days},
        "frequency": {"touchpoints": int(row["touchpoints"]), "window_days": s.health_window_days,
                      "expected": int(row["expected"]), "frequency_days": s.frequency_days},
        "responsiveness": {"unanswered_tail": int(row["unanswered_tail"]), "customer_hours": num("customer_hours"),
                           "team_hours": num("team_hours")},
        "reciprocity": {"interactions": int(row["interactions"]), "active": int(row["active"]),
                        "customer_started": int(row["customer_started"])},
        "breadth": {"people_customer": int(row["people_customer"]), "people_team": int(row["people_team"])},
    }
    if not _missing(row["stage"]):
        out["stage"] = {"step": round(row["stage"] * 3), "of": 3}
    return out


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def reasons_json(comp: pd.DataFrame, state_label: pd.Series, s: RelationshipSettings,
                 as_of: pd.Timestamp) -> pd.Series:
    """``osi_healthreasons`` per record: score, state and the components with their sentences."""
    w = weights(s, comp["stage"].notna())
    out = {}
    rows = zip(comp.index, comp.to_dict("records"), w.to_dict("records"), state_label, strict=True)
    for key, r, wrow, label in rows:
        text = sentences(r, s)
        numbers = facts(r, s)
        items = []
        for c in COMPONENTS:
            if c not in text:
                continue
            value = float(r[c]) if not _missing(r[c]) else 0.0
            items.append({"name": c, "value": round(value, 3), "weight": round(float(wrow[c]), 3),
                          "contribution": round(100 * value * float(wrow[c]), 1), "reason": text[c],
                          "facts": numbers.get(c)})
        out[key] = json.dumps({"score": round(float(r["score"]), 1), "state": label, "as_of": as_of.isoformat(),
                               "components": items}, ensure_ascii=False)
    return pd.Series(out, dtype="object")
