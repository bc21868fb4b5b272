"""Feature discovery and engineered fields for lead and opportunity scoring.

Nothing here is hard-coded to one table: :func:`discover` looks at a frame (leads or opportunities,
possibly joined with contact and account columns, possibly with activity columns from relationship
analytics) and decides, column by column, whether it is a categorical feature, a numeric feature or
dropped, always with a reason for a dropped column. :func:`engineer` adds the "intelligent fields"
(business vs free e-mail domain, name and phone validity, job level, presence of a lookup,
completeness, record age) when the raw columns exist. :func:`featurise` turns any frame into the
typed model input for a fitted :class:`FeatureSet`, so training and scoring see exactly the same
columns.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from connector.errors import InsightError
from connector.insights.scoring.job_level import job_level

BLANK = "(blank)"
"""Category given to an empty value when blanks count as a value (the default, as in Dynamics)."""

ENGINEERED_PREFIX = "eng_"

OUTCOME_FIELDS: frozenset[str] = frozenset({
    # Dataverse logical names of fields filled when (or because) the record closed.
    "statecode", "statuscode", "actualclosedate", "actualvalue", "actualvalue_base", "closeprobability",
    "qualifyingopportunityid", "_qualifyingopportunityid_value", "originatingleadid", "_originatingleadid_value",
    "msdyn_predictivescoreid", "leadscore", "leadgrade", "opportunityscore", "opportunitygrade",
    "opportunityratingcode", "leadqualitycode", "closed_on", "state_code", "status_code", "actual_close_date",
    "versionnumber", "modifiedon", "modified_on", "exchangerate",
    # Our own outputs: a score must never learn from a previous score.
    "osi_score", "osi_grade", "osi_scoretrend", "osi_scorereasons", "osi_scoredon", "osi_modelversion",
})
"""Columns that are never inputs: outcome fields, system attributes and our own score outputs."""

FREE_MAIL_DOMAINS: frozenset[str] = frozenset({
    "gmail.com", "googlemail.com", "yahoo.com", "yahoo.fr", "yahoo.co.uk", "ymail.com", "hotmail.com",
    "hotmail.fr", "hotmail.co.uk", "outlook.com", "outlook.fr", "live.com", "live.fr", "msn.com", "aol.com",
    "icloud.com", "me.com", "mac.com", "protonmail.com", "proton.me", "gmx.com", "gmx.de", "gmx.net", "web.de",
    "mail.com", "mail.ru", "yandex.ru", "yandex.com", "qq.com", "163.com", "126.com", "orange.fr", "free.fr",
    "laposte.net", "wanadoo.fr", "sfr.fr", "libero.it", "t-online.de", "zoho.com", "rediffmail.com",
})
"""Personal (free) mail providers: an address there is not a business address."""

_EMAIL_COLUMNS = ("emailaddress1", "email", "emailaddress", "e-mail")
_NAME_COLUMNS = ("firstname", "lastname", "fullname")
_PHONE_COLUMNS = ("telephone1", "mobilephone", "phone", "telephone", "businessphone")
_TITLE_COLUMNS = ("jobtitle", "job title", "job_title", "title")

PERSONAL_FIELDS: frozenset[str] = frozenset({
    *_EMAIL_COLUMNS, *_NAME_COLUMNS, *_PHONE_COLUMNS, "emailaddress2", "emailaddress3", "telephone2",
    "telephone3", "middlename", "yomifullname", "yomifirstname", "yomilastname", "address1_line1",
    "address1_line2", "address1_line3", "address1_postalcode", "address2_line1", "fax", "pager",
})
"""Columns never used as raw inputs (and so never shown in reasons); the engineered fields use them."""
_NAME_RE = re.compile(r"^[^\W\d_]+(?:[ '\-.][^\W\d_]+)*\.?$")
_PHONE_CHARS_RE = re.compile(r"^\+?[\d\s().\-/]+$")
_LOOKUP_RE = re.compile(r"(^_.+_value$)|(id$)|(_id$)|(number$)|(^id$)", re.IGNORECASE)


@dataclass(frozen=True)
class FeatureSet:
    """The features a model uses and the columns it dropped, with reasons.

    Attributes:
        categorical: categorical feature columns (text, choices, booleans, low-cardinality lookups).
        numeric: numeric feature columns.
        dropped: column → human reason it is not an input.
        ignore_empty: columns whose blanks carry no information (skipped rather than a value).
    """

    categorical: tuple[str, ...]
    numeric: tuple[str, ...]
    dropped: Mapping[str, str] = field(default_factory=dict)
    ignore_empty: frozenset[str] = frozenset()

    @property
    def columns(self) -> tuple[str, ...]:
        """Every input column: categorical first, then numeric (the model's column order)."""
        return self.categorical + self.numeric

    def without(self, reasons: Mapping[str, str]) -> FeatureSet:
        """A copy with the given columns moved to :attr:`dropped` under the given reasons."""
        dropped = dict(self.dropped)
        dropped.update(reasons)
        return FeatureSet(
            categorical=tuple(c for c in self.categorical if c not in reasons),
            numeric=tuple(c for c in self.numeric if c not in reasons),
            dropped=dropped,
            ignore_empty=self.ignore_empty,
        )


def presence_lookups(features: FeatureSet) -> tuple[str, ...]:
    """Lookup columns dropped as id-like: their presence (not their value) becomes a feature."""
    return tuple(name for name, reason in features.dropped.items()
                 if reason.startswith("id-like") and _LOOKUP_RE.search(name))


def _is_missing_text(values: pd.Series) -> pd.Series:
    return values.isna() | values.astype("string").str.strip().eq("").fillna(False)


def _share(n: float, d: float) -> str:
    return f"{100 * n / d:.0f} %" if d else "0 %"


def discover(
    frame: pd.DataFrame,
    *,
    target: str | None = None,
    id_column: str | None = None,
    time_column: str | None = None,
    drop: Iterable[str] = (),
    include: Iterable[str] = (),
    ignore_empty: Iterable[str] = (),
    max_categories: int = 50,
    min_filled: float = 0.05,
) -> FeatureSet:
    """Decide which columns of ``frame`` are features, and why the others are not.

    Args:
        frame: the records (raw columns and, optionally, engineered ``eng_*`` columns).
        target: the label column (never a feature), when the labels are a column of ``frame``.
        id_column: the record id (never a feature).
        time_column: the time the split orders by (never a feature: dates are not inputs).
        drop: columns the caller removes (the admin's "remove", or known leaks such as ``Tags``).
        include: columns kept even if a rule would drop them as id-like, mostly empty or high-cardinality
            (the admin's "add"); outcome fields, dropped columns and constants are still refused.
        ignore_empty: columns whose blank values are skipped instead of counted as a value.
        max_categories: above this many distinct values a text column is dropped.
        min_filled: below this share of filled values a column is dropped.

    Returns:
        The :class:`FeatureSet`.

    Raises:
        InsightError: ``target`` is not a column of ``frame``.
    """
    if target is not None and target not in frame.columns:
        raise InsightError(f"the label column {target!r} is not in the data")
    drop_set = {str(c).lower() for c in drop}
    include_set = set(include)
    categorical: list[str] = []
    numeric: list[str] = []
    dropped: dict[str, str] = {}
    for col in frame.columns:
        if col == target:
            continue
        name = str(col)
        reason = _excluded_by_role(frame[col], name, id_column=id_column, time_column=time_column,
                                   drop=drop_set, include=include_set)
        if reason is None:
            reason, kind = _classify(frame[col], name, len(frame), max_categories, min_filled, name in include_set)
            if kind == "categorical":
                categorical.append(name)
                continue
            if kind == "numeric":
                numeric.append(name)
                continue
        dropped[name] = reason
    return FeatureSet(tuple(categorical), tuple(numeric), dropped, frozenset(ignore_empty))


def _excluded_by_role(values: pd.Series, name: str, *, id_column: str | None, time_column: str | None,
                      drop: set[str], include: set[str]) -> str | None:
    """Why a column is never an input whatever its values (its role, its name or its type), else None."""
    low = name.lower()
    if name == id_column:
        return "record id"
    if name == time_column:
        return "time column: orders the train/test split, never an input"
    if low in drop:
        return "removed by the model definition"
    if low in OUTCOME_FIELDS:
        return "outcome or system field: known only after the record closed"
    if low in PERSONAL_FIELDS and name not in include:
        return "personal data: used only through engineered fields (validity, domain)"
    if (low in _TITLE_COLUMNS or low.endswith("_jobtitle")) and name not in include:
        # Typed by hand, one spelling per person: learned as such it identifies people, not seniority.
        return "free text: used through its engineered job level"
    if pd.api.types.is_datetime64_any_dtype(values):
        return "date/time: not an input (record age is engineered instead)"
    return None


def _classify(values: pd.Series, name: str, n: int, max_categories: int, min_filled: float,
              forced: bool) -> tuple[str, str]:
    """``(reason, kind)`` with kind ``categorical``, ``numeric`` or ``drop``."""
    present = values[~_is_missing_text(values)] if not pd.api.types.is_bool_dtype(values) else values.dropna()
    filled = len(present)
    if filled == 0 or present.nunique() <= 1:
        return "constant: a single value (or none) in every record", "drop"
    others = n - int(values.value_counts(dropna=False).iloc[0])
    if others < max(2.0, min(10.0, 0.01 * n)) and not forced:
        # One or two records out of hundreds cannot teach a model anything, but a model would still
        # score on them (a closed lead rarely has a meeting planned after its close; open ones often do).
        return f"nearly constant: only {others} of {n} records differ from the most common value", "drop"
    if filled < min_filled * n and not forced:
        return f"mostly empty: {_share(filled, n)} filled", "drop"
    if pd.api.types.is_bool_dtype(values):
        return "", "categorical"
    distinct = present.nunique()
    looks_like_key = bool(_LOOKUP_RE.search(name))
    if pd.api.types.is_numeric_dtype(values):
        if looks_like_key and distinct > 0.9 * filled and not forced:
            return "id-like: a different number in almost every record", "drop"
        if _is_choice(present, name, max_categories):
            return "", "categorical"
        return "", "numeric"
    as_number = pd.to_numeric(present, errors="coerce")
    if as_number.notna().mean() >= 0.98:
        if looks_like_key and distinct > 0.9 * filled and not forced:
            return "id-like: a different number in almost every record", "drop"
        return "", "numeric"
    # A mostly-unique text is an id or free text even in a handful of records (where it would
    # otherwise pass the category limit and be learned by heart).
    if forced or (distinct <= max_categories and not (distinct > 10 and distinct > 0.5 * filled)):
        return "", "categorical"
    if distinct > 0.5 * filled:
        return f"id-like or free text: {distinct} distinct values in {filled} records", "drop"
    return f"too many categories: {distinct} distinct values (limit {max_categories})", "drop"


def _is_choice(present: pd.Series, name: str, max_categories: int) -> bool:
    """A Dataverse choice stored as its integer option value (``leadsourcecode``, ``107300002``)."""
    numbers = pd.to_numeric(present, errors="coerce").dropna()
    if numbers.empty or not (numbers % 1 == 0).all() or numbers.nunique() > max_categories:
        return False
    low = name.lower()
    return low.endswith("code") or low.endswith("type") or bool((numbers.abs() >= 100_000_000).all())


def title_columns(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """``(column, engineered name)`` of each job-title column: the record's own, then related ones."""
    out = []
    own = _first_column(frame, _TITLE_COLUMNS)
    if own is not None:
        out.append((own, "job_level"))
    for col in frame.columns:
        low = str(col).lower()
        if col != own and low.endswith("_jobtitle"):
            out.append((str(col), f"{low[: -len('_jobtitle')]}_job_level"))
    return out


def _first_column(frame: pd.DataFrame, candidates: tuple[str, ...]) -> str | None:
    lowered = {str(c).lower(): str(c) for c in frame.columns}
    for cand in candidates:
        if cand in lowered:
            return lowered[cand]
    return None


def _email_kind(value: object) -> object:
    if not isinstance(value, str) or "@" not in value:
        return np.nan
    domain = value.rsplit("@", 1)[1].strip().lower()
    if not domain or "." not in domain:
        return "invalid"
    return "free" if domain in FREE_MAIL_DOMAINS else "business"


def _name_kind(value: object) -> object:
    if not isinstance(value, str) or not value.strip():
        return np.nan
    parts = value.strip()
    return "valid" if len(parts) >= 2 and _NAME_RE.match(parts) else "invalid"


def _phone_kind(value: object) -> object:
    if not isinstance(value, str) or not value.strip():
        return np.nan
    digits = sum(ch.isdigit() for ch in value)
    return "valid" if _PHONE_CHARS_RE.match(value.strip()) and 7 <= digits <= 15 else "invalid"


def engineer(
    frame: pd.DataFrame,
    *,
    now: pd.Timestamp,
    created_column: str | None = None,
    closed_column: str | None = None,
    completeness_of: Iterable[str] = (),
    stage_started_column: str | None = None,
    lookups: Iterable[str] = (),
) -> pd.DataFrame:
    """Add the engineered ``eng_*`` fields whose raw columns exist; return a new frame.

    - ``eng_email_domain``: ``business`` / ``free`` / ``invalid`` from the first e-mail column.
    - ``eng_firstname_valid`` (etc.): ``valid`` / ``invalid`` for each name column present.
    - ``eng_phone_valid``: ``valid`` / ``invalid`` from the first phone column.
    - ``eng_job_level``: ``executive`` / ``vp-director`` / ``manager`` / ``staff`` from the job title
      (``eng_contact_job_level`` from a related contact's ``contact_jobtitle``, and so on).
    - ``eng_has_<lookup>``: ``yes`` / ``no`` for each of ``lookups`` (an existing account or contact is
      a signal even when the related record itself is different every time).
    - ``eng_completeness``: share of the ``completeness_of`` columns that are filled.
    - ``eng_record_age_days``: days from ``created_column`` to ``closed_column`` when the record is
      closed (a closed record is described as it was when it closed), else to ``now``.
    - ``eng_days_in_stage``: days from ``stage_started_column`` (when the current stage began) to the
      same end (opportunities).

    Args:
        frame: the records.
        now: the scoring time (UTC), the end of an open record's age.
        created_column: creation time column, when there is one.
        closed_column: close time column, when there is one (NaT for open records).
        completeness_of: the raw feature columns completeness is measured over.
        stage_started_column: when the record entered its current stage, when known.
        lookups: lookup columns too varied to be categories, whose presence is a feature.

    Returns:
        A copy of ``frame`` with the engineered columns added.
    """
    out = frame.copy()
    for name, values in _contact_quality(frame).items():
        out[name] = values
    for col in lookups:
        if col in frame.columns:
            out[f"{ENGINEERED_PREFIX}has_{col}"] = np.where(_is_missing_text(frame[col]), "no", "yes").astype(object)
    cols = [c for c in completeness_of if c in frame.columns]
    if cols:
        filled = pd.concat([~_is_missing_text(frame[c]) for c in cols], axis=1)
        out[f"{ENGINEERED_PREFIX}completeness"] = filled.mean(axis=1).astype(float)
    end = pd.Series(pd.Timestamp(now), index=frame.index)
    if closed_column is not None and closed_column in frame.columns:
        closed = pd.to_datetime(frame[closed_column], utc=True, errors="coerce")
        end = closed.where(closed.notna(), end)
    for source, name in ((created_column, "record_age_days"), (stage_started_column, "days_in_stage")):
        if source is not None and source in frame.columns:
            start = pd.to_datetime(frame[source], utc=True, errors="coerce")
            out[f"{ENGINEERED_PREFIX}{name}"] = calendar_days(start, end).clip(lower=0).astype(float)
    return out


def _contact_quality(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """The engineered fields read from personal columns: e-mail domain kind, name and phone validity, job levels."""
    out: dict[str, pd.Series] = {}
    email = _first_column(frame, _EMAIL_COLUMNS)
    if email is not None:
        out[f"{ENGINEERED_PREFIX}email_domain"] = frame[email].map(_email_kind).astype(object)
    for col in _NAME_COLUMNS:
        found = _first_column(frame, (col,))
        if found is not None:
            out[f"{ENGINEERED_PREFIX}{col}_valid"] = frame[found].map(_name_kind).astype(object)
    phone = _first_column(frame, _PHONE_COLUMNS)
    if phone is not None:
        out[f"{ENGINEERED_PREFIX}phone_valid"] = frame[phone].map(_phone_kind).astype(object)
    for title, name in title_columns(frame):
        out[f"{ENGINEERED_PREFIX}{name}"] = frame[title].map(job_level).astype(object)
    return out


def calendar_days(start: pd.Series, end: pd.Series) -> pd.Series:
    """Whole calendar days (UTC) from ``start`` to ``end``: the same all day long, so a score scored again an
    hour later is the same score, and it moves at most once a day."""
    return (pd.to_datetime(end, utc=True).dt.floor("D") - pd.to_datetime(start, utc=True).dt.floor("D")).dt.days


def featurise(frame: pd.DataFrame, features: FeatureSet) -> pd.DataFrame:
    """The typed model input: categorical columns as ``object`` strings, numeric as ``float``.

    A blank categorical value becomes :data:`BLANK` unless its column ignores empty values (then it
    stays missing, which the models treat as "no information"). A column missing from ``frame`` is
    all-missing; a numeric value that does not parse becomes missing.

    Args:
        frame: the records (with engineered columns when the feature set uses them).
        features: the fitted feature set.

    Returns:
        A frame with exactly ``features.columns``, on ``frame``'s index.
    """
    out: dict[str, pd.Series] = {}
    for col in features.categorical:
        values = frame[col] if col in frame.columns else pd.Series(np.nan, index=frame.index)
        missing = _is_missing_text(values)
        text = values.astype(object).where(~missing, np.nan).map(_category_text, na_action="ignore")
        if col not in features.ignore_empty:
            text = text.where(~missing, BLANK)
        out[col] = text.astype(object)
    for col in features.numeric:
        values = frame[col] if col in frame.columns else pd.Series(np.nan, index=frame.index)
        out[col] = pd.to_numeric(values, errors="coerce").astype(float)
    return pd.DataFrame(out, index=frame.index, columns=list(features.columns))


def _category_text(value: object) -> str:
    # Booleans and numbers used as choices print the same way at training and at scoring time.
    if isinstance(value, bool | np.bool_):
        return "Yes" if value else "No"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)[:200]
