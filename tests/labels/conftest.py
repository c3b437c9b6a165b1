import pytest
from sqlalchemy import insert

from app.extensions import db
from app.labels.models import Label, task_labels


@pytest.fixture
def team(make, auth):
    """Ann owns a project Bob belongs to; Ann is logged in."""
    ann = make.user(email="ann@example.com", name="Ann")
    bob = make.user(email="bob@example.com", name="Bob")
    project = make.project(ann, members=(bob,))
    auth.login("ann@example.com")
    return {"ann": ann, "bob": bob, "project": project}


class Labels:
    def __init__(self, app):
        self.app = app

    def add(self, project_id: int, name: str, color: str = "#3b6ea8") -> int:
        with self.app.app_context():
            label = Label(project_id=project_id, name=name, color=color)
            db.session.add(label)
            db.session.commit()
            return label.id

    def put(self, task_id: int, *label_ids: int) -> None:
        with self.app.app_context():
            db.session.execute(
                insert(task_labels), [{"task_id": task_id, "label_id": i} for i in label_ids]
            )
            db.session.commit()


@pytest.fixture
def labels(app):
    return Labels(app)
