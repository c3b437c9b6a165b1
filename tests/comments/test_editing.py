"""Editing a comment: its writer may, and anyone else is told that only the writer can."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.comments.models import Comment
from app.extensions import db


@pytest.fixture
def comment(app, client, make, auth) -> int:
    ann = make.user(email="ann@example.com")
    bob = make.user(email="bob@example.com")
    task = make.task(make.project(ann, members=(bob,)), ann, title="Paint the shed")
    auth.login("ann@example.com")
    client.post(f"/task/{task}/comments", data={"body": "Blue, I think."})
    with app.app_context():
        return db.session.scalars(select(Comment.id)).one()


@pytest.mark.parametrize("method", ["get", "post"])
def test_someone_elses_comment_says_only_its_author_can_edit_it(client, auth, comment, method):
    # Ann owns the project; Bob did not write the comment.
    auth.logout()
    auth.login("bob@example.com")
    response = getattr(client, method)(f"/comments/{comment}/edit", data={"body": "Red."})
    page = response.data.decode()
    assert response.status_code == 403
    assert "Only its author can edit a comment." in page
    assert "owners" not in page


def test_the_author_edits_their_own_comment(app, client, comment):
    response = client.post(f"/comments/{comment}/edit", data={"body": "Green, after all."})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Comment, comment).body == "Green, after all."
