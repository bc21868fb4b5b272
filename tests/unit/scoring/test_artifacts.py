from __future__ import annotations

import dataclasses
import hashlib
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


def test_a_tampered_artifact_is_refused_before_it_is_read(tmp_path: Path, cold_model: TrainedModel) -> None:
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
    os.symlink(path, trusted / "link.skops")
    with pytest.raises(InsightError, match="plain file name"):
        load_model(trusted, "link.skops", digest)
    with pytest.raises(InsightError, match="cannot read"):
        load_model(trusted, "missing.skops", digest)


def test_a_model_saved_in_an_older_format_is_refused_so_it_is_retrained(tmp_path: Path,
                                                                         cold_model: TrainedModel) -> None:
    old = dataclasses.replace(cold_model, model_format=1)
    path, digest = save_model(old, tmp_path)
    with pytest.raises(InsightError, match="model format 1"):
        load_model(tmp_path, path.name, digest)


class _Payload:
    """What an attacker stores: an object whose unpickling runs a command."""

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return (os.system, ("echo forged > /dev/null",))


def test_a_forged_pickle_with_a_matching_checksum_is_refused(tmp_path: Path) -> None:
    # Whoever can write the registry row can make its checksum match any bytes: the checksum does
    # not make an artifact safe, refusing pickle does.
    import joblib

    path = tmp_path / "lead-boosted-blend-v9.skops"
    joblib.dump(_Payload(), path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(InsightError, match="not a skops model file"):
        load_model(tmp_path, path.name, digest)


def test_a_forged_skops_file_naming_an_untrusted_type_is_refused(tmp_path: Path) -> None:
    import skops.io as sio

    path = tmp_path / "lead-boosted-blend-v9.skops"
    path.write_bytes(sio.dumps({"model": os.system}))
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with pytest.raises(InsightError, match="not trusted"):
        load_model(tmp_path, path.name, digest)


def test_a_foreign_object_of_trusted_types_is_not_a_model(tmp_path: Path) -> None:
    import skops.io as sio

    path = tmp_path / "x.skops"
    path.write_bytes(sio.dumps({"a": np.arange(3)}))
    with pytest.raises(InsightError, match="does not hold a scoring model"):
        load_model(tmp_path, path.name, hashlib.sha256(path.read_bytes()).hexdigest())
