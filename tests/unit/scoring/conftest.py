"""Shared fixtures of the scoring tests: the fixture CSV of closed leads and a fixed clock."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from connector.insights.scoring import Columns, ScoringEstimator, TrainedModel

DATA = Path(__file__).resolve().parents[2] / "data" / "scoring"
NOW = pd.Timestamp("2026-01-01T00:00:00Z")


def read_leads() -> pd.DataFrame:
    """The 400 fixture leads with parsed dates."""
    frame = pd.read_csv(DATA / "leads_small.csv")
    for col in ("createdon", "closedon"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    return frame


LEAD_COLUMNS = Columns(id="leadid", time="closedon", created="createdon", closed="closedon")


def fit_leads(frame: pd.DataFrame, **params: object) -> TrainedModel:
    """The lead model of the fixture leads (``statecode`` 1 is qualified), with extra estimator parameters."""
    params = {"entity": "lead", "columns": LEAD_COLUMNS, **params}
    y = (frame["statecode"] == 1).astype(int).to_numpy()
    return ScoringEstimator(**params).fit(frame.drop(columns=["statecode"]), y, now=NOW).model_  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def leads() -> pd.DataFrame:
    return read_leads()


@pytest.fixture(scope="session")
def boosted_model(leads: pd.DataFrame) -> TrainedModel:
    return fit_leads(leads, drop=("salesnote",))


@pytest.fixture(scope="session")
def cold_model(leads: pd.DataFrame) -> TrainedModel:
    small = pd.concat([leads[leads.statecode == 1].head(12), leads[leads.statecode == 2].head(12)])
    return fit_leads(small.sort_values("closedon"), drop=("salesnote",))
