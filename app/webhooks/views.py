"""Webhook pages for project owners: subscriptions, their delivery log, redeliver and ping."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from app.core.database import utcnow
from app.core.errors import RuleViolation
from app.core.paging import parse_page
from app.core.web.forms import add_error, entered
from app.extensions import db
from app.projects.access import load_owned_project
from app.webhooks import delivery as delivery_rules
from app.webhooks import service as webhook_rules
from app.webhooks.forms import WebhookForm
from app.webhooks.models import WebhookDelivery, WebhookSubscription, delivery_count
from app.webhooks.url_safety import parse_allowed_hosts

bp = Blueprint("webhooks", __name__)
LOG_PAGE_SIZE = 25


def allowed_hosts() -> frozenset[str]:
    return parse_allowed_hosts(current_app.config["WEBHOOK_ALLOWED_HOSTS"])


def load_owned_subscription(subscription_id: int) -> WebhookSubscription:
    """The webhook, for its project's owners; 404 outside the project, 403 for members."""
    subscription = webhook_rules.get_subscription(db.session, subscription_id)
    load_owned_project(subscription.project_id)
    return subscription


@bp.route("/projects/<int:project_id>/webhooks", methods=["GET", "POST"])
@login_required
def index(project_id: int) -> str | Response:
    project = load_owned_project(project_id)
    form = WebhookForm()
    if form.validate_on_submit():
        try:
            subscription = webhook_rules.create_subscription(
                db.session,
                project=project,
                creator=current_user,
                url=entered(form.url),
                events=form.events.data or [],
                allowed_hosts=allowed_hosts(),
            )
        except RuleViolation as error:
            db.session.rollback()
            add_error(form.url, str(error))
        else:
            db.session.commit()
            flash(gettext("Webhook added. Use its secret to verify our signatures."), "success")
            return redirect(url_for("webhooks.detail", subscription_id=subscription.id))
    subscriptions = webhook_rules.subscriptions_of(db.session, project.id)
    counts = webhook_rules.delivery_counts(db.session, [s.id for s in subscriptions])
    return render_template(
        "webhooks/index.html",
        project=project,
        form=form,
        subscriptions=subscriptions,
        counts=counts,
        delivery_count=delivery_count,
    )


@bp.route("/webhooks/<int:subscription_id>", methods=["GET", "POST"])
@login_required
def detail(subscription_id: int) -> str | Response:
    subscription = load_owned_subscription(subscription_id)
    form = WebhookForm(obj=subscription if request.method == "GET" else None)
    if request.method == "GET":
        form.events.data = subscription.event_list
    if form.validate_on_submit():
        try:
            webhook_rules.update_subscription(
                subscription,
                url=entered(form.url),
                events=form.events.data or [],
                active=form.active.data,
                allowed_hosts=allowed_hosts(),
            )
        except RuleViolation as error:
            db.session.rollback()
            add_error(form.url, str(error))
        else:
            db.session.commit()
            flash(gettext("Webhook saved."), "success")
            return redirect(url_for("webhooks.detail", subscription_id=subscription.id))
    page = parse_page(request.args.get("page"))
    deliveries, has_next = delivery_rules.deliveries_page(
        db.session, subscription.id, page, LOG_PAGE_SIZE
    )
    return render_template(
        "webhooks/detail.html",
        subscription=subscription,
        project=subscription.project,
        form=form,
        deliveries=deliveries,
        page=page,
        has_next=has_next,
    )


@bp.route("/webhooks/<int:subscription_id>/ping", methods=["POST"])
@login_required
def ping(subscription_id: int) -> Response:
    subscription = load_owned_subscription(subscription_id)
    webhook_rules.record_ping(db.session, subscription, utcnow())
    db.session.commit()
    flash(gettext("Test ping queued; it shows in the log below when it has been sent."), "info")
    return redirect(url_for("webhooks.detail", subscription_id=subscription.id))


@bp.route(
    "/webhooks/<int:subscription_id>/deliveries/<int:delivery_id>/redeliver", methods=["POST"]
)
@login_required
def redeliver(subscription_id: int, delivery_id: int) -> Response:
    subscription = load_owned_subscription(subscription_id)
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.subscription_id != subscription.id:
        abort(404)
    webhook_rules.redeliver(db.session, delivery, utcnow())
    db.session.commit()
    flash(gettext("Delivery of %(event)s queued again.", event=delivery.event), "info")
    return redirect(url_for("webhooks.detail", subscription_id=subscription.id))


@bp.route("/webhooks/<int:subscription_id>/delete", methods=["POST"])
@login_required
def delete(subscription_id: int) -> Response:
    subscription = load_owned_subscription(subscription_id)
    project_id = subscription.project_id
    db.session.delete(subscription)
    db.session.commit()
    flash(gettext("Webhook deleted, with its delivery log."), "success")
    return redirect(url_for("webhooks.index", project_id=project_id))
