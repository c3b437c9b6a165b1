from datetime import UTC, datetime, timedelta

import pytest
import time_machine

from app.tasklist.models import TaskStatus

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)  # a Wednesday


@pytest.fixture(autouse=True)
def clock():
    """One fixed clock for the whole test, the login included: a session made at today's real
    date and read on NOW's would be from the future."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def section(page: str, heading: str) -> str:
    start = page.index(heading)
    end = page.find("</section>", start)
    return page[start:end]


def test_dashboard_groups_my_open_tasks_by_deadline(client, make, auth):
    me = make.user(email="ann@example.com", timezone="Europe/Berlin")
    other = make.user()
    project = make.project(me, members=(other,))
    make.task(project, me, title="Late report", assignee_id=me, due_at=NOW - timedelta(days=2))
    make.task(project, me, title="Call supplier", assignee_id=me, due_at=NOW + timedelta(hours=3))
    make.task(project, me, title="Plan friday", assignee_id=me, due_at=NOW + timedelta(days=2))
    make.task(
        project,
        me,
        title="Done already",
        assignee_id=me,
        due_at=NOW - timedelta(days=1),
        status=TaskStatus.COMPLETED,
    )
    make.task(project, me, title="Someone elses", assignee_id=other, due_at=NOW - timedelta(days=1))
    # Logged in at NOW too: a session started on today's real date has expired (or not yet
    # begun) at a fixed NOW.
    with time_machine.travel(NOW, tick=False):
        auth.login("ann@example.com")
        page = client.get("/").data.decode()
    assert "Late report" in section(page, "Overdue")
    assert "Call supplier" in section(page, "Due within 24 hours")
    assert "Plan friday" in section(page, "Later this week")
    assert "Done already" not in page
    assert "Someone elses" not in page


def test_dashboard_counts_my_tasks_by_status(client, make, auth):
    me = make.user(email="ann@example.com")
    project = make.project(me)
    for status in (
        TaskStatus.PENDING,
        TaskStatus.PENDING,
        TaskStatus.BLOCKED,
        TaskStatus.COMPLETED,
    ):
        make.task(project, me, assignee_id=me, status=status)
    auth.login("ann@example.com")
    page = client.get("/").data.decode()
    assert '<span class="stat-number">2</span><span class="stat-label">Pending</span>' in page
    assert '<span class="stat-number">1</span><span class="stat-label">Blocked</span>' in page
    assert '<span class="stat-number">0</span><span class="stat-label">In progress</span>' in page


def test_dashboard_shows_due_dates_in_the_viewers_timezone(client, make, auth):
    me = make.user(email="ann@example.com", timezone="Asia/Kolkata")
    project = make.project(me)
    make.task(project, me, assignee_id=me, due_at=NOW + timedelta(hours=2))
    # Logged in at NOW too: a session started on today's real date has expired (or not yet
    # begun) at a fixed NOW.
    with time_machine.travel(NOW, tick=False):
        auth.login("ann@example.com")
        page = client.get("/").data.decode()
    assert "Wed 25 Nov 2026, 19:30 IST" in page


def test_dashboard_queries_do_not_grow_with_tasks(client, make, auth, count_queries):
    me = make.user(email="ann@example.com")
    project = make.project(me)
    make.task(project, me, assignee_id=me, due_at=NOW)
    auth.login("ann@example.com")
    with count_queries() as few:
        client.get("/")
    for n in range(25):
        other_project = make.project(me, name=f"P{n}") if n % 5 == 0 else project
        make.task(other_project, me, assignee_id=me, due_at=NOW + timedelta(hours=n - 10))
    with count_queries() as many:
        client.get("/")
    assert len(many) == len(few)


def test_pages_need_a_login(client):
    for url in ("/", "/projects/", "/profile", "/task/1", "/projects/1/tasks"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.location.startswith("/login?next=")


def test_inbox_queries_do_not_grow_with_notifications(app, client, make, auth, count_queries):
    from app.extensions import db
    from app.notifications.models import Notification

    me = make.user(email="ann@example.com")
    task = make.task(make.project(me), me)

    def notify(count):
        with app.app_context():
            for n in range(count):
                db.session.add(
                    Notification(user_id=me, kind="assigned", task_id=task, message=f"event {n}")
                )
            db.session.commit()

    auth.login("ann@example.com")
    notify(1)
    with count_queries() as few:
        client.get("/notifications/")
    notify(20)
    with count_queries() as many:
        page = client.get("/notifications/").data.decode()
    assert page.count('class="inbox-message"') == 21
    assert len(many) == len(few)


def test_this_week_is_named_and_ends_on_sunday_night_in_my_zone(client, make, auth, clock):
    clock.move_to(datetime(2026, 12, 6, 15, 0, tzinfo=UTC))  # Sunday 16:00 in Berlin
    me = make.user(email="ann@example.com", timezone="Europe/Berlin")
    project = make.project(me)
    make.task(
        project,
        me,
        title="Monday evening",
        assignee_id=me,
        due_at=datetime(2026, 12, 7, 19, 0, tzinfo=UTC),
    )
    auth.login("ann@example.com")
    page = client.get("/").data.decode()
    assert "Later this week" in page and "(Mon 30 Nov – Sun 6 Dec)" in page
    assert "Monday evening" not in page, "due next week: not this week's, as in the summary"


def test_the_digests_and_n_more_links_land_on_every_task_of_their_section(client, make, auth):
    """A digest lists the most urgent tasks and links "and N more" to /#overdue-h or /#soon-h:
    those sections must exist and hold every task, however many."""
    me = make.user(email="ann@example.com")
    project = make.project(me)
    for n in range(30):
        make.task(project, me, title=f"Late {n}", assignee_id=me, due_at=NOW - timedelta(days=1))
        make.task(project, me, title=f"Soon {n}", assignee_id=me, due_at=NOW + timedelta(hours=1))
    auth.login("ann@example.com")
    page = client.get("/").data.decode()
    overdue, soon = section(page, 'id="overdue-h"'), section(page, 'id="soon-h"')
    assert all(f"Late {n}<" in overdue for n in range(30))
    assert all(f"Soon {n}<" in soon for n in range(30))
