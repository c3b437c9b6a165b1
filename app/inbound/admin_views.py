"""Inbound mail's pages: Admin › Inbound mail, what came in and what became of it."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, current_app, render_template, request
from sqlalchemy import func, select

from app import task_catalog as catalog
from app.core.database import DbSession
from app.core.paging import PageLinks, page_within, parse_page
from app.extensions import db
from app.inbound.addresses import inbound_enabled
from app.inbound.models import InboundMessage
from app.inbound.poll import describe_transports
from app.operations.admin_views import admin_required
from app.operations.models import TaskRun

bp = Blueprint("inbound_admin", __name__, url_prefix="/admin/inbound")
PER_PAGE = 50


@dataclass(frozen=True)
class InboundPage(PageLinks):
    rows: list[InboundMessage]
    page: int
    pages: int
    total: int


def inbound_page(session: DbSession, page: int) -> InboundPage:
    """The ledger newest first, one page of it: two statements whatever the page holds."""
    total = int(session.scalar(select(func.count()).select_from(InboundMessage)) or 0)
    page, pages = page_within(page, total, PER_PAGE)
    rows = session.scalars(
        select(InboundMessage)
        .order_by(InboundMessage.received_at.desc(), InboundMessage.id.desc())
        .offset((page - 1) * PER_PAGE)
        .limit(PER_PAGE)
    ).all()
    return InboundPage(list(rows), page, pages, total)


def last_poll(session: DbSession) -> TaskRun | None:
    """The newest run of the poll job (beat's or `flask inbound poll`'s)."""
    return session.scalar(
        select(TaskRun)
        .where(TaskRun.name == catalog.POLL_INBOUND_MAIL.name, TaskRun.started_at.is_not(None))
        .order_by(TaskRun.started_at.desc())
        .limit(1)
    )


@bp.route("/")
@admin_required
def index() -> str:
    config = current_app.config
    return render_template(
        "inbound/admin.html",
        address=config.get("INBOUND_ADDRESS") if inbound_enabled(config) else None,
        transports=describe_transports(config),
        last_poll=last_poll(db.session),
        page=inbound_page(db.session, parse_page(request.args.get("page"))),
    )
