"""The bell through the API: my notifications newest first, paged, and marking them read."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from app.core.database import utcnow
from app.extensions import db
from app.notifications.models import Notification


def notify(app: Flask, user_id: int, count: int, read: bool = False) -> list[int]:
    now = utcnow()
    with app.app_context():
        rows = [
            Notification(
                user_id=user_id,
                kind="commented",
                message=f"note {n}",
                in_app=True,
                created_at=now - timedelta(minutes=count - n),
                read_at=now if read else None,
            )
            for n in range(count)
        ]
        db.session.add_all(rows)
        db.session.commit()
        return [row.id for row in rows]


def test_the_list_is_newest_first_and_pages_by_cursor(
    app: Flask, api_as, make, count_queries
) -> None:
    ann = make.user()
    ids = notify(app, ann, 5)
    api = api_as(ann)
    api.get("/api/v1/notifications")
    with count_queries() as statements:
        first = api.get("/api/v1/notifications?limit=3")
    assert [n["id"] for n in first.json] == ids[::-1][:3]
    # The token and its person, then one statement for the page: none per row.
    assert len([s for s in statements if "FROM notifications" in s]) == 1
    url = first.headers["Link"].split(">")[0][1:]
    second = api.get(url)
    assert [n["id"] for n in second.json] == ids[::-1][3:] and "Link" not in second.headers


def test_the_unread_filter_and_marking_one_and_all_read(app: Flask, api_as, make) -> None:
    ann = make.user()
    notify(app, ann, 1, read=True)
    unread = notify(app, ann, 2)
    api = api_as(ann)
    assert {n["id"] for n in api.get("/api/v1/notifications?unread=true").json} == set(unread)
    assert api.post(f"/api/v1/notifications/{unread[0]}/read").status_code == 204
    assert [n["id"] for n in api.get("/api/v1/notifications?unread=true").json] == [unread[1]]
    marked = api.post("/api/v1/notifications/read-all")
    assert marked.status_code == 200 and marked.json == {"marked": 1}
    assert api.get("/api/v1/notifications?unread=true").json == []


def test_someone_elses_notification_is_not_found(app: Flask, api_as, make) -> None:
    ann, bob = make.user(), make.user()
    [theirs] = notify(app, bob, 1)
    assert api_as(ann).post(f"/api/v1/notifications/{theirs}/read").status_code == 404
    assert make.get(Notification, theirs).read_at is None


def test_a_cursor_not_made_here_is_a_422(api_as, make) -> None:
    response = api_as(make.user()).get("/api/v1/notifications?cursor=WyJ4IiwxXQ")
    assert response.status_code == 422 and response.json["status"] == 422
