"""HTTP triggers: start a run, read the latest run, health check."""

from __future__ import annotations

import json
import logging

import azure.functions as func

from connector.errors import ConfigurationError, OsiError, RunInProgressError
from connector.pipeline import service
from functions.config import settings

log = logging.getLogger(__name__)

bp = func.Blueprint()


def _json(body: object, status: int = 200) -> func.HttpResponse:
    return func.HttpResponse(json.dumps(body, sort_keys=True), status_code=status, mimetype="application/json")


RETRAINABLE = frozenset({"lead", "opportunity"})


def _retrain(req: func.HttpRequest) -> frozenset[str]:
    """The entities ``?retrain=lead,opportunity`` asks to retrain (``all`` for both).

    Raises:
        ValueError: an unknown entity is named.
    """
    raw = req.params.get("retrain") or ""
    asked = {part.strip().lower() for part in raw.split(",") if part.strip()}
    if "all" in asked:
        return RETRAINABLE
    unknown = asked - RETRAINABLE
    if unknown:
        raise ValueError(f"retrain accepts lead, opportunity or all, not {', '.join(sorted(unknown))[:80]}")
    return frozenset(asked)


@bp.route(route="runs", methods=["POST"], auth_level=func.AuthLevel.FUNCTION)
def start_run(req: func.HttpRequest) -> func.HttpResponse:
    """Run a sync now and answer with its summary; 409 while another run holds the lease.

    ``?retrain=lead,opportunity`` (or ``all``) retrains those scoring models inside the run, which
    then replace the live ones under the publish rule (400 for anything else).
    """
    try:
        retrain = _retrain(req)
    except ValueError as exc:
        return _json({"error": "bad_request", "message": str(exc)}, 400)
    try:
        summary = service.run(settings(), trigger="http", retrain=retrain)
    except RunInProgressError as exc:
        return _json({"error": "run_in_progress", "message": str(exc)}, 409)
    except ConfigurationError as exc:
        return _json({"error": "configuration", "problems": exc.problems}, 500)
    except OsiError as exc:
        log.warning("sync run failed: %s", exc)
        return _json({"error": type(exc).__name__, "message": str(exc)}, 502)
    return _json(summary.as_dict(), 200 if summary.status != "Failed" else 502)


@bp.route(route="runs/latest", methods=["GET"], auth_level=func.AuthLevel.FUNCTION)
def latest_run(req: func.HttpRequest) -> func.HttpResponse:
    """The summary of the last finished run; 404 before the first."""
    try:
        latest = service.latest_run(settings())
    except ConfigurationError as exc:
        return _json({"error": "configuration", "problems": exc.problems}, 500)
    return _json(latest) if latest else _json({"error": "no_run_yet"}, 404)


@bp.route(route="health", methods=["GET"], auth_level=func.AuthLevel.ANONYMOUS)
def health(req: func.HttpRequest) -> func.HttpResponse:
    """Liveness plus whether the app settings are valid (problems named, no values shown)."""
    try:
        settings()
    except ConfigurationError as exc:
        return _json({"status": "misconfigured", "problems": exc.problems}, 503)
    return _json({"status": "ok"})
