import pytest
from sqlalchemy import select

from app.checklists.models import ChecklistItem
from app.extensions import db


@pytest.fixture
def team(make, auth):
    """Ann owns a project Bob belongs to, with one task; Ann is logged in."""
    ann = make.user(email="ann@example.com", name="Ann")
    bob = make.user(email="bob@example.com", name="Bob")
    project = make.project(ann, members=(bob,))
    task = make.task(project, ann, title="Ship it")
    auth.login("ann@example.com")
    return {"ann": ann, "bob": bob, "project": project, "task": task}


class Items:
    def __init__(self, app):
        self.app = app

    def add(self, task_id: int, *texts: str) -> list[int]:
        with self.app.app_context():
            items = [
                ChecklistItem(task_id=task_id, text=text, position=float(i + 1))
                for i, text in enumerate(texts)
            ]
            db.session.add_all(items)
            db.session.commit()
            return [item.id for item in items]

    def texts(self, task_id: int) -> list[str]:
        with self.app.app_context():
            return list(
                db.session.scalars(
                    select(ChecklistItem.text)
                    .where(ChecklistItem.task_id == task_id)
                    .order_by(ChecklistItem.position, ChecklistItem.id)
                )
            )

    def done(self, task_id: int) -> list[bool]:
        with self.app.app_context():
            return [
                done is not None
                for done in db.session.scalars(
                    select(ChecklistItem.done_at)
                    .where(ChecklistItem.task_id == task_id)
                    .order_by(ChecklistItem.position)
                )
            ]


@pytest.fixture
def items(app):
    return Items(app)
