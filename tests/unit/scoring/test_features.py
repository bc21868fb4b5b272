from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from connector.errors import InsightError
from connector.insights.scoring.features import BLANK, FeatureSet, discover, engineer, featurise, presence_lookups
from connector.insights.scoring.job_level import job_level

NOW = pd.Timestamp("2026-01-01T00:00:00Z")


def _frame(n: int = 100) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    return pd.DataFrame({
        "leadid": [f"id-{i}" for i in range(n)],
        "statecode": rng.integers(1, 3, n),
        "statuscode": rng.integers(3, 5, n),
        "leadsourcecode": rng.integers(1, 5, n),
        "industry": rng.choice(["a", "b", "c"], n),
        "revenue_text": [str(v) for v in rng.integers(0, 10_000, n)],
        "donotemail": rng.random(n) < 0.5,
        "osi_lastactivitytype": rng.choice([107300000, 107300001], n),
        "budget": rng.integers(0, 50, n),
        "constant": ["x"] * n,
        "mostly_empty": [1.0, 2.0] + [np.nan] * (n - 2),
        "freetext": [f"note {i}" for i in range(n)],
        "createdon": pd.date_range("2025-01-01", periods=n, freq="D", tz="UTC"),
        "Tags": rng.choice(["t1", "t2"], n),
    })


def test_discover_classifies_and_gives_a_reason_for_every_dropped_column() -> None:
    fs = discover(_frame(), target="statecode", id_column="leadid", drop=["tags"])
    # Dataverse choices arrive as integer option values: they are categories, not quantities.
    assert set(fs.categorical) == {"industry", "donotemail", "leadsourcecode", "osi_lastactivitytype"}
    assert set(fs.numeric) == {"revenue_text", "budget"}
    assert fs.dropped["leadid"] == "record id"
    assert fs.dropped["statuscode"].startswith("outcome")
    assert fs.dropped["Tags"].startswith("removed")
    assert fs.dropped["constant"].startswith("constant")
    assert fs.dropped["mostly_empty"].startswith("mostly empty")
    assert fs.dropped["freetext"].startswith("id-like or free text")
    assert fs.dropped["createdon"].startswith("date/time")
    assert "statecode" not in fs.dropped and "statecode" not in fs.columns


def test_personal_columns_are_used_only_through_engineered_fields() -> None:
    frame = pd.DataFrame({"y": [0, 1] * 10, "firstname": ["Ann", "Bob"] * 10, "emailaddress1": ["a@b.c"] * 20})
    fs = discover(frame, target="y")
    assert fs.columns == ()
    assert fs.dropped["firstname"].startswith("personal data")


def test_discover_too_many_categories_and_include_override() -> None:
    frame = pd.DataFrame({"y": [0, 1] * 100, "city": [f"c{i % 60}" for i in range(200)]})
    assert discover(frame, target="y").dropped["city"].startswith("too many categories")
    assert discover(frame, target="y", include=["city"]).categorical == ("city",)


def test_discover_requires_the_target() -> None:
    with pytest.raises(InsightError, match="label column"):
        discover(pd.DataFrame({"a": [1]}), target="y")


def test_engineer_adds_intelligent_fields_when_raw_columns_exist() -> None:
    frame = pd.DataFrame({
        "emailaddress1": ["ann@contoso.com", "bob@gmail.com", "broken@", None],
        "firstname": ["Anne-Marie", "x1", "O'Neil", ""],
        "telephone1": ["+33 1 23 45 67 89", "12", "call me", None],
        "a": [1, None, 3, None],
        "b": ["x", "y", None, None],
        "createdon": pd.to_datetime(["2025-12-01"] * 4, utc=True),
        "closedon": pd.to_datetime(["2025-12-11", None, None, None], utc=True),
        "stagestart": pd.to_datetime(["2025-12-10", "2025-12-31", None, None], utc=True),
    })
    out = engineer(frame, now=NOW, created_column="createdon", closed_column="closedon", completeness_of=["a", "b"],
                   stage_started_column="stagestart")
    assert out["eng_email_domain"].tolist()[:3] == ["business", "free", "invalid"]
    assert pd.isna(out["eng_email_domain"].iloc[3])
    assert out["eng_firstname_valid"].tolist()[:3] == ["valid", "invalid", "valid"]
    assert out["eng_phone_valid"].tolist()[:3] == ["valid", "invalid", "invalid"]
    assert out["eng_completeness"].tolist() == [1.0, 0.5, 0.5, 0.0]
    # A closed record is as old as it was when it closed; an open one is as old as it is now.
    assert out["eng_record_age_days"].tolist() == [10.0, 31.0, 31.0, 31.0]
    assert out["eng_days_in_stage"].tolist()[:2] == [1.0, 1.0] and out["eng_days_in_stage"].iloc[2:].isna().all()


def test_featurise_blanks_are_a_value_unless_ignored_and_bad_numbers_are_missing() -> None:
    frame = pd.DataFrame({"src": ["web", None, "  "], "n": ["1", "oops", None]})
    plain = featurise(frame, FeatureSet(("src",), ("n",)))
    assert plain["src"].tolist() == ["web", BLANK, BLANK]
    assert plain["n"].iloc[0] == 1.0 and plain["n"].iloc[1:].isna().all()
    ignored = featurise(frame, FeatureSet(("src",), ("n",), ignore_empty=frozenset({"src"})))
    assert ignored["src"].iloc[0] == "web" and ignored["src"].iloc[1:].isna().all()
    missing_column = featurise(pd.DataFrame({"other": [1]}), FeatureSet(("src",), ("n",)))
    assert missing_column["src"].tolist() == [BLANK] and missing_column["n"].isna().all()


def test_unique_text_is_id_like_even_in_a_handful_of_records() -> None:
    frame = pd.DataFrame({"y": [0, 1] * 10, "prospect": [f"p{i}" for i in range(20)], "src": ["a", "b"] * 10})
    fs = discover(frame, target="y")
    assert fs.dropped["prospect"].startswith("id-like") and fs.categorical == ("src",)


@pytest.mark.parametrize(("title", "level"), [
    ("CEO", "executive"), ("Présidente-directrice générale", "executive"), ("PDG", "executive"),
    ("Managing Director", "executive"), ("VP Operations", "vp-director"), ("Directrice des achats", "vp-director"),
    ("Head of IT", "vp-director"), ("IT Manager", "manager"), ("Chef de projet", "manager"),
    ("Responsable achats", "manager"), ("Executive Assistant", "staff"), ("Assistant to the CEO", "staff"),
    ("Analyst", "staff"), ("Ingénieur", "staff"), ("", None), (None, None), (3.5, None),
])
def test_job_level_from_english_and_french_titles(title: object, level: str | None) -> None:
    assert job_level(title) == level


def test_a_varied_lookup_becomes_a_presence_feature() -> None:
    n = 60
    frame = pd.DataFrame({
        "lead_id": [f"l{i}" for i in range(n)],
        "parent_account_id": [f"a{i}" if i % 3 else None for i in range(n)],
        "jobtitle": ["CFO", "Analyst", "IT Manager"] * 20,
        "won": [i % 2 for i in range(n)],
    })
    raw = discover(frame, target="won", id_column="lead_id")
    assert raw.dropped["parent_account_id"].startswith("id-like")
    assert presence_lookups(raw) == ("parent_account_id",)
    out = engineer(frame, now=pd.Timestamp("2026-01-01", tz="UTC"), lookups=presence_lookups(raw))
    assert out["eng_has_parent_account_id"].tolist()[:4] == ["no", "yes", "yes", "no"]
    assert out["eng_job_level"].tolist()[:3] == ["executive", "staff", "manager"]


def test_a_nearly_constant_column_is_dropped_with_its_reason() -> None:
    n = 400
    frame = pd.DataFrame({
        "lead_id": [f"l{i}" for i in range(n)],
        "planned": [i == 7 for i in range(n)],  # one record of 400 differs
        "source": ["Web", "Fair"] * (n // 2),
        "won": [i % 2 for i in range(n)],
    })
    features = discover(frame, target="won", id_column="lead_id")
    assert "planned" not in features.columns and features.dropped["planned"].startswith("nearly constant: only 1")
    assert "source" in features.columns
    # With twenty records one differing value is still too little, two are kept.
    small = frame.head(20).assign(planned=[i in (3, 11) for i in range(20)])
    assert "planned" in discover(small, target="won", id_column="lead_id").columns
