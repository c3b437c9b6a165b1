"""A team for the calendar tests: Ann in New York owns a project Bob belongs to; Cy is in
another team. Dates are fixed far from today, so no test depends on the date it runs."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from app.extensions import db
from app.labels.models import Label, task_labels

NEW_YORK = "America/New_York"
# 23:30 on Monday 7 December 2026 in New York; already Tuesday in UTC.
LATE_MONDAY = datetime(2026, 12, 8, 4, 30, tzinfo=UTC)
# 09:00 on Wednesday 9 December 2026 in New York.
WEDNESDAY_NINE = datetime(2026, 12, 9, 14, 0, tzinfo=UTC)


@pytest.fixture
def team(make: Any) -> dict[str, int]:
    ann = make.user(email="ann@example.com", name="Ann", timezone=NEW_YORK)
    bob = make.user(email="bob@example.com", name="Bob", timezone="Asia/Tokyo")
    cy = make.user(email="cy@example.com", name="Cy")
    project = make.project(ann, name="Launch", members=(bob,))
    other = make.project(cy, name="Elsewhere")
    return {"ann": ann, "bob": bob, "cy": cy, "project": project, "other": other}


def add_label(app: Any, project_id: int, task_id: int, name: str, color: str = "#1565c0") -> None:
    with app.app_context():
        label = Label(project_id=project_id, name=name, color=color)
        db.session.add(label)
        db.session.flush()
        db.session.execute(task_labels.insert().values(task_id=task_id, label_id=label.id))
        db.session.commit()
