"""A task's checklist on its page: add, check, edit, move, remove, and the offer to complete."""

from app.core import events
from app.core.events import TaskStatusChanged
from app.tasklist.models import Task, TaskStatus


def test_add_items_in_order(client, team, items):
    for text in ("Write notes", "  Tag   release "):
        response = client.post(f"/task/{team['task']}/checklist", data={"text": text})
        assert response.status_code == 302
    assert items.texts(team["task"]) == ["Write notes", "Tag release"]
    html = client.get(f"/task/{team['task']}").get_data(as_text=True)
    assert "0/2" in html and "Write notes" in html


def test_an_empty_item_is_refused_with_a_reason(client, team, items):
    client.post(f"/task/{team['task']}/checklist", data={"text": "   "})
    html = client.get(f"/task/{team['task']}").get_data(as_text=True)
    assert "The item was not added: Write what the item is." in html
    assert items.texts(team["task"]) == []


def test_check_and_uncheck(client, team, items):
    first, _ = items.add(team["task"], "a", "b")
    client.post(f"/checklist/{first}/check", data={"done": "1"})
    assert items.done(team["task"]) == [True, False]
    assert "1/2" in client.get(f"/task/{team['task']}").get_data(as_text=True)
    client.post(f"/checklist/{first}/check", data={"done": "0"})
    assert items.done(team["task"]) == [False, False]


def test_edit_the_text(client, team, items):
    (item,) = items.add(team["task"], "typo")
    client.post(f"/checklist/{item}/edit", data={"text": "fixed"})
    assert items.texts(team["task"]) == ["fixed"]
    client.post(f"/checklist/{item}/edit", data={"text": ""})
    assert items.texts(team["task"]) == ["fixed"]


def test_move_up_and_down(client, team, items):
    a, b, c = items.add(team["task"], "a", "b", "c")
    client.post(f"/checklist/{c}/move", data={"direction": "up"})
    assert items.texts(team["task"]) == ["a", "c", "b"]
    client.post(f"/checklist/{c}/move", data={"direction": "up"})
    assert items.texts(team["task"]) == ["c", "a", "b"]
    client.post(f"/checklist/{c}/move", data={"direction": "up"})  # already first
    assert items.texts(team["task"]) == ["c", "a", "b"]
    client.post(f"/checklist/{a}/move", data={"direction": "down"})
    assert items.texts(team["task"]) == ["c", "b", "a"]
    client.post(f"/checklist/{a}/move", data={"direction": "sideways"})
    assert items.texts(team["task"]) == ["c", "b", "a"]


def test_remove(client, team, items):
    a, _ = items.add(team["task"], "a", "b")
    client.post(f"/checklist/{a}/delete")
    assert items.texts(team["task"]) == ["b"]


def test_checking_the_last_item_offers_to_complete_but_never_completes(
    client, app, make, team, items
):
    a, b = items.add(team["task"], "a", "b")
    client.post(f"/checklist/{a}/check", data={"done": "1"})
    assert "Mark task complete" not in client.get(f"/task/{team['task']}").get_data(as_text=True)
    client.post(f"/checklist/{b}/check", data={"done": "1"})
    html = client.get(f"/task/{team['task']}").get_data(as_text=True)
    assert "Every item is done" in html and "Mark task complete" in html
    assert make.get(Task, team["task"]).status == TaskStatus.PENDING


def test_mark_task_complete_goes_through_the_status_rule(
    client, app, make, team, items, monkeypatch
):
    seen = []
    monkeypatch.setitem(events._subscribers, TaskStatusChanged, [lambda s, e: seen.append(e)])
    (item,) = items.add(team["task"], "a")
    client.post(f"/checklist/{item}/check", data={"done": "1"})
    response = client.post(f"/task/{team['task']}/checklist/complete")
    assert response.status_code == 302
    task = make.get(Task, team["task"])
    assert task.status == TaskStatus.COMPLETED and task.completed_at is not None
    assert [(e.task_id, e.new_status, e.actor_id) for e in seen] == [
        (team["task"], "completed", team["ann"])
    ]
    assert "Mark task complete" not in client.get(f"/task/{team['task']}").get_data(as_text=True)


def test_complete_is_refused_while_items_are_open(client, make, team, items):
    items.add(team["task"], "a")
    client.post(f"/task/{team['task']}/checklist/complete")
    assert make.get(Task, team["task"]).status == TaskStatus.PENDING


def test_another_teams_task_and_items_are_not_found(client, make, team, items):
    stranger = make.user(email="sam@example.com")
    theirs = make.task(make.project(stranger, name="Theirs"), stranger)
    (item,) = items.add(theirs, "secret")
    assert client.post(f"/task/{theirs}/checklist", data={"text": "x"}).status_code == 404
    assert client.post(f"/task/{theirs}/checklist/complete").status_code == 404
    for action, data in [
        ("check", {"done": "1"}),
        ("edit", {"text": "x"}),
        ("move", {"direction": "up"}),
        ("delete", {}),
    ]:
        assert client.post(f"/checklist/{item}/{action}", data=data).status_code == 404
    assert items.texts(theirs) == ["secret"] and items.done(theirs) == [False]


def test_the_list_shows_progress_and_labels_in_a_fixed_number_of_queries(
    client, app, make, team, items, count_queries
):
    from tests.labels.conftest import Labels

    labels = Labels(app)
    ops = labels.add(team["project"], "ops")
    items.add(team["task"], "a", "b")
    labels.put(team["task"], ops)
    url = f"/projects/{team['project']}/tasks"
    html = client.get(url).get_data(as_text=True)
    assert "☑ 0/2" in html and ">ops</span>" in html
    with count_queries() as few:
        client.get(url)
    for n in range(15):
        task = make.task(team["project"], team["ann"], title=f"More {n}")
        items.add(task, "x", "y", "z")
        labels.put(task, ops)
    with count_queries() as many:
        html = client.get(url).get_data(as_text=True)
    assert html.count("0/3") == 15
    assert len(many) == len(few)
