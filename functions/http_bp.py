"""HTTP triggers: queue a run, read a run request or the latest run, health check.

None of them runs a sync or calls Dataverse: ``POST /api/runs`` queues a message and answers 202 at
once (Azure cuts HTTP responses at 230 s; a run takes minutes), the status calls read the state store.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

import azure.functions as func

from connector.errors import ConfigurationError, OsiError
from connector.pipeline import service
from functions.config import settings

log = logging.getLogger(__name__)

bp = func.Blueprint()

RETRAINABLE = frozenset({"lead", "opportunity"})


def _json(body: object, status: int = 200, headers: dict[str, str] | None = None) -> func.HttpResponse:
    return func.HttpResponse(json.dumps(body, sort_keys=True), status_code=status, mimetype="application/json",
                             headers=headers)


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
    """Queue a run; 202 with its status URL (``?retrain=lead,opportunity`` or ``all`` retrains those models)."""
    try:
        record = service.request_run(settings(), retrain=_retrain(req), now=datetime.now(UTC))
    except ValueError as exc:
        return _json({"error": "bad_request", "message": str(exc)}, 400)
    except ConfigurationError as exc:
        return _json({"error": "configuration", "problems": exc.problems}, 500)
    except OsiError as exc:
        log.warning("could not queue a run: %s", exc)
        return _json({"error": type(exc).__name__, "message": str(exc)}, 503)
    location = f"/api/runs/{record['request_id']}"
    return _json({**record, "status_url": location}, 202, {"Location": location, "Retry-After": "30"})


@bp.route(route="runs/latest", methods=["GET"], auth_level=func.AuthLevel.FUNCTION)
def latest_run(req: func.HttpRequest) -> func.HttpResponse:
    """The summary of the last finished run; 404 before the first."""
    try:
        latest = service.latest_run(settings())
    except ConfigurationError as exc:
        return _json({"error": "configuration", "problems": exc.problems}, 500)
    except OsiError as exc:
        return _json({"error": type(exc).__name__, "message": str(exc)}, 503)
    return _json(latest) if latest else _json({"error": "no_run_yet"}, 404)


@bp.route(route="runs/{request_id}", methods=["GET"], auth_level=func.AuthLevel.FUNCTION)
def run_status(req: func.HttpRequest) -> func.HttpResponse:
    """A queued run: Queued, Running, Waiting, then Succeeded / Partial / Failed (or Skipped); 404 if unknown."""
    try:
        record = service.run_request(settings(), req.route_params.get("request_id", ""))
    except ValueError:
        return _json({"error": "bad_request", "message": "not a run request id"}, 400)
    except ConfigurationError as exc:
        return _json({"error": "configuration", "problems": exc.problems}, 500)
    except OsiError as exc:
        return _json({"error": type(exc).__name__, "message": str(exc)}, 503)
    return _json(record) if record else _json({"error": "unknown_request"}, 404)


@bp.route(route="health", methods=["GET"], auth_level=func.AuthLevel.ANONYMOUS)
def health(req: func.HttpRequest) -> func.HttpResponse:
    """Liveness plus whether the app settings are valid (problems named, no values shown)."""
    try:
        settings()
    except ConfigurationError as exc:
        return _json({"status": "misconfigured", "problems": exc.problems}, 503)
    return _json({"status": "ok"})
