"""Mail to a project's address: a member's email becomes a task (quick-add first line, listed
attachments); anyone else's is refused without writing anything."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid

from sqlalchemy import select

from app.extensions import db
from app.inbound.addresses import project_address
from app.inbound.models import AnswerStatus, InboundMessage, InboundOutcome, ProjectInboundAddress
from app.tasklist.models import Task
from tests.inbound.conftest import handle

TOKEN = "abcdefghij0123456789"


def turn_on(app, project: int, owner: int) -> str:
    with app.app_context():
        db.session.add(ProjectInboundAddress(project_id=project, token=TOKEN, created_by_id=owner))
        db.session.commit()
        return project_address(app.config, TOKEN)


def mail(sender: str, to: str, subject: str, body: str, attach: bool = False) -> bytes:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = sender, to, subject
    message["Message-ID"] = make_msgid(domain="mail.example.org")
    message.set_content(body)
    if attach:
        message.add_attachment(b"%PDF" * 30_000, "application", "pdf", filename="report.pdf")
        message.add_attachment(b"MZ" * 10, "application", "octet-stream", filename="run.exe")
    return message.as_bytes()


def tasks(app) -> list[Task]:
    with app.app_context():
        found = list(db.session.scalars(select(Task).order_by(Task.id)))
        db.session.expunge_all()
        return found


def test_a_members_email_becomes_a_task_with_its_quick_add_line(inbound_app, team, answers):
    to = turn_on(inbound_app, team["project"], team["ann"])
    body = "2026-12-20 @bob\nThe shed needs two coats.\n\n-- \nAnn Lee\n"
    raw = mail("Ann <ann@example.com>", to, "Fwd: Buy paint", body, attach=True)
    handled = handle(inbound_app, raw)
    assert handled.outcome == InboundOutcome.CREATED
    task = tasks(inbound_app)[-1]
    assert task.title == "Buy paint"
    assert task.creator_id == team["ann"] and task.assignee_id == team["bob"]
    assert task.due_at is not None and task.due_at.date().isoformat() == "2026-12-20"
    assert task.description.startswith("The shed needs two coats.")
    assert "2026-12-20 @bob" not in task.description
    assert "Attachments (not stored): report.pdf (117 KB), run.exe (20 bytes)" in task.description
    with inbound_app.app_context():
        row = db.session.scalars(select(InboundMessage)).one()
        assert (row.task_id, row.user_id) == (task.id, team["ann"])


def test_a_plain_first_line_stays_in_the_description(inbound_app, team, answers):
    to = turn_on(inbound_app, team["project"], team["ann"])
    handle(inbound_app, mail("bob@example.com", to, "", "Order more brushes\nFrom the shop."))
    task = tasks(inbound_app)[-1]
    assert task.title == "Order more brushes" and task.assignee_id is None
    assert task.description.startswith("Order more brushes")


def test_a_stranger_is_refused_silently_and_writes_nothing(inbound_app, team, answers, smtp):
    to = turn_on(inbound_app, team["project"], team["ann"])
    before = len(tasks(inbound_app))
    handled = handle(inbound_app, mail("eve@example.org", to, "Spam", "Buy now"))
    assert handled.outcome == InboundOutcome.REFUSED
    assert len(tasks(inbound_app)) == before and answers.queued == []


def test_an_account_outside_the_project_is_told_why(inbound_app, team, answers, smtp, make):
    make.user(email="carl@example.com")
    to = turn_on(inbound_app, team["project"], team["ann"])
    handle(inbound_app, mail("carl@example.com", to, "Idea", "Paint it blue"))
    assert answers.send_all() == 1
    [answer] = smtp.wait_for(1)
    assert "Only members of the project" in answer.get_body(("plain",)).get_content()


def test_an_old_project_address_finds_nothing(inbound_app, team, answers):
    turn_on(inbound_app, team["project"], team["ann"])
    with inbound_app.app_context():
        old = project_address(inbound_app.config, "zzzzzzzzzzzzzzzzzzzz")
    handled = handle(inbound_app, mail("ann@example.com", old, "Idea", "Paint it blue"))
    assert handled.outcome == InboundOutcome.REFUSED
    with inbound_app.app_context():
        row = db.session.scalars(select(InboundMessage)).one()
        assert row.answer_status == AnswerStatus.PENDING and "not in use" in row.detail


def test_mailing_in_costs_the_same_queries_however_many_members(
    inbound_app, team, answers, make, count_queries
):
    from app.projects.models import ProjectMember

    to = turn_on(inbound_app, team["project"], team["ann"])
    counts = []
    for extra in (0, 8):
        with inbound_app.app_context():
            for _ in range(extra):
                db.session.add(ProjectMember(project_id=team["project"], user_id=make.user()))
            db.session.commit()
        with count_queries() as statements:
            handle(inbound_app, mail("ann@example.com", to, f"Task {extra}", "friday @bob\nText"))
        counts.append(len(statements))
    assert counts[0] == counts[1] and counts[0] <= 25
    assert [task.assignee_id for task in tasks(inbound_app)[-2:]] == [team["bob"]] * 2
