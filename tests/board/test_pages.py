"""The board page and the move endpoint: what cards show, who may see and move them, the
status rule behind a move, order kept in a column, and a fixed number of queries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from app.checklists.models import ChecklistItem
from app.core.database import utcnow
from app.extensions import db
from app.labels.models import Label, task_labels
from app.tasklist.models import Task, TaskStatus
from app.webhooks.models import WebhookDelivery, WebhookSubscription


@pytest.fixture
def team(make, auth):
    owner = make.user(email="ann@example.com", name="Ann Owner", timezone="Asia/Kolkata")
    bob = make.user(email="bob@example.com", name="Bob Builder")
    project = make.project(owner, members=(bob,))
    auth.login("ann@example.com")
    return {"owner": owner, "bob": bob, "project": project}


def board(client, project, query=""):
    response = client.get(f"/projects/{project}/board{query}")
    assert response.status_code == 200
    return response.data.decode()


def column_of(app, task_id):
    with app.app_context():
        return db.session.scalar(select(Task.status).where(Task.id == task_id))


def order_in(app, project, status):
    from app.board.queries import column_ids

    with app.app_context():
        return column_ids(db.session, project, status)


def test_cards_show_title_assignee_due_in_my_zone_overdue_labels_and_checklist(
    app, client, make, team
):
    due = datetime(2030, 3, 1, 9, 0, tzinfo=UTC)
    task = make.task(
        team["project"], team["owner"], title="Paint the fence", assignee_id=team["bob"], due_at=due
    )
    late = make.task(
        team["project"], team["owner"], title="Late one", due_at=utcnow() - timedelta(days=2)
    )
    with app.app_context():
        label = Label(project_id=team["project"], name="ops", color="#2e7d32")
        db.session.add(label)
        db.session.flush()
        db.session.execute(insert(task_labels).values(task_id=task, label_id=label.id))
        db.session.add_all(
            [
                ChecklistItem(task_id=task, text="Sand", position=1, done_at=utcnow()),
                ChecklistItem(task_id=task, text="Prime", position=2),
            ]
        )
        db.session.commit()
    page = board(client, team["project"])
    for column in ("Pending", "In progress", "Blocked", "Completed"):
        assert f">{column}</span>" in page
    assert f'href="/task/{task}"' in page and "Paint the fence" in page
    assert "Bob Builder" in page
    assert "Fri 01 Mar 2030, 14:30 IST" in page, "the due date on the viewer's clock"
    assert 'class="label-chip"' in page and ">ops</span>" in page
    assert "Checklist 1/2" in page
    late_card = page.split(f'data-task-id="{late}"')[1].split("</li>")[0]
    assert 'class="overdue"' in late_card and "Overdue" in late_card
    assert 'aria-current="page"' in page.split('class="project-views"')[1].split("</nav>")[0]


def test_another_teams_project_and_tasks_are_not_found(client, make, team):
    stranger = make.user(email="eve@example.com")
    theirs = make.project(stranger, name="Theirs")
    their_task = make.task(theirs, stranger)
    assert client.get(f"/projects/{theirs}/board").status_code == 404
    response = client.post(f"/board/tasks/{their_task}/move", data={"status": "completed"})
    assert response.status_code == 404


def test_the_board_needs_a_login(client, make):
    owner = make.user()
    project = make.project(owner)
    assert client.get(f"/projects/{project}/board").status_code == 302


def test_a_move_without_the_csrf_token_is_refused(app, client, make, team):
    task = make.task(team["project"], team["owner"])
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(f"/board/tasks/{task}/move", data={"status": "completed"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert column_of(app, task) == TaskStatus.PENDING


def test_a_form_move_changes_the_status_through_the_one_rule_and_comes_back_filtered(
    app, client, make, team
):
    task = make.task(team["project"], team["owner"], title="Ship it", assignee_id=team["bob"])
    with app.app_context():
        db.session.add(
            WebhookSubscription(
                project_id=team["project"],
                url="https://hooks.example.com/x",
                secret="s",
                events="task.updated task.completed",
            )
        )
        db.session.commit()
    response = client.post(
        f"/board/tasks/{task}/move",
        data={"status": "completed", "filters": f"assignee={team['bob']}&sort=x"},
    )
    assert response.status_code == 302
    assert response.location == f"/projects/{team['project']}/board?assignee={team['bob']}"
    stored = make.get(Task, task)
    assert stored.status == TaskStatus.COMPLETED and stored.completed_at is not None
    with app.app_context():
        events = set(db.session.scalars(select(WebhookDelivery.event)))
    assert events == {"task.updated", "task.completed"}, "webhooks follow the status change"
    assert "“Ship it” moved to Completed." in client.get(response.location).data.decode()


def test_the_script_gets_json_and_an_unknown_column_a_clear_error(app, client, make, team):
    task = make.task(team["project"], team["owner"])
    json_headers = {"Accept": "application/json"}
    response = client.post(
        f"/board/tasks/{task}/move", data={"status": "blocked"}, headers=json_headers
    )
    assert response.status_code == 200
    assert response.json["status"] == "blocked" and response.json["status_changed"] is True
    response = client.post(
        f"/board/tasks/{task}/move", data={"status": "someday"}, headers=json_headers
    )
    assert response.status_code == 400
    assert "Choose a column" in response.json["error"]
    assert column_of(app, task) == TaskStatus.BLOCKED


def test_order_within_a_column_is_kept_and_a_moved_card_lands_between_its_neighbours(
    app, client, make, team
):
    project = team["project"]
    a, b, c = (make.task(project, team["owner"], title=t) for t in "abc")
    assert order_in(app, project, TaskStatus.PENDING) == [a, b, c]
    # c between a and b (the first move renumbers the never-placed column).
    client.post(f"/board/tasks/{c}/move", data={"status": "pending", "above": a, "below": b})
    assert order_in(app, project, TaskStatus.PENDING) == [a, c, b]
    # b to the top: no renumbering needed now, only b's position changes.
    client.post(f"/board/tasks/{b}/move", data={"status": "pending", "below": a})
    assert order_in(app, project, TaskStatus.PENDING) == [b, a, c]
    positions = [make.get(Task, t).board_position for t in (b, a, c)]
    assert positions == sorted(positions)
    # Into another column with no neighbours named: its top.
    d = make.task(project, team["owner"], title="d", status=TaskStatus.BLOCKED)
    client.post(f"/board/tasks/{a}/move", data={"status": "blocked"})
    assert order_in(app, project, TaskStatus.BLOCKED) == [a, d]
    assert order_in(app, project, TaskStatus.PENDING) == [b, c]
    page = board(client, project)
    assert page.index(f'data-task-id="{b}"') < page.index(f'data-task-id="{c}"')


def test_many_moves_into_one_gap_renumber_the_column_and_keep_the_order(app, client, make, team):
    project = team["project"]
    first, last = make.task(project, team["owner"]), make.task(project, team["owner"])
    moved = [make.task(project, team["owner"]) for _ in range(45)]
    below = last
    for card in moved:
        client.post(
            f"/board/tasks/{card}/move", data={"status": "pending", "above": first, "below": below}
        )
        below = card
    assert order_in(app, project, TaskStatus.PENDING) == [first, *reversed(moved), last]


def test_the_no_script_buttons_carry_the_neighbours_they_move_between(client, make, team):
    project = team["project"]
    a, b, c = (make.task(project, team["owner"], title=t) for t in "abc")
    page = board(client, project)
    card_b = page.split(f'data-task-id="{b}"')[1].split("</li>")[0]
    up = card_b.split('data-move="up"')[1].split("</form>")[0]
    assert f'name="below" value="{a}"' in up and 'name="above"' not in up
    down = card_b.split('data-move="down"')[1].split("</form>")[0]
    assert f'name="above" value="{c}"' in down and 'name="below"' not in down
    assert "To Completed" in card_b
    own_column = card_b.split('name="status" value="pending">')[0].rsplit("<form", 1)[1]
    assert 'data-move="up"' in own_column  # Up and Down stay in the column...
    to_pending = card_b.split("To Pending")[0].rsplit("<form", 1)[1]
    assert " hidden>" in to_pending, "...and the card's own column is no place to move it"
    card_a = page.split(f'data-task-id="{a}"')[1].split("</li>")[0]
    assert 'data-move="up" hidden>' in card_a, "the top card has no Up"


def test_filters_narrow_the_cards_and_statuses_choose_the_columns(client, make, team):
    project = team["project"]
    mine = make.task(project, team["owner"], title="Ann's", assignee_id=team["owner"])
    bobs = make.task(project, team["owner"], title="Bob's", assignee_id=team["bob"])
    page = board(client, project, f"?assignee={team['bob']}&status=pending&status=blocked")
    assert f'data-task-id="{bobs}"' in page and f'data-task-id="{mine}"' not in page
    assert 'data-status="pending"' in page and 'data-status="blocked"' in page
    assert 'data-status="completed"' not in page
    assert (
        f'name="filters" value="status=pending&amp;status=blocked&amp;assignee={team["bob"]}"'
        in page
    )


def test_a_long_column_shows_its_first_cards_and_links_to_the_rest(
    app, client, make, team, monkeypatch
):
    from app.board import queries

    monkeypatch.setattr(queries, "CARDS_PER_COLUMN", 3)
    monkeypatch.setattr(queries.board_columns, "__defaults__", (3,))
    project = team["project"]
    for n in range(5):
        make.task(project, team["owner"], title=f"Card {n}")
    page = board(client, project)
    assert page.count('class="board-card"') == 3
    assert "2 more cards in the list" in page
    assert f"/projects/{project}/tasks?status=pending" in page
    assert '<span class="count" data-count>5</span>' in page


def test_archived_and_deleted_tasks_stay_off_the_board(client, make, app, team):
    project = team["project"]
    archived = make.task(project, team["owner"], archived_at=utcnow())
    deleted = make.task(project, team["owner"])
    with app.app_context():
        db.session.get(Task, deleted).deleted_at = utcnow()
        db.session.commit()
    page = board(client, project)
    assert f'data-task-id="{archived}"' not in page and f'data-task-id="{deleted}"' not in page


def test_the_board_costs_the_same_queries_for_three_cards_or_sixty(
    app, client, make, team, count_queries
):
    project = team["project"]

    def add(count):
        with app.app_context():
            label = db.session.scalar(select(Label).where(Label.project_id == project))
            if label is None:
                label = Label(project_id=project, name="ops")
                db.session.add(label)
                db.session.flush()
            for n in range(count):
                task = Task(
                    project_id=project,
                    creator_id=team["owner"],
                    title=f"T{n}",
                    assignee_id=team["bob"] if n % 2 else team["owner"],
                    status=list(TaskStatus)[n % 4],
                    due_at=utcnow() + timedelta(hours=n - 5),
                )
                db.session.add(task)
                db.session.flush()
                db.session.execute(insert(task_labels).values(task_id=task.id, label_id=label.id))
                db.session.add(ChecklistItem(task_id=task.id, text="x", position=1))
            db.session.commit()

    add(3)
    with count_queries() as few:
        board(client, project)
    add(60)
    with count_queries() as many:
        page = board(client, project)
    assert page.count('class="board-card"') == 63
    assert len(many) == len(few)


def test_a_move_costs_the_same_statements_in_a_short_or_a_long_column(
    app, client, make, team, count_queries
):
    project = team["project"]

    def renumbering_move(cards):
        ids = [make.task(project, team["owner"], title=f"C{n}") for n in range(cards)]
        moved = make.task(project, team["owner"], status=TaskStatus.BLOCKED)
        # A page first: what a request may do once in a while (the login session's last-seen
        # time, written every few minutes) is then not counted against the move.
        client.get(f"/projects/{project}/board")
        with count_queries() as statements:
            client.post(
                f"/board/tasks/{moved}/move",
                data={"status": "pending", "above": ids[0], "below": ids[1]},
            )
        assert order_in(app, project, TaskStatus.PENDING)[:2] == [ids[0], moved]
        with app.app_context():
            db.session.query(Task).delete()
            db.session.commit()
        return statements

    few, many = renumbering_move(3), renumbering_move(40)
    assert len(many) == len(few), (few, many)
