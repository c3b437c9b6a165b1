"""The digest jobs' SQL is bounded whatever the head count: planning and each chunk cost the
same statements for a handful of people as for many (bench/ measures the time)."""

from __future__ import annotations

from flask import current_app

from app.core.database import utcnow
from app.core.email.models import EmailKind
from app.digests.delivery import digest_rules, plan_digest
from app.extensions import db
from app.notifications.jobs import send_digest_chunk
from bench import data

KINDS = (EmailKind.TASK_REMINDER, EmailKind.OVERDUE_ALERT, EmailKind.WEEKLY_SUMMARY)


def people(app, count: int) -> dict:
    with app.app_context(), db.engine.begin() as conn:
        return data.generate(conn, count, utcnow())


def planning_statements(app, count_queries) -> dict[EmailKind, tuple[int, int]]:
    """(statements, recipients) of planning each digest kind now."""
    found = {}
    with app.app_context():
        rules = digest_rules(current_app.config)
        for kind in KINDS:
            with count_queries() as statements:
                pairs = plan_digest(db.session, rules[kind], utcnow(), scheduled=False)
            found[kind] = (len(statements), len(pairs))
        db.session.remove()
    return found


def test_planning_costs_the_same_statements_for_3_people_or_60(app, count_queries):
    people(app, 3)
    few = planning_statements(app, count_queries)
    people(app, 57)
    many = planning_statements(app, count_queries)
    for kind in KINDS:
        assert few[kind][1] == 3 and many[kind][1] == 60, kind
        assert few[kind][0] == many[kind][0] <= 4, kind


def chunk_statements(app, count_queries, pairs: list[tuple[int, str]]) -> int:
    with count_queries() as statements:
        result = send_digest_chunk.apply(
            args=(EmailKind.WEEKLY_SUMMARY.value, [list(p) for p in pairs], utcnow().isoformat())
        ).get()
    assert result["sent"] == len(pairs)
    return len(statements)


def test_a_chunk_costs_the_same_statements_for_2_people_or_30(app, smtp, count_queries):
    made = people(app, 32)
    ids = range(made["first_user"], made["first_user"] + 32)
    pairs = [(user_id, "2026-W48") for user_id in ids]
    few = chunk_statements(app, count_queries, pairs[:2])
    many = chunk_statements(app, count_queries, pairs[2:])
    assert len(smtp.wait_for(32)) == 32
    # Five, the run lock taken and let go (live_runs.run_held), and the listed tasks' labels
    # and checklist progress (issue 19): never one per person.
    assert few == many <= 9
