"""Where trained scoring models live between runs: the run's state store, checksum-verified.

Artifacts are written through :mod:`connector.insights.scoring.artifacts` (which checks names and
SHA-256) into a private temporary directory, and kept as bytes in the state store (a local folder
or the blob container), never loaded from anywhere else.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from connector.insights.scoring.artifacts import artifact_name, load_model, save_model
from connector.insights.scoring.trained import TrainedModel
from connector.sync.state import StateStore

PREFIX = "models/"


class ModelStore:
    """Save and load scoring models by artifact name and checksum."""

    def __init__(self, state: StateStore) -> None:
        self._state = state

    def save(self, model: TrainedModel, name: str | None = None) -> tuple[str, str]:
        """Store ``model`` (under ``name``, default from the model); return its artifact name and SHA-256.

        Raises:
            InsightError: the artifact could not be written, or ``name`` is not a plain file name.
        """
        name = name or artifact_name(model)
        with tempfile.TemporaryDirectory(prefix="osi-model-") as tmp:
            path, digest = save_model(model, Path(tmp), name)
            self._state.write(PREFIX + name, path.read_bytes())
        return name, digest

    def load(self, name: str, sha256: str) -> TrainedModel | None:
        """The stored model, or ``None`` when it is not there (the caller retrains).

        Raises:
            InsightError: the bytes do not match the recorded checksum, or are not a model.
        """
        data = self._state.read(PREFIX + name)
        if data is None:
            return None
        with tempfile.TemporaryDirectory(prefix="osi-model-") as tmp:
            (Path(tmp) / name).write_bytes(data)
            return load_model(Path(tmp), name, sha256)
