from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from connector.errors import InsightError
from connector.insights.scoring import TrainedModel
from connector.insights.scoring.artifacts import artifact_name, load_model, save_model
from tests.unit.scoring.conftest import NOW


def test_save_and_load_round_trip(tmp_path: Path, boosted_model: TrainedModel, leads: pd.DataFrame) -> None:
    path, digest = save_model(boosted_model, tmp_path)
    assert path.name == artifact_name(boosted_model) and len(digest) == 64
    loaded = load_model(tmp_path, path.name, digest)
    x = boosted_model.prepare(leads.head(50), now=NOW)
    np.testing.assert_allclose(loaded.predict(x), boosted_model.predict(x))


def test_a_tampered_artifact_is_refused_before_unpickling(tmp_path: Path, cold_model: TrainedModel) -> None:
    path, digest = save_model(cold_model, tmp_path)
    path.write_bytes(path.read_bytes() + b"\0")
    with pytest.raises(InsightError, match="checksum"):
        load_model(tmp_path, path.name, digest)
    with pytest.raises(InsightError, match="checksum"):
        load_model(tmp_path, path.name, "")


def test_only_plain_names_inside_the_trusted_directory(tmp_path: Path, cold_model: TrainedModel) -> None:
    trusted = tmp_path / "models"
    path, digest = save_model(cold_model, tmp_path / "elsewhere")
    trusted.mkdir()
    for name in ("../elsewhere/" + path.name, "/etc/passwd", ""):
        with pytest.raises(InsightError, match="plain file name"):
            load_model(trusted, name, digest)
    os.symlink(path, trusted / "link.joblib")
    with pytest.raises(InsightError, match="plain file name"):
        load_model(trusted, "link.joblib", digest)
    with pytest.raises(InsightError, match="cannot read"):
        load_model(trusted, "missing.joblib", digest)


def test_a_model_saved_in_an_older_format_is_refused_so_it_is_retrained(tmp_path: Path,
                                                                         cold_model: TrainedModel) -> None:
    old = dataclasses.replace(cold_model, model_format=1)
    path, digest = save_model(old, tmp_path)
    with pytest.raises(InsightError, match="model format 1"):
        load_model(tmp_path, path.name, digest)
