"""A reply to a task email becomes the person's comment, or completes the task when they chose
that; every refusal writes nothing and answers only where it cannot be backscatter."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from app.accounts.models import User
from app.comments.models import Comment
from app.extensions import db
from app.inbound.models import AnswerStatus, InboundMessage, InboundOutcome
from app.notifications.models import Notification
from app.projects.models import ProjectMember
from app.task_catalog import SEND_COMMENT_MENTION_NOTIFICATION
from app.tasklist.models import Task, TaskStatus
from tests.inbound.conftest import NOW, handle, plain, reply_to


def comments(app) -> list[tuple[int, str]]:
    with app.app_context():
        return [(c.author_id, c.body) for c in db.session.scalars(select(Comment))]


def ledger(app) -> list[InboundMessage]:
    with app.app_context():
        rows = list(db.session.scalars(select(InboundMessage).order_by(InboundMessage.id)))
        db.session.expunge_all()
        return rows


def test_a_reply_becomes_the_persons_comment_and_mentions_notify(inbound_app, team, answers):
    to = reply_to(inbound_app, team["ann"], team["task"])
    body = "Started it, @bob can you help?\n\nOn Mon, 7 Dec 2026 at 08:00, Tickler wrote:\n> old"
    handled = handle(inbound_app, plain("Ann Lee <ANN@example.com>", to, body))
    assert handled.outcome == InboundOutcome.COMMENTED
    assert comments(inbound_app) == [(team["ann"], "Started it, @bob can you help?")]
    [row] = ledger(inbound_app)
    assert (row.user_id, row.task_id, row.comment_id) == (team["ann"], team["task"], row.comment_id)
    assert row.comment_id is not None and row.answer_status == AnswerStatus.NONE
    assert answers.run(SEND_COMMENT_MENTION_NOTIFICATION.name) == 1
    with inbound_app.app_context():
        notified = db.session.scalars(select(Notification.user_id)).all()
    assert team["bob"] in notified
    assert answers.queued == []


def test_the_same_message_twice_is_handled_once(inbound_app, team, answers):
    raw = plain("ann@example.com", reply_to(inbound_app, team["ann"], team["task"]), "Twice?")
    assert not handle(inbound_app, raw).duplicate
    assert handle(inbound_app, raw).duplicate
    assert len(comments(inbound_app)) == 1 and len(ledger(inbound_app)) == 1


def refused(app, team, answers, raw, smtp, *, answered: bool) -> InboundMessage:
    handled = handle(app, raw)
    assert handled.outcome == InboundOutcome.REFUSED
    assert comments(app) == []
    with app.app_context():
        assert db.session.get(Task, team["task"]).status == TaskStatus.PENDING
    [row] = ledger(app)
    if answered:
        assert row.answer_status == AnswerStatus.PENDING
        assert answers.send_all() == 1
        [answer] = smtp.wait_for(1)
        assert answer["Auto-Submitted"] == "auto-replied"
        assert answer["Subject"].startswith("Re: ")
        assert answer["In-Reply-To"] == row.message_key
        assert answer["Message-ID"] == row.answer_message_id
        assert row.detail in " ".join(answer.get_body(("plain",)).get_content().split())
        assert ledger(app)[0].answer_status == AnswerStatus.SENT
    else:
        assert row.answer_status == AnswerStatus.NONE and answers.queued == []
        assert smtp.messages == []
    return row


def test_a_reply_from_another_address_is_refused_and_answered(inbound_app, team, answers, smtp):
    raw = plain("eve@example.org", reply_to(inbound_app, team["ann"], team["task"]), "Hi")
    row = refused(inbound_app, team, answers, raw, smtp, answered=True)
    assert "another address" in row.detail
    assert smtp.messages[0]["To"] == "eve@example.org"


def test_a_tampered_token_from_a_stranger_is_refused_silently(inbound_app, team, answers, smtp):
    to = reply_to(inbound_app, team["ann"], team["task"]).replace("r-", "r-1", 1)
    refused(inbound_app, team, answers, plain("eve@example.org", to, "Hi"), smtp, answered=False)


def test_a_tampered_token_from_an_account_is_answered(inbound_app, team, answers, smtp):
    to = reply_to(inbound_app, team["ann"], team["task"]).split("@")[0][:-1] + "z@example.com"
    refused(inbound_app, team, answers, plain("ann@example.com", to, "Hi"), smtp, answered=True)


def test_an_expired_token_is_refused(inbound_app, team, answers, smtp):
    old = (NOW - timedelta(days=181)).date()
    to = reply_to(inbound_app, team["ann"], team["task"], issued=old)
    row = refused(
        inbound_app, team, answers, plain("ann@example.com", to, "Hi"), smtp, answered=True
    )
    assert "expired" in row.detail


def test_a_former_member_is_refused(inbound_app, team, answers, smtp):
    with inbound_app.app_context():
        db.session.execute(
            ProjectMember.__table__.delete().where(ProjectMember.user_id == team["bob"])
        )
        db.session.commit()
    to = reply_to(inbound_app, team["bob"], team["task"])
    row = refused(
        inbound_app, team, answers, plain("bob@example.com", to, "Hi"), smtp, answered=True
    )
    assert "no longer a member" in row.detail


def test_a_reply_about_a_task_in_the_trash_is_refused(inbound_app, team, answers, smtp):
    with inbound_app.app_context():
        db.session.get(Task, team["task"]).deleted_at = NOW
        db.session.commit()
    to = reply_to(inbound_app, team["ann"], team["task"])
    row = refused(
        inbound_app, team, answers, plain("ann@example.com", to, "Hi"), smtp, answered=True
    )
    assert "Trash" in row.detail


def test_an_empty_reply_is_refused(inbound_app, team, answers, smtp):
    to = reply_to(inbound_app, team["ann"], team["task"])
    body = "\n\nOn Mon, 7 Dec 2026 at 08:00, Tickler <t@example.com> wrote:\n> Paint it\n"
    row = refused(
        inbound_app, team, answers, plain("ann@example.com", to, body), smtp, answered=True
    )
    assert "nothing written" in row.detail


def test_done_completes_only_for_people_who_chose_it(inbound_app, team, answers):
    to = reply_to(inbound_app, team["ann"], team["task"])
    handled = handle(inbound_app, plain("ann@example.com", to, "Done."))
    assert handled.outcome == InboundOutcome.COMMENTED
    with inbound_app.app_context():
        db.session.get(User, team["ann"]).reply_done_completes = True
        db.session.commit()
    handled = handle(inbound_app, plain("ann@example.com", to, "Erledigt!"))
    assert handled.outcome == InboundOutcome.COMPLETED
    with inbound_app.app_context():
        assert db.session.get(Task, team["task"]).status == TaskStatus.COMPLETED
    assert comments(inbound_app) == [(team["ann"], "Done.")]


def test_answers_to_one_address_are_limited(inbound_app, team, answers, smtp):
    to = reply_to(inbound_app, team["ann"], team["task"])
    for n in range(5):
        handle(inbound_app, plain("eve@example.org", to, f"Hi {n}"))
    statuses = [row.answer_status for row in ledger(inbound_app)]
    assert statuses == [AnswerStatus.PENDING] * 3 + [AnswerStatus.SUPPRESSED] * 2


def test_a_storm_from_one_sender_is_set_aside(inbound_app, team, answers, monkeypatch):
    monkeypatch.setitem(inbound_app.config, "INBOUND_SENDER_RATE_LIMIT", "3 per hour")
    to = reply_to(inbound_app, team["ann"], team["task"])
    outcomes = [
        handle(inbound_app, plain("ann@example.com", to, f"Note {n}")).outcome for n in range(5)
    ]
    assert outcomes == [InboundOutcome.COMMENTED] * 3 + [InboundOutcome.RATE_LIMITED] * 2
    later = handle(inbound_app, plain("ann@example.com", to, "Later"), now=NOW + timedelta(hours=2))
    assert later.outcome == InboundOutcome.COMMENTED
    assert len(comments(inbound_app)) == 4


def test_a_message_over_the_size_limit_is_not_read(inbound_app, team, answers, monkeypatch):
    monkeypatch.setitem(inbound_app.config, "INBOUND_MAX_MESSAGE_BYTES", 500)
    to = reply_to(inbound_app, team["ann"], team["task"])
    assert handle(inbound_app, plain("ann@example.com", to, "x" * 600)).outcome == (
        InboundOutcome.TOO_LARGE
    )
    assert comments(inbound_app) == []


def test_handling_a_reply_costs_the_same_queries_however_many_members(
    inbound_app, team, answers, make, count_queries
):
    to = reply_to(inbound_app, team["ann"], team["task"])
    counts = []
    for extra in (0, 8):
        with inbound_app.app_context():
            for _n in range(extra):
                user = make.user()
                db.session.add(ProjectMember(project_id=team["project"], user_id=user))
            db.session.commit()
        with count_queries() as statements:
            handle(inbound_app, plain("ann@example.com", to, f"Note with {extra} more"))
        counts.append(len(statements))
    assert counts[0] == counts[1]
    assert counts[0] <= 20
    with inbound_app.app_context():
        assert db.session.scalar(select(func.count(Comment.id))) == 2


def test_a_reply_written_by_a_mail_client_library_becomes_a_comment(inbound_app, team, answers):
    import emails

    to = reply_to(inbound_app, team["ann"], team["task"])
    message = emails.html(
        html="<div>On it <b>today</b>.</div><blockquote type='cite'>On 7 Dec 2026, at 08:00, "
        "Tickler &lt;tickler@example.com&gt; wrote:<br>Paint the shed</blockquote>",
        subject="Re: Paint the shed",
        mail_from=("Ann Lee", "ann@example.com"),
    )
    message.set_mail_to(to)
    handled = handle(inbound_app, message.as_string().encode())
    assert handled.outcome == InboundOutcome.COMMENTED
    assert comments(inbound_app) == [(team["ann"], "On it today.")]


def test_a_rule_broken_while_writing_refuses_and_keeps_nothing(
    inbound_app, team, answers, monkeypatch
):
    from app.core.errors import RuleViolation

    def refuse(session, task, author, body):
        session.add(Comment(task_id=task.id, author_id=author.id, body="half-written"))
        session.flush()
        raise RuleViolation("Comments are closed.")

    monkeypatch.setattr("app.inbound.replies.add_comment", refuse)
    to = reply_to(inbound_app, team["ann"], team["task"])
    handled = handle(inbound_app, plain("ann@example.com", to, "Hello"))
    assert handled.outcome == InboundOutcome.REFUSED
    assert comments(inbound_app) == [] and answers.jobs == []
    [row] = ledger(inbound_app)
    assert row.detail == "Comments are closed." and row.answer_status == AnswerStatus.NONE


def test_unreadable_bytes_are_recorded_not_raised(inbound_app, answers):
    handled = handle(inbound_app, b"\xff\xfe\x00garbage\r\n\r\n\x80\x81")
    assert handled.outcome == InboundOutcome.IGNORED and handled.inbound_id is not None
