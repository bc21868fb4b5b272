"""Saving and loading trained models without "unpickle anything from anywhere" risk.

A model is a scikit-learn object graph; its only faithful serialisation is pickle (via joblib), and
unpickling runs code. So loading is allowed only when both hold:

1. the file lies inside the trusted model directory (resolved, symlinks followed, no ``..`` escape);
2. its SHA-256 equals the checksum recorded in the registry row (``osi_artifactsha256``) when the
   model was trained — compared in constant time *before* a single byte is unpickled.

This is the only module of the scoring package that touches files.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import tempfile
from pathlib import Path

import joblib

from connector.errors import InsightError
from connector.insights.scoring.trained import MODEL_FORMAT, TrainedModel


def _inside(directory: Path, name: str) -> Path:
    root = directory.resolve()
    path = (root / name).resolve()
    if path.parent != root or not name or "/" in name or "\\" in name:
        raise InsightError(f"artifact name {name[:80]!r} is not a plain file name inside the model directory")
    return path


def artifact_name(model: TrainedModel) -> str:
    """The file name of a model's artifact (entity, kind, version)."""
    return f"{model.model_version}.joblib"


def save_model(model: TrainedModel, directory: Path, name: str | None = None) -> tuple[Path, str]:
    """Write the model atomically into ``directory``; return its path and SHA-256.

    Raises:
        InsightError: the name escapes the directory, or the file cannot be written.
    """
    directory.mkdir(parents=True, exist_ok=True)
    path = _inside(directory, name or artifact_name(model))
    buffer = io.BytesIO()
    joblib.dump(model, buffer, compress=3)
    data = buffer.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".joblib")
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        raise InsightError(f"cannot write the model artifact {path.name}: {exc.strerror}") from exc
    return path, digest


def load_model(directory: Path, name: str, expected_sha256: str) -> TrainedModel:
    """Load a model saved by :func:`save_model`, after checking location and checksum.

    Args:
        directory: the trusted model directory.
        name: the artifact's file name (no path).
        expected_sha256: the checksum recorded when it was saved.

    Raises:
        InsightError: the name escapes the directory, the file is missing, its checksum differs, it
            does not hold a model, or the model was saved in an older format (the caller retrains).
    """
    path = _inside(directory, name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InsightError(f"cannot read the model artifact {path.name}: {exc.strerror}") from exc
    actual = hashlib.sha256(data).hexdigest()
    if not hmac.compare_digest(actual, (expected_sha256 or "").lower()):
        raise InsightError(f"the model artifact {path.name} does not match its recorded checksum; refusing to load")
    model = joblib.load(io.BytesIO(data))
    if not isinstance(model, TrainedModel):
        raise InsightError(f"the artifact {path.name} does not hold a scoring model")
    # A model pickled before a structural change unpickles without the newer fields; refuse it
    # here rather than fail later while scoring.
    if getattr(model, "model_format", 1) != MODEL_FORMAT:
        raise InsightError(f"the artifact {path.name} was saved in model format "
                           f"{getattr(model, 'model_format', 1)}, this version needs {MODEL_FORMAT}; retrain it")
    return model
