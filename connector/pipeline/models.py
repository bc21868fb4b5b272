"""Where trained scoring models live between runs: the run's state store, as skops artifacts.

Artifacts are made and read by :mod:`connector.insights.scoring.artifacts` (no pickle, an explicit
list of trusted types, the registry's checksum) and kept as bytes in the state store (a local folder
or the blob container) under ``models/``, never loaded from anywhere else.
"""

from __future__ import annotations

import hashlib
import hmac

from connector.errors import InsightError
from connector.insights.scoring.artifacts import artifact_name, dumps, loads
from connector.insights.scoring.trained import TrainedModel
from connector.sync.state import StateStore

PREFIX = "models/"


def _plain(name: str) -> str:
    if not name or "/" in name or "\\" in name or name.startswith("."):
        raise InsightError(f"artifact name {name[:80]!r} is not a plain file name")
    return PREFIX + name


class ModelStore:
    """Save, load and delete scoring models by artifact name and checksum."""

    def __init__(self, state: StateStore) -> None:
        self._state = state

    def save(self, model: TrainedModel, name: str | None = None) -> tuple[str, str]:
        """Store ``model`` (under ``name``, default from the model); return its artifact name and SHA-256.

        Raises:
            InsightError: ``name`` is not a plain file name, or the model holds an untrusted type.
        """
        name = name or artifact_name(model)
        data = dumps(model)
        self._state.write(_plain(name), data)
        return name, hashlib.sha256(data).hexdigest()

    def load(self, name: str, sha256: str) -> TrainedModel | None:
        """The stored model, or ``None`` when it is not there (the caller retrains).

        Raises:
            InsightError: the bytes do not match the recorded checksum, are not a skops artifact of
                trusted types, or do not hold a model of the current format.
        """
        data = self._state.read(_plain(name))
        if data is None:
            return None
        if not hmac.compare_digest(hashlib.sha256(data).hexdigest(), (sha256 or "").lower()):
            raise InsightError(f"the model artifact {name} does not match its recorded checksum; refusing to load")
        return loads(data, name)

    def delete(self, name: str) -> None:
        """Remove a stored artifact (nothing happens when it is already gone).

        Raises:
            InsightError: ``name`` is not a plain file name.
        """
        self._state.delete(_plain(name))
