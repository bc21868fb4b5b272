"""The explanation of a health score (``osi_healthreasons``): components, their points, facts and steps.

Everything stored is a stable fact: the points, absolute times ("last two-way contact on
2026-11-30T14:02:00Z"), and for each counted fact the *step* the score used, as a range ``[lo, hi)``
("4 to 6 touchpoints in 90 days") rather than the exact count, so the explanation changes exactly when
the score's inputs do, not each time an old activity leaves a window. Relative wording ("3 days ago") is
the panel's job, at display time in the reader's zone and language; the English ``reason`` sentences
here word the same facts with dates.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from connector.insights.relationship.indicators import COMPONENTS, Indicator, matrix
from connector.insights.relationship.model import HealthModel, applicable, component_max
from connector.insights.relationship.settings import RelationshipSettings

FAMILY_WORDS: dict[str, tuple[str, str]] = {
    # family: (unit: count | share | ratio | flag, English wording of the range {r})
    "upcoming": ("flag", "a meeting or call planned in the next 30 days"),
    "touch30": ("count", "{r} two-way touchpoints in the last 30 days"),
    "touch90": ("count", "{r} two-way touchpoints in the last 90 days"),
    "touch365": ("count", "{r} two-way touchpoints in the last 365 days"),
    "contact30": ("count", "{r} messages, meetings and calls with the customer in the last 30 days"),
    "contact90": ("count", "{r} messages, meetings and calls with the customer in the last 90 days"),
    "contact365": ("count", "{r} messages, meetings and calls with the customer in the last 365 days"),
    "rhythm": ("ratio", "the last 90 days at {r} the customer's usual rhythm"),
    "customer_answers": ("share", "the customer answered {r} of our messages"),
    "customer_fast": ("share", "{r} of our messages answered within the target time"),
    "team_answers": ("share", "our team answered {r} of the customer's messages"),
    "unanswered": ("count", "{r} of our e-mails unanswered since the customer last wrote"),
    "active": ("count", "{r} interactions the customer took part in"),
    "active_share": ("share", "the customer took part in {r} of interactions"),
    "answered_turns": ("count", "{r} answered messages in threads"),
    "customer_started": ("count", "{r} interactions started by the customer"),
    "meetings": ("count", "{r} meetings held"),
    "canceled": ("count", "{r} meetings canceled"),
    "people": ("count", "{r} people engaged on both sides"),
    "customer_people": ("count", "{r} customer people engaged"),
    "contacts_share": ("share", "{r} of the account's contacts engaged"),
    "stage": ("count", "sales stage {r} of 3"),
    "deal30": ("ratio", "activity in the last 30 days at {r} that of won deals"),
    "deal_rate": ("ratio", "activity since creation at {r} the pace of won deals"),
    "deal_recent": ("count", "{r} activities on the deal in the last 30 days"),
    "deal_pace": ("count", "{r} activities on the deal per 30 days since it was created"),
    "older_than_won": ("flag", "open longer than most won deals"),
    "slipped": ("flag", "estimated close date passed"),
}


def family(spec: Indicator) -> tuple[str, float]:
    """The fact an indicator is a step of, and its threshold (``touch90_4`` → ``("touch90", 4)``)."""
    head, _, tail = spec.name.rpartition("_")
    try:
        return head, float(tail)
    except ValueError:
        return spec.name, 1.0


def _range_text(unit: str, lo: float, hi: float | None) -> str:
    def show(v: float) -> str:
        return f"{round(v * 100)} %" if unit == "share" else (f"{v:g}×" if unit == "ratio" else f"{v:g}")
    if unit == "flag":
        return "yes" if lo else "no"
    if unit == "count" and hi is not None:
        top = hi - 1
        return show(lo) if top <= lo else (f"fewer than {show(hi)}" if lo == 0 else f"{show(lo)} to {show(top)}")
    if hi is None:
        return f"{show(lo)} or more"
    return f"under {show(hi)}" if lo == 0 else f"{show(lo)} to {show(hi)}"


def _steps(specs: Sequence[Indicator], z: np.ndarray) -> list[list[dict[str, Any]]]:
    """Per row: the range every counted fact fell in, from the nesting steps that held."""
    groups: dict[str, list[tuple[float, int]]] = {}
    for j, spec in enumerate(specs):
        name, threshold = family(spec)
        if name not in FAMILY_WORDS:
            continue  # the "under N days" steps: the explanation gives the date instead
        groups.setdefault(name, []).append((threshold, j))
    rows: list[list[dict[str, Any]]] = [[] for _ in range(len(z))]
    for name, items in groups.items():
        items.sort()
        thresholds = [t for t, _ in items]
        passed = z[:, [j for _, j in items]].sum(axis=1)
        unit, words = FAMILY_WORDS[name]
        for i, k in enumerate(passed.tolist()):
            lo = 0.0 if k == 0 else thresholds[k - 1]
            hi = thresholds[k] if k < len(thresholds) else None
            if unit == "flag":
                lo, hi = float(k > 0), None
            rows[i].append({"what": name, "lo": lo, "hi": hi,
                            "text": words.replace("{r}", _range_text(unit, lo, hi)) if unit != "flag" else
                            (words if k else "not " + words)})
    return rows


def _iso(times: pd.Series) -> list[str | None]:
    """ISO UTC text of each time (None where missing), vectorised."""
    text = pd.to_datetime(times, utc=True).dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    return [None if pd.isna(t) else t for t in text.tolist()]


def _local_dates(times: pd.Series, tz: str) -> list[str | None]:
    text = pd.to_datetime(times, utc=True).dt.tz_convert(tz).dt.strftime("%Y-%m-%d")
    return [None if pd.isna(t) else t for t in text.tolist()]


def _facts(sig: pd.DataFrame, s: RelationshipSettings) -> dict[str, list[tuple[dict[str, Any], list[str]]]]:
    """Per component with facts, per row of ``sig``: the facts and the lead sentences of its reason."""
    f = s.frequency_days
    rows: dict[str, list[tuple[dict[str, Any], list[str]]]] = {"recency": [], "frequency": [], "deal": []}
    for touch, contact, local in zip(_iso(sig["touch_when"]), _iso(sig["contact_when"]),
                                     _local_dates(sig["touch_when"], s.timezone), strict=True):
        text = f"last two-way contact on {local}" if local else "no two-way contact in two years"
        rows["recency"].append(({"last_two_way_on": touch, "last_contact_on": contact, "frequency_days": f},
                                [f"{text} (expected every {f:g} days)"]))
    frequency = {"frequency_days": f, "expected_90": round(s.health_window_days / f)}
    rows["frequency"] = [(frequency, [])] * len(sig)
    rows["deal"] = [({"created_on": c, "estimated_close_on": e}, []) for c, e in
                    zip(sig["created_on"].tolist(), sig["estimated_close_on"].tolist(), strict=True)]
    return rows


def reasons_json(sig: pd.DataFrame, parts: pd.DataFrame, points: pd.Series, state_label: pd.Series,
                 types: pd.Series, models: Mapping[str, HealthModel], specs: Sequence[Indicator],
                 s: RelationshipSettings, explained: np.ndarray) -> pd.Series:
    """``osi_healthreasons`` per record (rows of ``sig``): score, state, model and the components.

    ``sig`` holds the signals plus ``created_on`` and ``estimated_close_on`` (ISO dates or None). Only the
    ``explained`` records (graded, or not enough info yet) get components; the others (closed, older
    than two years) get ``{"score": null, "state": ..., "components": []}``, which stays put while their
    history ages.
    """
    out = pd.Series([json.dumps({"score": None, "state": label, "components": []}, separators=(",", ":"))
                     for label in state_label.tolist()], index=sig.index, dtype="object")
    for entity, model in models.items():
        rows = types.eq(entity).to_numpy(dtype=bool) & explained
        if not rows.any():
            continue
        mine = [spec for spec in applicable(specs, entity) if model.points.get(spec.name)]
        z = matrix(sig[rows], tuple(mine), model.reference)
        steps = _steps(mine, z)
        maxima = component_max(model, mine)
        by_component = {c: [family(sp)[0] for sp in mine if sp.component == c] for c in maxima}
        head = _model_head(model)
        facts_of = _facts(sig[rows], s)
        got_of = {c: (parts[c][rows].tolist() if c in parts.columns else [0] * int(rows.sum())) for c in maxima}
        texts = []
        for i, (step_list, total, label) in enumerate(zip(steps, points[rows].tolist(), state_label[rows].tolist(),
                                                          strict=True)):
            items = []
            for c, top in maxima.items():
                facts, lead = facts_of[c][i] if c in facts_of else ({}, [])
                mine_steps = [st for st in step_list if st["what"] in by_component[c]]
                got = int(got_of[c][i])
                items.append({"name": c, "points": got, "max": top, "value": round(got / top, 3),
                              "weight": round(top / 100, 2), "contribution": got,
                              "reason": "; ".join(lead + [st["text"] for st in mine_steps]),
                              "facts": facts, "steps": [{k: st[k] for k in ("what", "lo", "hi")} for st in mine_steps]})
            probability = model.probability(total)
            texts.append(json.dumps({"score": total, "state": label, "model": {
                **head, "probability": None if probability is None else round(probability, 2)},
                "components": items}, ensure_ascii=False, separators=(",", ":")))
        out[rows] = texts
    return out


def _model_head(model: HealthModel) -> dict[str, Any]:
    return {"kind": model.kind, "target": model.target, "fitted_on": model.fitted_on, "good_min": model.good_min,
            "fair_min": model.fair_min, "good_probability": model.good_probability,
            "fair_probability": model.fair_probability, "note": model.note}


__all__ = ["COMPONENTS", "FAMILY_WORDS", "family", "reasons_json"]
