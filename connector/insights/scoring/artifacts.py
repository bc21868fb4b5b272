"""Saving and loading trained models without pickle: nothing read from storage can run code.

A checksum alone does not make an artifact safe: it is kept in ``osi_scoringmodel.osi_artifactsha256``,
a column the application user (and any admin) can write, so whoever can write that row and the
state store could have any pickle run in the function app. Models are therefore saved with
``skops`` (a zip of JSON and arrays, no pickle) and loaded only if every type named inside is on
:data:`TRUSTED_TYPES`, an explicit list of the scikit-learn, numpy and scoring classes a model is
made of. An artifact must also:

1. lie inside the trusted model directory (resolved, symlinks followed, no ``..`` escape);
2. have the SHA-256 recorded in the registry row when the model was trained (integrity: the row
   and the file belong together), compared in constant time before it is parsed;
3. hold a :class:`TrainedModel` of the current :data:`MODEL_FORMAT`.

Anything else is refused with :class:`~connector.errors.InsightError`; the caller reports it and
trains a new model. This is the only module of the scoring package that touches files.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import tempfile
import zipfile
from io import BytesIO
from pathlib import Path

import skops.io as sio
from skops.io.exceptions import UntrustedTypesFoundException

from connector.errors import InsightError
from connector.insights.scoring.trained import MODEL_FORMAT, TrainedModel

TRUSTED_TYPES: tuple[str, ...] = (
    "builtins.frozenset",
    "connector.insights.scoring.blend.BlendedClassifier",
    "connector.insights.scoring.estimators.NaiveBayesScorer",
    "connector.insights.scoring.estimators.QuantileBinner",
    "connector.insights.scoring.explain.Evidence",
    "connector.insights.scoring.features.FeatureSet",
    "connector.insights.scoring.grades.GradeCutoffs",
    "connector.insights.scoring.models.signed_log1p",
    "connector.insights.scoring.trained.Preparation",
    "connector.insights.scoring.trained.TrainedModel",
    "connector.insights.scoring.wording.Vocabulary",
    "connector.insights.scoring.wording.Wording",
    "datetime.datetime",
    "datetime.timedelta",
    "datetime.timezone",
    "functools.partial",
    "numpy.dtype",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn.utils.validation.check_array",
)
"""Types a model artifact may name beyond those skops trusts by default (scikit-learn estimators,
numpy arrays, builtins): each is plain data or a function of ours or of scikit-learn, none runs
anything on load. A new class in a model means a new entry here and a :data:`MODEL_FORMAT` bump."""

SUFFIX = ".skops"


def _inside(directory: Path, name: str) -> Path:
    root = directory.resolve()
    path = (root / name).resolve()
    if path.parent != root or not name or "/" in name or "\\" in name:
        raise InsightError(f"artifact name {name[:80]!r} is not a plain file name inside the model directory")
    return path


def artifact_name(model: TrainedModel) -> str:
    """The file name of a model's artifact (entity, kind, version)."""
    return f"{model.model_version}{SUFFIX}"


def dumps(model: TrainedModel) -> bytes:
    """The artifact bytes of a model (skops).

    Raises:
        InsightError: the model holds a type outside :data:`TRUSTED_TYPES` (it could never be loaded).
    """
    data: bytes = sio.dumps(model)
    unknown = sorted(set(sio.get_untrusted_types(data=data)) - set(TRUSTED_TYPES))
    if unknown:
        raise InsightError(f"the model holds types that are not on the trusted list: {', '.join(unknown[:5])}")
    return data


def loads(data: bytes, name: str = "artifact") -> TrainedModel:
    """A model from artifact bytes, refusing anything but a skops file of trusted types holding a model.

    Raises:
        InsightError: not a skops artifact, an untrusted type, not a model, or an older model format.
    """
    if not zipfile.is_zipfile(BytesIO(data)):
        raise InsightError(f"the artifact {name} is not a skops model file (pickles are never loaded)")
    try:
        model = sio.loads(data, trusted=list(TRUSTED_TYPES))
    except UntrustedTypesFoundException as exc:
        raise InsightError(f"the artifact {name} names types that are not trusted; refusing to load it") from exc
    except (ValueError, KeyError, TypeError, AttributeError, ImportError, zipfile.BadZipFile) as exc:
        raise InsightError(f"the artifact {name} cannot be read as a model ({type(exc).__name__})") from exc
    if not isinstance(model, TrainedModel):
        raise InsightError(f"the artifact {name} does not hold a scoring model")
    if getattr(model, "model_format", 1) != MODEL_FORMAT:
        raise InsightError(f"the artifact {name} was saved in model format "
                           f"{getattr(model, 'model_format', 1)}, this version needs {MODEL_FORMAT}; retrain it")
    return model


def save_model(model: TrainedModel, directory: Path, name: str | None = None) -> tuple[Path, str]:
    """Write the model atomically into ``directory``; return its path and SHA-256.

    Raises:
        InsightError: the name escapes the directory, the model holds an untrusted type, or the file
            cannot be written.
    """
    directory.mkdir(parents=True, exist_ok=True)
    path = _inside(directory, name or artifact_name(model))
    data = dumps(model)
    digest = hashlib.sha256(data).hexdigest()
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=SUFFIX)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        raise InsightError(f"cannot write the model artifact {path.name}: {exc.strerror}") from exc
    return path, digest


def load_model(directory: Path, name: str, expected_sha256: str) -> TrainedModel:
    """Load a model saved by :func:`save_model`, after checking location, checksum and types.

    Args:
        directory: the trusted model directory.
        name: the artifact's file name (no path).
        expected_sha256: the checksum recorded when it was saved.

    Raises:
        InsightError: the name escapes the directory, the file is missing, its checksum differs, or
            :func:`loads` refuses it.
    """
    path = _inside(directory, name)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InsightError(f"cannot read the model artifact {path.name}: {exc.strerror}") from exc
    actual = hashlib.sha256(data).hexdigest()
    if not hmac.compare_digest(actual, (expected_sha256 or "").lower()):
        raise InsightError(f"the model artifact {path.name} does not match its recorded checksum; refusing to load")
    return loads(data, path.name)
