"""Administrator settings of relationship analytics, with their defaults and validation.

The pipeline reads the ``osi_setting`` table into a plain dict (key → decoded JSON value) and calls
:meth:`RelationshipSettings.from_dict`. Keys are the field names below, optionally prefixed with
``relationship.`` (the prefix the settings table uses); keys of other features are ignored, and an
unknown ``relationship.*`` key is an error (a typo would otherwise be silently ignored).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from connector.errors import ConfigurationError

PREFIX = "relationship."

RETIRED = {"decay_factor": "health no longer decays continuously: it counts days and activities in steps"}
"""Settings earlier versions wrote to the settings table; accepted and ignored so old rows still load."""

FREQUENCIES: dict[str, float] = {"daily": 1.0, "twice a week": 3.5, "weekly": 7.0, "every two weeks": 14.0,
                                 "monthly": 30.0, "quarterly": 91.0}
"""The communication-frequency choices an administrator picks from (label → days between contacts)."""


@dataclass(frozen=True)
class RelationshipSettings:
    """Relationship analytics settings (every field has the default shown).

    Attributes:
        enabled: compute relationship analytics at all.
        communication_frequency: expected contact rhythm, a :data:`FREQUENCIES` label or a number of days.
        good_min: lowest score graded Good (Microsoft's default 60) by the hand-set model.
        fair_min: lowest score graded Fair (default 40) by the hand-set model; below it is Poor.
        health_fit: fit the health weights and cut-offs on the organisation's own history (true), or
            always use the hand-set weights and cut-offs below (false: an administrator fixes them).
        good_probability: a fitted model grades Good the scores whose calibrated probability of the
            model's target (still in two-way contact in 90 days; deal won; lead qualified) reaches this.
        fair_probability: the same for Fair; below it is Poor.
        fit_min_examples: fewer examples in the history than this → the hand-set model, labelled so.
        min_activities: fewer completed e-mails, meetings and calls than this in two years → "Not enough
            info".
        influence_email, influence_meeting, influence_call: per-type weight change, −0.5 … +0.5
            (Microsoft's "activity influence" sliders: ±50 %).
        weight_recency, weight_frequency, weight_responsiveness, weight_reciprocity, weight_breadth,
            weight_stage: the hand-set model's blend of the health components (normalised to sum 1; stage
            only for opportunities).
        response_target_hours: a reply within this many hours counts as fully responsive.
        response_grace_hours: an unanswered message younger than this is not yet counted as unanswered
            (rounded up to whole days of the organisation's zone).
        breadth_target: distinct people (both sides) actively engaged for full breadth credit.
        health_window_days: the window of the touchpoint count health compares with the rhythm.
        trend_days: the trend compares the score now with the score this many days earlier.
        trend_dead_band: score change (points) below which the trend stays Steady.
        max_record_age_days: open leads/opportunities created longer ago, and contacts/accounts whose last
            activity is older, are "Older than two years".
        history_days: days in the daily activity breakdown.
        email_read_minutes, email_write_minutes: time estimate of one e-mail.
        default_meeting_minutes, default_call_minutes, default_task_minutes: duration used when an
            activity has none.
        timezone: IANA zone of the organisation: its calendar days are the clock of every stored value.
    """

    enabled: bool = True
    communication_frequency: str | float = "weekly"
    good_min: int = 60
    fair_min: int = 40
    health_fit: bool = True
    good_probability: float = 0.7
    fair_probability: float = 0.4
    fit_min_examples: int = 300
    min_activities: int = 3
    influence_email: float = 0.0
    influence_meeting: float = 0.0
    influence_call: float = 0.0
    weight_recency: float = 0.20
    weight_frequency: float = 0.50
    weight_responsiveness: float = 0.10
    weight_reciprocity: float = 0.10
    weight_breadth: float = 0.10
    weight_stage: float = 0.10
    response_target_hours: float = 24.0
    response_grace_hours: float = 48.0
    breadth_target: int = 4
    health_window_days: int = 90
    trend_days: int = 14
    trend_dead_band: float = 5.0
    max_record_age_days: int = 730
    history_days: int = 90
    email_read_minutes: float = 2.5
    email_write_minutes: float = 5.0
    default_meeting_minutes: float = 30.0
    default_call_minutes: float = 5.0
    default_task_minutes: float = 15.0
    timezone: str = "UTC"

    def __post_init__(self) -> None:
        problems = _problems(self)
        if problems:
            raise ConfigurationError(problems)

    @property
    def frequency_days(self) -> float:
        """Expected days between two contacts."""
        freq = self.communication_frequency
        return FREQUENCIES[freq.lower()] if isinstance(freq, str) else float(freq)

    @property
    def grace_days(self) -> int:
        """Whole local days after which an unanswered message counts as unanswered."""
        return math.ceil(self.response_grace_hours / 24 - 1e-9)

    def type_weight(self, activity_type: str) -> float:
        """Weight of one activity type (1 ± influence); 0 for types that do not count (tasks)."""
        return {"email": 1 + self.influence_email, "appointment": 1 + self.influence_meeting,
                "phonecall": 1 + self.influence_call}.get(activity_type, 0.0)

    @classmethod
    def from_dict(cls, values: Mapping[str, object]) -> RelationshipSettings:
        """Build settings from the settings table (defaults for what is absent).

        Raises:
            ConfigurationError: a value has the wrong type or is out of range, or a ``relationship.*``
                key is unknown; every problem is listed, each naming its setting.
        """
        known = {f.name: f for f in fields(cls)}
        kwargs: dict[str, object] = {}
        problems: list[str] = []
        for key, value in values.items():
            name = key[len(PREFIX):] if key.startswith(PREFIX) else key
            if name in RETIRED:
                continue
            if name not in known:
                if key.startswith(PREFIX):
                    problems.append(f"{key}: unknown relationship setting")
                continue
            try:
                kwargs[name] = _coerce(value, known[name].default)
            except (TypeError, ValueError):
                problems.append(f"{PREFIX}{name}: expected {type(known[name].default).__name__}, got {value!r:.40}")
        if problems:
            raise ConfigurationError(problems)
        return cls(**kwargs)  # type: ignore[arg-type]


def _coerce(value: object, default: object) -> object:
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
            return value.strip().lower() == "true"
        raise TypeError("not a boolean")
    if isinstance(value, bool):
        raise TypeError("boolean where a number or text is expected")
    if isinstance(default, int):
        number = float(value)  # type: ignore[arg-type]
        if not number.is_integer():
            raise ValueError("not an integer")
        return int(number)
    if isinstance(default, float):
        return float(value)  # type: ignore[arg-type]
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)  # communication_frequency given in days
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return value
    raise TypeError("not text")


def _problems(s: RelationshipSettings) -> list[str]:
    p: list[str] = []

    def check(name: str, ok: bool, what: str) -> None:
        if not ok:
            p.append(f"{PREFIX}{name}: {what} (got {getattr(s, name)!r:.40})")

    freq = s.communication_frequency
    if isinstance(freq, str):
        check("communication_frequency", freq.lower() in FREQUENCIES, f"one of {sorted(FREQUENCIES)} or days")
    else:
        check("communication_frequency", math.isfinite(freq) and 0.5 <= freq <= 365, "between 0.5 and 365 days")
    check("fair_min", 0 < s.fair_min < s.good_min, "must be above 0 and below good_min")
    check("good_min", s.fair_min < s.good_min <= 100, "must be above fair_min and at most 100")
    check("min_activities", 0 <= s.min_activities <= 1000, "between 0 and 1000")
    for name in ("influence_email", "influence_meeting", "influence_call"):
        check(name, -0.5 <= getattr(s, name) <= 0.5, "between -0.5 and 0.5 (±50 %)")
    weights = ("weight_recency", "weight_frequency", "weight_responsiveness", "weight_reciprocity",
               "weight_breadth", "weight_stage")
    for name in weights:
        check(name, math.isfinite(getattr(s, name)) and getattr(s, name) >= 0, "a number ≥ 0")
    if sum(getattr(s, n) for n in weights[:-1]) <= 0:
        p.append(f"{PREFIX}weight_recency: the component weights must not all be 0")
    for name in ("good_probability", "fair_probability"):
        check(name, math.isfinite(getattr(s, name)) and 0 < getattr(s, name) < 1, "a probability between 0 and 1")
    check("fair_probability", s.fair_probability < s.good_probability, "must be below good_probability")
    check("fit_min_examples", 50 <= s.fit_min_examples <= 10_000_000, "between 50 and 10,000,000")
    positive = ("response_target_hours", "email_read_minutes", "email_write_minutes")
    for name in positive:
        check(name, math.isfinite(getattr(s, name)) and 0 < getattr(s, name) <= 10_000, "a number above 0")
    for name in ("response_grace_hours", "default_meeting_minutes", "default_call_minutes", "default_task_minutes",
                 "trend_dead_band"):
        check(name, math.isfinite(getattr(s, name)) and 0 <= getattr(s, name) <= 10_000, "a number ≥ 0")
    check("breadth_target", 1 <= s.breadth_target <= 1000, "between 1 and 1000")
    for name, hi in (("health_window_days", 3650), ("trend_days", 365), ("max_record_age_days", 36500),
                     ("history_days", 366)):
        check(name, 1 <= getattr(s, name) <= hi, f"between 1 and {hi}")
    try:
        ZoneInfo(s.timezone)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        check("timezone", False, "an IANA time zone such as Europe/Paris")
    return p
