"""The Labels page, a task's labels (task page and task form), and the list's chips and filter."""

from sqlalchemy import select

from app.core import events
from app.core.events import TaskLabelsChanged
from app.extensions import db
from app.labels.models import Label, task_labels


def label_rows(app):
    with app.app_context():
        return {name: color for name, color in db.session.execute(select(Label.name, Label.color))}


def task_label_names(app, task_id):
    with app.app_context():
        return sorted(
            db.session.scalars(
                select(Label.name)
                .join(task_labels, task_labels.c.label_id == Label.id)
                .where(task_labels.c.task_id == task_id)
            )
        )


def test_labels_page_shows_the_project_tabs_and_counts(client, team, make, labels):
    ops = labels.add(team["project"], "ops")
    for _ in range(2):
        labels.put(make.task(team["project"], team["ann"]), ops)
    page = client.get(f"/projects/{team['project']}/labels")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'aria-current="page">Labels' in html
    assert "2 tasks" in html
    assert 'class="label-chip" data-bg="#3b6ea8" data-fg="#ffffff"' in html
    assert html.count("labels.js") == 1  # the painting script, once per page


def test_create_a_label_with_a_preset_color(client, app, team):
    response = client.post(
        f"/projects/{team['project']}/labels", data={"name": " ops ", "color": "#2e7d32"}
    )
    assert response.status_code == 302
    assert label_rows(app) == {"ops": "#2e7d32"}


def test_create_a_label_with_a_custom_color(client, app, team):
    client.post(
        f"/projects/{team['project']}/labels",
        data={"name": "design", "color": "custom", "custom_color": "#ABCDEF"},
    )
    assert label_rows(app) == {"design": "#abcdef"}


def test_a_name_taken_in_another_case_is_refused_and_the_input_kept(client, app, team, labels):
    labels.add(team["project"], "Ops")
    response = client.post(
        f"/projects/{team['project']}/labels", data={"name": "ops", "color": "#2e7d32"}
    )
    assert response.status_code == 422
    assert "already has a label named “ops”" in response.get_data(as_text=True)
    assert 'value="ops"' in response.get_data(as_text=True)
    assert label_rows(app) == {"Ops": "#3b6ea8"}


def test_the_same_name_in_another_project_is_fine(client, app, team, make, labels):
    other = make.project(team["ann"], name="Other")
    labels.add(other, "ops")
    client.post(f"/projects/{team['project']}/labels", data={"name": "ops", "color": "#2e7d32"})
    with app.app_context():
        assert db.session.query(Label).count() == 2


def test_a_bad_color_is_explained(client, app, team):
    response = client.post(
        f"/projects/{team['project']}/labels",
        data={"name": "ops", "color": "custom", "custom_color": "red"},
    )
    assert response.status_code == 422
    assert "#rrggbb" in response.get_data(as_text=True)
    assert label_rows(app) == {}


def test_rename_and_recolor_show_on_every_task_at_once(client, app, team, make, labels):
    ops = labels.add(team["project"], "ops")
    task = make.task(team["project"], team["ann"], title="Deploy")
    labels.put(task, ops)
    response = client.post(
        f"/labels/{ops}", data={"name": "operations", "color": "custom", "custom_color": "#f9d94a"}
    )
    assert response.status_code == 302
    html = client.get(f"/task/{task}").get_data(as_text=True)
    assert 'data-bg="#f9d94a" data-fg="#111111">operations</span>' in html
    listing = client.get(f"/projects/{team['project']}/tasks").get_data(as_text=True)
    assert ">operations</span>" in listing


def test_rename_to_a_taken_name_changes_nothing(client, app, team, labels):
    ops = labels.add(team["project"], "ops")
    labels.add(team["project"], "bug")
    response = client.post(f"/labels/{ops}", data={"name": "BUG", "color": "#3b6ea8"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "already has a label named “BUG”" in html
    assert f'id="label-{ops}-name" name="name" value="BUG"' in html  # what was typed is kept
    assert "<details open>" in html
    assert label_rows(app) == {"ops": "#3b6ea8", "bug": "#3b6ea8"}


def test_delete_asks_with_the_count_then_takes_it_off_every_task(client, app, team, make, labels):
    ops = labels.add(team["project"], "ops")
    tasks = [make.task(team["project"], team["ann"]) for _ in range(3)]
    for task in tasks:
        labels.put(task, ops)
    confirm = client.get(f"/labels/{ops}/delete").get_data(as_text=True)
    assert "3 tasks" in confirm and "Delete label from 3 tasks" in confirm
    assert label_rows(app) == {"ops": "#3b6ea8"}
    response = client.post(f"/labels/{ops}/delete")
    assert response.status_code == 302
    assert label_rows(app) == {}
    assert all(task_label_names(app, task) == [] for task in tasks)


def test_members_manage_labels_but_only_owners_delete(client, app, team, auth, labels):
    ops = labels.add(team["project"], "ops")
    auth.logout()
    auth.login("bob@example.com")
    client.post(f"/projects/{team['project']}/labels", data={"name": "bug", "color": "#b3261e"})
    client.post(f"/labels/{ops}", data={"name": "ops2", "color": "#3b6ea8"})
    assert label_rows(app) == {"ops2": "#3b6ea8", "bug": "#b3261e"}
    page = client.get(f"/projects/{team['project']}/labels").get_data(as_text=True)
    assert "/delete" not in page and "Only the project's owners can delete labels" in page
    assert client.post(f"/labels/{ops}/delete").status_code == 403
    assert "ops2" in label_rows(app)


def test_set_labels_on_the_task_page_records_one_event(
    client, app, team, make, labels, monkeypatch
):
    seen = []
    monkeypatch.setitem(events._subscribers, TaskLabelsChanged, [lambda s, e: seen.append(e)])
    ops, bug = labels.add(team["project"], "ops"), labels.add(team["project"], "bug")
    task = make.task(team["project"], team["ann"])
    labels.put(task, ops)
    page = client.get(f"/task/{task}").get_data(as_text=True)
    assert "Change labels" in page and f'value="{ops}" checked' in page
    response = client.post(f"/task/{task}/labels", data={"label": [str(bug)]})
    assert response.status_code == 302 and response.location.endswith("#labels")
    assert task_label_names(app, task) == ["bug"]
    assert [(e.task_id, e.added, e.removed, e.actor_id) for e in seen] == [
        (task, ("bug",), ("ops",), team["ann"])
    ]
    client.post(f"/task/{task}/labels", data={"label": [str(bug)]})
    assert len(seen) == 1  # nothing changed, nothing recorded


def test_a_label_of_another_project_cannot_be_set(client, app, team, make, labels):
    other = make.project(team["ann"], name="Other")
    foreign = labels.add(other, "foreign")
    task = make.task(team["project"], team["ann"])
    client.post(f"/task/{task}/labels", data={"label": [str(foreign)]})
    client.post(f"/task/{task}/labels", data={"label": ["abc"]})
    assert task_label_names(app, task) == []


def test_the_task_form_sets_labels_on_new_and_edited_tasks(client, app, team, labels):
    ops, bug = labels.add(team["project"], "ops"), labels.add(team["project"], "bug")
    form = client.get(f"/projects/{team['project']}/tasks/new").get_data(as_text=True)
    assert 'name="labels"' in form
    response = client.post(
        f"/projects/{team['project']}/tasks/new",
        data={
            "title": "Deploy",
            "status": "pending",
            "priority": "medium",
            "due_at": "",
            "assignee_id": "0",
            "labels": [str(ops)],
        },
    )
    task = int(response.location.rsplit("/", 1)[1])
    assert task_label_names(app, task) == ["ops"]
    edit = client.get(f"/task/{task}/edit").get_data(as_text=True)
    assert f'value="{ops}" checked' in edit
    client.post(
        f"/task/{task}/edit",
        data={
            "title": "Deploy",
            "status": "pending",
            "priority": "medium",
            "due_at": "",
            "assignee_id": "0",
            "labels": [str(bug)],
        },
    )
    assert task_label_names(app, task) == ["bug"]


def test_the_task_form_refuses_a_label_not_of_the_project(client, app, team, labels):
    labels.add(team["project"], "ops")
    response = client.post(
        f"/projects/{team['project']}/tasks/new",
        data={
            "title": "Deploy",
            "status": "pending",
            "priority": "medium",
            "due_at": "",
            "assignee_id": "0",
            "labels": ["999999"],
        },
    )
    assert response.status_code == 200
    assert "Choose labels of this project." in response.get_data(as_text=True)


def test_the_list_filters_by_label_and_keeps_it_in_the_query_string(
    client, app, team, make, labels
):
    ops, bug = labels.add(team["project"], "ops"), labels.add(team["project"], "bug")
    deploy = make.task(team["project"], team["ann"], title="Deploy")
    crash = make.task(team["project"], team["ann"], title="Crash")
    make.task(team["project"], team["ann"], title="Plain")
    labels.put(deploy, ops)
    labels.put(crash, bug)
    html = client.get(f"/projects/{team['project']}/tasks?label={ops}").get_data(as_text=True)
    assert "Deploy" in html and "Crash" not in html and "Plain" not in html
    assert f'name="label" value="{ops}" checked' in html
    assert f'<input type="hidden" name="label" value="{ops}">' in html  # the export form
    both = client.get(f"/projects/{team['project']}/tasks?label={ops}&label={bug}").data
    assert b"Deploy" in both and b"Crash" in both and b"Plain" not in both


def test_an_unknown_label_filter_value_is_said(client, team):
    html = client.get(f"/projects/{team['project']}/tasks?label=abc").get_data(as_text=True)
    assert "Ignored filter values we do not know: abc" in html


def test_another_teams_label_is_not_found(client, make, team, labels):
    stranger = make.user(email="sam@example.com")
    theirs = labels.add(make.project(stranger, name="Theirs"), "secret")
    assert (
        client.post(f"/labels/{theirs}", data={"name": "x", "color": "#3b6ea8"}).status_code == 404
    )
    assert client.get(f"/labels/{theirs}/delete").status_code == 404
    assert client.post(f"/labels/{theirs}/delete").status_code == 404


def test_the_dashboard_shows_labels_and_progress_in_a_fixed_number_of_queries(
    client, app, team, make, labels, count_queries
):
    from datetime import timedelta

    from app.checklists.models import ChecklistItem
    from app.core.database import utcnow

    ops = labels.add(team["project"], "ops")

    def add_task(n: int) -> None:
        task = make.task(
            team["project"],
            team["ann"],
            title=f"Mine {n}",
            assignee_id=team["ann"],
            due_at=utcnow() + timedelta(hours=2 + n),
        )
        labels.put(task, ops)
        with app.app_context():
            db.session.add(ChecklistItem(task_id=task, text="step", position=1.0))
            db.session.commit()

    add_task(0)
    with count_queries() as few:
        html = client.get("/").get_data(as_text=True)
    assert ">ops</span>" in html and "☑ 0/1" in html
    for n in range(1, 8):
        add_task(n)
    with count_queries() as many:
        html = client.get("/").get_data(as_text=True)
    assert html.count("☑ 0/1") == 8
    assert len(many) == len(few)


def test_a_bad_color_on_rename_is_explained_beside_the_colors(client, app, team, labels):
    ops = labels.add(team["project"], "ops")
    response = client.post(
        f"/labels/{ops}", data={"name": "ops", "color": "custom", "custom_color": "#12"}
    )
    assert response.status_code == 422
    assert "Choose a color, as #rrggbb." in response.get_data(as_text=True)
    assert label_rows(app) == {"ops": "#3b6ea8"}


def test_two_people_naming_a_label_alike_at_once_get_one_label(app, team, monkeypatch):
    """The service's check cannot see a label another request is creating at the same moment;
    the unique index on lower(name) refuses the second, and the person gets the same message."""
    from app.core.errors import RuleViolation
    from app.labels import service

    with app.app_context():
        service.create_label(db.session, team["project"], "Ops", "#00695c")
        db.session.commit()
        monkeypatch.setattr(service, "_check_name_free", lambda *args: None)  # the race
        try:
            service.create_label(db.session, team["project"], "ops", "#b3261e")
        except RuleViolation as error:
            assert "already has a label named “ops”" in str(error)
        else:
            raise AssertionError("the second label was stored")
        names = db.session.scalars(
            select(Label.name).where(Label.project_id == team["project"])
        ).all()
    assert [name.lower() for name in names].count("ops") == 1
