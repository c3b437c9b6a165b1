"""The "your export is ready" email: sent once, to the person who asked, with link and expiry."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from app.core.timezones import format_local
from app.exports.jobs import export_tasks_async, send_export_ready
from app.exports.models import Export
from app.extensions import db
from app.projects.models import Project
from app.projects.service import remove_member
from tests.exports.test_jobs import new_export

pytestmark = pytest.mark.worker


@pytest.fixture
def export_dir(app, tmp_path, monkeypatch):
    path = tmp_path / "exports"
    monkeypatch.setitem(app.config, "EXPORT_DIR", str(path))
    monkeypatch.setitem(app.config, "EXPORT_TTL_HOURS", 24)
    return path


def test_a_finished_export_emails_its_owner_once_with_the_link_and_expiry(
    app, make, smtp, celery_worker, export_dir
):
    ann = make.user(email="ann@example.com", name="Ann", timezone="Europe/Berlin")
    bob = make.user(email="bob@example.com")
    project = make.project(ann, name="Garden", members=(bob,))
    make.task(project, ann, title="Dig")
    make.task(project, ann, title="Plant")
    export_id = new_export(app, ann, project)
    assert export_tasks_async.delay(export_id).get(timeout=30)["status"] == "done"
    assert export_tasks_async.delay(export_id).get(timeout=30)["status"] == "skipped"

    [message] = smtp.wait_for(1)
    assert message.envelope_recipients == ["ann@example.com"]
    assert message["Subject"] == "Your export of Garden is ready"
    export = make.get(Export, export_id)
    expires = format_local(export.expires_at, "Europe/Berlin")
    assert export.expires_at - export.finished_at == timedelta(hours=24)
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    link = f"http://localhost/exports/{export_id}/download"
    assert "Hi Ann" in text and "2 tasks of Garden" in text and "CSV file" in text
    assert f"Download the file: {link}" in text and expires in text
    assert 'class="button"' in html and f'href="{link}"' in html
    assert "word-break:break-all" in html.replace(" ", "")
    time.sleep(0.5)  # a second email, had the second run sent one, would be here by now
    assert len(smtp.messages) == 1


def test_a_my_tasks_export_says_so(app, make, smtp, celery_worker, export_dir):
    ann = make.user(email="ann@example.com")
    project = make.project(ann)
    make.task(project, ann, assignee_id=ann)
    export_id = new_export(app, ann, None, export_format="xlsx")
    assert export_tasks_async.delay(export_id).get(timeout=30)["status"] == "done"
    [message] = smtp.wait_for(1)
    assert message["Subject"] == "Your export of my tasks is ready"
    text = message.get_body(("plain",)).get_content()
    assert "XLSX file" in text and "1 task assigned to you" in text


def test_a_failed_export_sends_no_ready_email(app, make, smtp, celery_worker, export_dir):
    ann, bob = make.user(), make.user()
    project = make.project(ann, members=(bob,))
    make.task(project, ann)
    export_id = new_export(app, bob, project)
    with app.app_context():
        remove_member(db.session, db.session.get(Project, project), bob)
        db.session.commit()
    assert export_tasks_async.delay(export_id).get(timeout=30)["status"] == "failed"
    assert send_export_ready.delay(export_id).get(timeout=30)["sent"] is False
    time.sleep(0.5)
    assert smtp.messages == []
