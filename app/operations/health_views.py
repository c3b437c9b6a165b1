"""Liveness, readiness and Prometheus metrics for load balancers and monitoring."""

from __future__ import annotations

import hmac

from flask import Blueprint, Response, current_app, jsonify, request

from app.core.database import utcnow
from app.core.i18n import in_language
from app.extensions import csrf, db, limiter
from app.operations import health, metrics
from app.operations.broker_durability import broker_durability_warnings
from app.operations.schedule_settings import last_beat_tick

bp = Blueprint("health", __name__)


@bp.route("/healthz")
@limiter.exempt
def healthz() -> Response:
    """The process answers: nothing else is checked, so a slow database never restarts it."""
    return jsonify({"status": "ok"})


@bp.route("/readyz")
@limiter.exempt
def readyz() -> tuple[Response, int]:
    """Ready or not for anyone (load balancers); each check's detail with the metrics token.

    Answers are shared for READYZ_CACHE_SECONDS, so callers in a loop cost one check."""
    cache = current_app.extensions.setdefault("readyz_cache", health.CachedAnswer())
    body, status = cache.get(run_readiness_checks, current_app.config["READYZ_CACHE_SECONDS"])
    if not holds_metrics_token():
        body = health.public_body(body)
    return jsonify(body), status


def holds_metrics_token() -> bool:
    """The request carries `Authorization: Bearer METRICS_TOKEN`; with no token set (only
    outside production, which refuses to start without one), everyone does."""
    token = current_app.config["METRICS_TOKEN"]
    # Compared in constant time, so the answer's timing does not leak the token bit by bit.
    given = request.headers.get("Authorization", "").encode()
    return not token or hmac.compare_digest(given, f"Bearer {token}".encode())


def run_readiness_checks() -> tuple[dict, int]:
    config = current_app.config
    celery = current_app.extensions["celery"]
    timeout = config["READYZ_TIMEOUT_SECONDS"]
    checks = {
        "database": health.database_check(db.session),
        "broker": health.broker_check(celery, timeout),
    }
    checks["worker"] = (
        health.worker_check(celery, timeout)
        if checks["broker"].ok
        else health.Check(False, 0, "broker unreachable")
    )
    checks["beat"] = health.beat_check(
        lambda: last_beat_tick(db.session), utcnow(), config["READYZ_BEAT_MAX_AGE_SECONDS"]
    )
    body, status = health.readiness(checks)
    if checks["broker"].ok:
        # Warnings, not failures: a broker that may lose work still serves this instance.
        # In English, as the rest of the JSON monitoring reads, whoever asks.
        with in_language("en"):
            body["warnings"] = broker_durability_warnings(celery, timeout)
    return body, status


@bp.route("/metrics")
@limiter.exempt
@csrf.exempt
def metrics_page() -> Response | tuple[str, int]:
    if not holds_metrics_token():
        return "metrics need the bearer token set in METRICS_TOKEN\n", 401
    body = metrics.render(db.session, current_app.extensions["celery"])
    return Response(body, mimetype=metrics.CONTENT_TYPE)
