from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from sqlalchemy import func, select

from app.core.database import utcnow
from app.extensions import db
from app.tasklist.models import Task, TaskPriority, TaskStatus

VALID = {
    "title": "Write launch post",
    "description": "Draft and review",
    "status": "pending",
    "priority": "high",
    "due_at": "2026-12-01T17:00",
    "assignee_id": "0",
}


@pytest.fixture(autouse=True)
def clock():
    """The forms' due dates (December 2026) must be believable (a year back at most): the
    tests run at a fixed moment before them, whatever the date or a shifted test clock."""
    with time_machine.travel(datetime(2026, 11, 20, 9, 0, tzinfo=UTC), tick=True):
        yield


@pytest.fixture
def team(make, auth):
    """Ann (in Tokyo) owns a project that Bob belongs to; Ann is logged in."""
    ann = make.user(email="ann@example.com", name="Ann", timezone="Asia/Tokyo")
    bob = make.user(email="bob@example.com", name="Bob")
    project = make.project(ann, members=(bob,))
    auth.login("ann@example.com")
    return {"ann": ann, "bob": bob, "project": project}


def count_tasks(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Task))


def test_create_task_reads_the_due_date_in_my_timezone(client, app, team):
    response = client.post(
        f"/projects/{team['project']}/tasks/new", data={**VALID, "assignee_id": str(team["bob"])}
    )
    assert response.status_code == 302
    with app.app_context():
        task = db.session.scalar(select(Task))
        assert task.due_at == datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
        assert (task.assignee_id, task.creator_id) == (team["bob"], team["ann"])
        assert task.priority == TaskPriority.HIGH
    page = client.get(response.location)
    assert b"Tue 01 Dec 2026, 17:00 JST" in page.data


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"title": ""}, b"Give the task a title"),
        ({"title": "x" * 10_000}, b"Keep the title to 200 characters or fewer"),
        ({"title": "two\nlines"}, b"must fit on one line"),
        ({"title": "a\ttab"}, b"must fit on one line, without tabs"),
        ({"title": "bell\x07"}, b"control characters"),
        ({"status": "done-ish"}, b"Choose the status from the list"),
        ({"priority": "urgent!"}, b"Choose the priority from the list"),
        ({"due_at": "next tuesday"}, b"Enter the due date"),
        ({"due_at": "2026-02-30T10:00"}, b"Enter the due date"),
        ({"assignee_id": "999999"}, b"Choose the assignee from the project"),
        ({"assignee_id": "abc"}, b"Choose the assignee from the project"),
        ({"description": "d" * 10_001}, b"Keep the description to 10000 characters or fewer"),
    ],
)
def test_bad_task_input_is_explained_and_nothing_is_stored(client, app, team, changes, message):
    response = client.post(f"/projects/{team['project']}/tasks/new", data={**VALID, **changes})
    assert response.status_code == 200
    assert message in response.data
    assert count_tasks(app) == 0


def test_html_in_a_title_is_stored_as_text_and_shown_escaped(client, app, team):
    title = '<script>alert("x")</script><b>bold</b>'
    response = client.post(f"/projects/{team['project']}/tasks/new", data={**VALID, "title": title})
    page = client.get(response.location).data
    assert b"<script>alert" not in page
    assert b"&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    with app.app_context():
        assert db.session.scalar(select(Task.title)) == title


def test_unicode_and_emoji_titles_round_trip(client, app, team):
    title = "Überprüfen 🚀 日本語"
    response = client.post(f"/projects/{team['project']}/tasks/new", data={**VALID, "title": title})
    assert title.encode() in client.get(response.location).data


def test_edit_task_shows_current_values_in_my_zone_and_saves(client, make, team):
    task = make.task(
        team["project"], team["ann"], title="Old", due_at=datetime(2026, 5, 1, 0, 0, tzinfo=UTC)
    )
    form = client.get(f"/task/{task}/edit").data
    assert b'value="2026-05-01T09:00"' in form
    client.post(f"/task/{task}/edit", data={**VALID, "title": "New", "status": "completed"})
    saved = make.get(Task, task)
    assert saved.title == "New"
    assert saved.status == TaskStatus.COMPLETED
    assert saved.completed_at is not None


def test_reopening_a_task_clears_its_completion_time(client, make, team):
    task = make.task(team["project"], team["ann"], status=TaskStatus.COMPLETED)
    client.post(f"/task/{task}/edit", data={**VALID, "status": "in_progress"})
    assert make.get(Task, task).completed_at is None


def test_assignee_must_be_a_project_member(client, app, make, team):
    outsider = make.user(email="out@example.com")
    response = client.post(
        f"/projects/{team['project']}/tasks/new", data={**VALID, "assignee_id": str(outsider)}
    )
    assert b"Choose the assignee from the project" in response.data
    assert count_tasks(app) == 0


def test_task_list_filters_by_status_priority_and_assignee(client, make, team):
    p, ann, bob = team["project"], team["ann"], team["bob"]
    make.task(
        p,
        ann,
        title="Alpha",
        status=TaskStatus.PENDING,
        priority=TaskPriority.HIGH,
        assignee_id=bob,
    )
    make.task(
        p, ann, title="Bravo", status=TaskStatus.BLOCKED, priority=TaskPriority.LOW, assignee_id=ann
    )
    make.task(p, ann, title="Charlie", status=TaskStatus.PENDING, priority=TaskPriority.LOW)
    make.task(p, ann, title="Archived one", archived_at=utcnow())

    def titles(**params):
        page = client.get(f"/projects/{p}/tasks", query_string=params).data.decode()
        return [t for t in ("Alpha", "Bravo", "Charlie", "Archived one") if f">{t}<" in page]

    assert titles() == ["Alpha", "Bravo", "Charlie"]
    assert titles(status="pending") == ["Alpha", "Charlie"]
    assert titles(status=["pending", "blocked"], priority="low") == ["Bravo", "Charlie"]
    assert titles(assignee=str(bob)) == ["Alpha"]
    assert titles(assignee="none") == ["Charlie"]


def test_task_list_sorts_by_due_date_with_undated_last(client, make, team):
    p, ann = team["project"], team["ann"]
    now = utcnow()
    make.task(p, ann, title="Later", due_at=now + timedelta(days=3))
    make.task(p, ann, title="Undated")
    make.task(p, ann, title="Sooner", due_at=now + timedelta(days=1))
    page = client.get(f"/projects/{p}/tasks").data.decode()
    assert page.index(">Sooner<") < page.index(">Later<") < page.index(">Undated<")
    page = client.get(f"/projects/{p}/tasks?sort=-due").data.decode()
    assert page.index(">Later<") < page.index(">Sooner<")


@pytest.mark.parametrize("sort", ["due", "-due", "priority", "created"])
def test_task_list_shows_open_tasks_before_completed_ones_whatever_the_sort(
    client, make, team, sort
):
    """Old completed tasks (due long ago, critical, or newest) never push open work down."""
    p, ann = team["project"], team["ann"]
    now = utcnow()
    make.task(p, ann, title="Open later", due_at=now + timedelta(days=5))
    for n in range(3):
        make.task(
            p,
            ann,
            title=f"Done {n}",
            status=TaskStatus.COMPLETED,
            priority=TaskPriority.CRITICAL,
            due_at=now - timedelta(days=30 + n),
        )
    make.task(p, ann, title="Open undated", priority=TaskPriority.LOW)
    page = client.get(f"/projects/{p}/tasks?sort={sort}").data.decode()
    last_open = max(page.index(">Open later<"), page.index(">Open undated<"))
    assert all(last_open < page.index(f">Done {n}<") for n in range(3)), sort


def test_task_list_paginates_and_tolerates_odd_page_numbers(client, app, make, team):
    app.config["TASKS_PER_PAGE"] = 5
    try:
        for n in range(12):
            make.task(
                team["project"],
                team["ann"],
                title=f"T{n:02d}",
                due_at=utcnow() + timedelta(hours=n),
            )
        first = client.get(f"/projects/{team['project']}/tasks").data.decode()
        assert "Page 1 of 3" in first and ">T00<" in first and ">T05<" not in first
        third = client.get(f"/projects/{team['project']}/tasks?page=3").data.decode()
        assert ">T10<" in third and ">T11<" in third
        for odd in ("-4", "0", "abc", "99999999999999999999", "3.5"):
            response = client.get(f"/projects/{team['project']}/tasks?page={odd}")
            assert response.status_code == 200, odd
        assert (
            "Page 3 of 3" in client.get(f"/projects/{team['project']}/tasks?page=40").data.decode()
        )
    finally:
        app.config["TASKS_PER_PAGE"] = 25


def test_unknown_filter_values_are_ignored_with_a_note(client, team):
    response = client.get(
        f"/projects/{team['project']}/tasks?status=bogus&sort=sideways&assignee=x"
    )
    assert response.status_code == 200
    assert b"Ignored filter values we do not know: bogus, x, sideways" in response.data


def test_task_list_queries_do_not_grow_with_tasks(client, make, team, count_queries):
    p, ann, bob = team["project"], team["ann"], team["bob"]
    make.task(p, ann, assignee_id=bob)
    with count_queries() as few:
        client.get(f"/projects/{p}/tasks")
    for n in range(30):
        make.task(p, ann, assignee_id=bob if n % 2 else ann, due_at=utcnow() + timedelta(hours=n))
    with count_queries() as many:
        assert client.get(f"/projects/{p}/tasks").status_code == 200
    assert len(many) == len(few)


def test_members_can_see_and_edit_each_others_tasks(client, make, auth, team):
    task = make.task(team["project"], team["ann"], title="Shared work")
    auth.logout()
    auth.login("bob@example.com")
    assert b"Shared work" in client.get(f"/task/{task}").data
    client.post(f"/task/{task}/edit", data={**VALID, "title": "Bob was here"})
    assert make.get(Task, task).title == "Bob was here"


def test_overdue_open_tasks_are_marked_in_the_list(client, make, team):
    p, ann = team["project"], team["ann"]
    make.task(p, ann, title="Late", due_at=utcnow() - timedelta(hours=2))
    make.task(
        p,
        ann,
        title="Late but done",
        due_at=utcnow() - timedelta(hours=2),
        status=TaskStatus.COMPLETED,
    )
    page = client.get(f"/projects/{p}/tasks").data.decode()
    assert page.count('class="overdue"') == 1


def test_task_page_queries_do_not_grow_with_comments(app, client, make, team, count_queries):
    from app.comments.models import Comment
    from app.extensions import db

    task = make.task(team["project"], team["ann"], assignee_id=team["bob"])

    def add_comments(count):
        with app.app_context():
            for n in range(count):
                author = team["ann"] if n % 2 else team["bob"]
                db.session.add(Comment(task_id=task, author_id=author, body=f"note {n} @bob"))
            db.session.commit()

    add_comments(1)
    with count_queries() as few:
        client.get(f"/task/{task}")
    add_comments(15)
    with count_queries() as many:
        page = client.get(f"/task/{task}").data.decode()
    assert page.count('class="comment"') == 16
    assert len(many) == len(few)
