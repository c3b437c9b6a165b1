"""`make run`'s demo workspace shows labels on tasks and a half-done checklist."""

from sqlalchemy import select

from app.checklists.queries import progress_for_tasks
from app.extensions import db
from app.labels.models import Label
from app.labels.queries import labels_for_tasks
from app.tasklist.models import Task


def test_demo_has_labels_on_tasks_and_a_checklist(app):
    with app.app_context():
        app.test_cli_runner().invoke(args=["seed-demo"])
        names = set(db.session.scalars(select(Label.name)))
        assert {"ops", "design", "bug"} <= names
        ids = dict(db.session.execute(select(Task.title, Task.id)).all())
        labels = labels_for_tasks(db.session, ids.values())
        assert [label.name for label in labels[ids["Fix broken links on pricing page"]]] == ["bug"]
        progress = progress_for_tasks(db.session, [ids["Write launch announcement"]])
        assert str(progress[ids["Write launch announcement"]]) == "2/4"
