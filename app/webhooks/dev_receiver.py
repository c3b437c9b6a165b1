"""The development webhook receiver: what the worker POSTed, signatures checked, in a browser."""

from __future__ import annotations

import json
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user, login_required
from sqlalchemy import select

from app.core.database import utcnow
from app.core.web.dev_access import refuse_other_machines
from app.extensions import csrf, db
from app.projects.models import ProjectMember
from app.webhooks.models import WebhookDelivery, WebhookSubscription
from app.webhooks.signing import SIGNATURE_HEADER, verify

bp = Blueprint("dev_webhooks", __name__, url_prefix="/dev/webhooks")
bp.before_request(refuse_other_machines)
KEEP = 200


def inbox_file() -> Path:
    return Path(current_app.instance_path) / "dev-webhooks.jsonl"


def secret_for(event_id: str) -> str | None:
    return db.session.scalar(
        select(WebhookSubscription.secret)
        .join(WebhookDelivery, WebhookDelivery.subscription_id == WebhookSubscription.id)
        .where(WebhookDelivery.event_id == event_id)
        .limit(1)
    )


@bp.route("/receive", methods=["POST"])
@csrf.exempt
def receive() -> tuple[str, int]:
    """Accept a delivery as a real receiver would, and check its signature by the recipe."""
    body = request.get_data()
    secret = secret_for(request.headers.get("X-Tickler-Delivery", ""))
    entry = {
        "received_at": utcnow().isoformat(),
        "event": request.headers.get("X-Tickler-Event", ""),
        "delivery": request.headers.get("X-Tickler-Delivery", ""),
        "signature_ok": bool(
            secret
            and verify(secret, request.headers.get(SIGNATURE_HEADER, ""), body, int(time.time()))
        ),
        "body": body.decode("utf-8", "replace")[:20000],
    }
    path = inbox_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as inbox:
        inbox.write(json.dumps(entry) + "\n")
    return "ok", 200


def received() -> list[dict[str, Any]]:
    path = inbox_file()
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()[-KEEP:]
    entries = [json.loads(line) for line in reversed(lines)]
    for entry in entries:
        entry["received_at"] = datetime.fromisoformat(entry["received_at"])
        try:
            entry["pretty"] = json.dumps(json.loads(entry["body"]), indent=2)
        except ValueError:
            entry["pretty"] = entry["body"]
    return entries


def event_ids_seen_by(user_id: int, event_ids: set[str]) -> set[str]:
    """Of these deliveries, those of projects the person belongs to (one query)."""
    if not event_ids:
        return set()
    return set(
        db.session.scalars(
            select(WebhookDelivery.event_id)
            .join(WebhookSubscription, WebhookDelivery.subscription_id == WebhookSubscription.id)
            .join(ProjectMember, ProjectMember.project_id == WebhookSubscription.project_id)
            .where(ProjectMember.user_id == user_id, WebhookDelivery.event_id.in_(event_ids))
        )
    )


@bp.route("/")
@login_required
def index() -> str:
    """What arrived for the viewer's projects; other teams' payloads stay theirs."""
    entries = received()
    mine = event_ids_seen_by(current_user.id, {entry["delivery"] for entry in entries})
    return render_template(
        "dev_webhooks/index.html",
        entries=[entry for entry in entries if entry["delivery"] in mine],
        receive_url=current_app.config["APP_BASE_URL"].rstrip("/") + "/dev/webhooks/receive",
    )
