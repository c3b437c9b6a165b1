"""A task's history is written when it is shown, in its viewer's language: the same stored
rows read in German for one person and in Japanese for another."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.accounts.models import User
from app.extensions import db
from app.history.models import TaskActivity

WHEN = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)

EXPECTED = {
    "de": (
        "Bob hat das Fälligkeitsdatum von Mo., 7. Dez. 2026, 08:00 auf "
        "Di., 8. Dez. 2026, 08:00 geändert",
        "Bob hat sie von Offen auf In Arbeit gesetzt",
        "Verlauf von „Paint the shed“",
    ),
    "ja": (
        "Bobさんが期限を2026年12月7日(月) 8:00から2026年12月8日(火) 8:00に変更しました",
        "Bobさんが未着手から進行中に移しました",
        "「Paint the shed」の履歴",
    ),
    "en": (
        "Bob changed the due date from Mon 07 Dec 2026, 08:00 to Tue 08 Dec 2026, 08:00",
        "Bob moved it from Pending to In progress",
        "History of “Paint the shed”",
    ),
}


@pytest.mark.parametrize("language", ["de", "ja", "en"])
def test_history_reads_in_the_viewers_language(app, make, auth, client, language):
    ann = make.user(email="ann@example.com", name="Ann")
    project = make.project(ann)
    task = make.task(project, ann, title="Paint the shed")
    with app.app_context():
        db.session.get(User, ann).language = language
        db.session.add_all(
            [
                TaskActivity(
                    task_id=task,
                    project_id=project,
                    actor_name="Bob",
                    kind="changed",
                    field="due_at",
                    old_value="2026-12-07T08:00:00+00:00",
                    new_value="2026-12-08T08:00:00+00:00",
                    created_at=WHEN,
                ),
                TaskActivity(
                    task_id=task,
                    project_id=project,
                    actor_name="Bob",
                    kind="changed",
                    field="status",
                    old_value="pending",
                    new_value="in_progress",
                    created_at=WHEN,
                ),
            ]
        )
        db.session.commit()
    auth.login("ann@example.com")
    page = client.get(f"/task/{task}/history").get_data(as_text=True)
    for words in EXPECTED[language]:
        assert words in page, (language, words)
