"""Liveness, readiness and Prometheus metrics for load balancers and monitoring."""

from __future__ import annotations

import hmac

from flask import Blueprint, Response, current_app, jsonify, request

from app.extensions import csrf, db, limiter
from app.models import utcnow
from app.services import health, metrics
from app.services.broker_durability import broker_durability_warnings
from app.services.schedule_settings import last_beat_tick

bp = Blueprint("health", __name__)


@bp.route("/healthz")
@limiter.exempt
def healthz() -> Response:
    """The process answers: nothing else is checked, so a slow database never restarts it."""
    return jsonify({"status": "ok"})


@bp.route("/readyz")
@limiter.exempt
def readyz() -> tuple[Response, int]:
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
        body["warnings"] = broker_durability_warnings(celery, timeout)
    return jsonify(body), status


@bp.route("/metrics")
@limiter.exempt
@csrf.exempt
def metrics_page() -> Response | tuple[str, int]:
    token = current_app.config["METRICS_TOKEN"]
    # Compared in constant time, so the answer's timing does not leak the token bit by bit.
    given = request.headers.get("Authorization", "").encode()
    if token and not hmac.compare_digest(given, f"Bearer {token}".encode()):
        return "metrics need the bearer token set in METRICS_TOKEN\n", 401
    body = metrics.render(db.session, current_app.extensions["celery"])
    return Response(body, mimetype=metrics.CONTENT_TYPE)
