"""How reasons speak to a seller: display labels, units, yes/no, rounded numbers and the facts behind them.

A reason is read by a seller, not by the model's author: it names a column by its display label
(never ``eng_record_age_days``), a yes/no column by Yes or No, a duration in hours or days, a share
in per cent, and a value that means "never happened" as "never", not as a capped number. The
numbers behind each sentence travel with it as ``facts`` so the panel words the same reason in the
seller's language; :func:`english` is the English wording of those facts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from connector.insights.scoring.features import BLANK, ENGINEERED_PREFIX

DAYS = "days"
HOURS = "hours"
SHARE = "share"
COUNT = "count"
AMOUNT = "amount"
UNITS = (DAYS, HOURS, SHARE, COUNT, AMOUNT)

ENGINEERED_LABELS: Mapping[str, str] = {
    "eng_email_domain": "E-mail address", "eng_firstname_valid": "First name",
    "eng_lastname_valid": "Last name", "eng_fullname_valid": "Name", "eng_phone_valid": "Phone number",
    "eng_job_level": "Job level", "eng_completeness": "Profile completeness", "eng_record_age_days": "Age",
    "eng_days_in_stage": "Time in current stage",
}
"""Display labels of the engineered fields (an engineered "has a lookup" field is labelled from the lookup)."""

ENGINEERED_UNITS: Mapping[str, str] = {
    "eng_completeness": SHARE, "eng_record_age_days": DAYS, "eng_days_in_stage": DAYS,
}


MISSING_TEXT: Mapping[str, str] = {"never": "never", "never_answered": "never answered",
                                   "never_emailed": "no e-mail sent yet", "empty": "empty"}
"""English for the codes of what a missing number means (the panel has its own words for them)."""


@dataclass(frozen=True)
class Vocabulary:
    """What the caller knows about its columns: display labels, units and the word for a missing value.

    Attributes:
        labels: column → display label.
        units: column → one of :data:`UNITS` (a number's unit; inferred from the name when absent).
        missing: column → code of what a missing value means (a key of :data:`MISSING_TEXT`); default
            ``empty``.
    """

    labels: Mapping[str, str] = field(default_factory=dict)
    units: Mapping[str, str] = field(default_factory=dict)
    missing: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Wording:
    """How sentences name things: record plural, outcome verb and the vocabulary of the columns."""

    plural: str = "records"
    outcome: str = "positive"
    vocabulary: Vocabulary = field(default_factory=Vocabulary)

    def label(self, col: str) -> str:
        """The display label of a column: the caller's, the engineered one's, or the name made readable."""
        if col in self.vocabulary.labels:
            return self.vocabulary.labels[col]
        if col in ENGINEERED_LABELS:
            return ENGINEERED_LABELS[col]
        if col.startswith(f"{ENGINEERED_PREFIX}has_"):
            return "Has " + self.label(col[len(ENGINEERED_PREFIX) + 4:]).lower()
        return readable(col)

    def unit(self, col: str) -> str:
        """The unit of a numeric column (:data:`COUNT` when nothing says otherwise)."""
        if col in self.vocabulary.units:
            return self.vocabulary.units[col]
        if col in ENGINEERED_UNITS:
            return ENGINEERED_UNITS[col]
        low = col.lower()
        if low.endswith(("_days", " days", "days")):
            return DAYS
        if low.endswith(("_hours", " hours", "hours")):
            return HOURS
        return COUNT

    def missing(self, col: str) -> str:
        """What a missing value of ``col`` is called in a sentence."""
        return self.vocabulary.missing.get(col, "empty")


def readable(name: str) -> str:
    """A column name a person can read: lookup suffixes and underscores gone, first letter upper-case."""
    text = name
    if text.startswith("_") and text.endswith("_value"):
        text = text[1:-len("_value")]
    text = text.replace("_", " ").strip() or name
    return text[:1].upper() + text[1:]


def number_text(value: float | None, unit: str) -> str:
    """A number as a seller reads it: rounded, with its unit ("8 hours", "3 days", "40 %", "12,500")."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "empty"
    v = float(value)
    if unit == DAYS:
        return _days(v)
    if unit == HOURS:
        return _days(v / 24) if v >= 48 else _count(round(v), "hour")
    if unit == SHARE:
        return f"{100 * v:.0f} %"
    if unit == AMOUNT or abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:,.0f}" if abs(v - round(v)) < 0.05 or abs(v) >= 10 else f"{v:.1f}"


def _days(v: float) -> str:
    if v < 1:
        hours = round(24 * v)
        return "less than an hour" if hours == 0 else _count(hours, "hour")
    return _count(round(v), "day")


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def category_text(value: Any) -> str:
    """A category as a seller reads it; the blank category is "empty"."""
    if value is None or value == BLANK or (isinstance(value, float) and math.isnan(value)):
        return "empty"
    return str(value)[:100]


def pct(rate: float | None) -> str:
    """A rate in whole per cent ("n/a" when unknown)."""
    return "n/a" if rate is None or math.isnan(rate) else f"{100 * rate:.0f} %"


def english(f: Mapping[str, Any], wording: Wording) -> tuple[str, str]:
    """The English ``(reason, evidence)`` sentences of a reason's facts (see :func:`explain.facts`).

    The evidence compares the record's group with the group named by ``f["compare"]``: ``overall``
    (every closed record) or ``typical`` (records at the neutral value); None means no sentence
    agrees with the measured contribution, so none is shown.
    """
    plural, outcome = wording.plural, wording.outcome
    reason = f"{f['label']}: {f['shown']}"
    compare = f.get("compare")
    if compare is None:
        return reason, ""
    group = f"{plural} with {f['where']}"
    against = (f"{pct(f['overall'])} overall" if compare == "overall"
               else f"{pct(f['reference_rate'])} for {plural} with {f['reference_where']}")
    return reason, f"{pct(f['rate'])} of {group} were {outcome}, vs {against} ({f['count']:,} {plural})"
