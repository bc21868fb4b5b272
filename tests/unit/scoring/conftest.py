"""Shared fixtures of the scoring tests: the fixture CSV of closed leads and a fixed clock."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from connector.insights.scoring import TrainedModel, train_model

DATA = Path(__file__).resolve().parents[2] / "data" / "scoring"
NOW = pd.Timestamp("2026-01-01T00:00:00Z")


def read_leads() -> pd.DataFrame:
    """The 400 fixture leads with parsed dates."""
    frame = pd.read_csv(DATA / "leads_small.csv")
    for col in ("createdon", "closedon"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    return frame


@pytest.fixture(scope="session")
def leads() -> pd.DataFrame:
    return read_leads()


@pytest.fixture(scope="session")
def boosted_model(leads: pd.DataFrame) -> TrainedModel:
    return train_model(leads, entity="lead", target="statecode", positive=1, now=NOW, time_column="closedon",
                       id_column="leadid", created_column="createdon", closed_column="closedon",
                       drop=["salesnote"])


@pytest.fixture(scope="session")
def cold_model(leads: pd.DataFrame) -> TrainedModel:
    small = pd.concat([leads[leads.statecode == 1].head(12), leads[leads.statecode == 2].head(12)])
    return train_model(small.sort_values("closedon"), entity="lead", target="statecode", positive=1, now=NOW,
                       time_column="closedon", id_column="leadid", created_column="createdon",
                       closed_column="closedon", drop=["salesnote"])
