"""Recurring series through the API: the recurring pages' rules (a valid RRULE, members as
assignees) and the next due moment."""

from __future__ import annotations

from datetime import timedelta

from flask import Flask

from app.core.database import utcnow
from app.recurring.models import RecurringSeries


def test_a_member_starts_a_weekly_series_and_sees_its_next_due(app: Flask, api_as, make) -> None:
    ann, mia = make.user(), make.user()
    project = make.project(ann, members=(mia,))
    api = api_as(mia)
    starts = (utcnow() + timedelta(days=7)).replace(hour=9, minute=0, second=0, microsecond=0)
    made = api.post(
        f"/api/v1/projects/{project}/recurring",
        json={
            "title": "Weekly report",
            "rule": "rrule:freq=weekly",
            "starts_at": starts.isoformat(),
            "assignee_id": ann,
        },
    )
    assert made.status_code == 201, made.json
    assert made.json["rule"] == "FREQ=WEEKLY" and made.json["owner_id"] == mia
    assert made.json["next_due_at"] == starts.isoformat()
    listed = api.get(f"/api/v1/projects/{project}/recurring").json
    assert [s["id"] for s in listed] == [made.json["id"]]
    assert make.get(RecurringSeries, made.json["id"]).assignee_id == ann


def test_a_bad_rule_or_an_outside_assignee_is_a_422_on_its_field(api_as, make) -> None:
    ann, stranger = make.user(), make.user()
    project = make.project(ann)
    api = api_as(ann)
    url = f"/api/v1/projects/{project}/recurring"
    soon = (utcnow() + timedelta(days=30)).replace(microsecond=0)
    base = {"title": "x", "starts_at": soon.isoformat()}
    bad_rule = api.post(url, json={**base, "rule": "EVERY TUESDAY"})
    assert bad_rule.status_code == 422 and bad_rule.json["errors"][0]["field"] == "rule"
    outsider = api.post(url, json={**base, "rule": "FREQ=DAILY", "assignee_id": stranger})
    assert outsider.status_code == 422 and outsider.json["errors"][0]["field"] == "assignee_id"
    # Near today and without an offset: refused for the missing offset alone.
    naive_start = soon.replace(tzinfo=None).isoformat()
    naive = api.post(url, json={**base, "rule": "FREQ=DAILY", "starts_at": naive_start})
    assert naive.status_code == 422 and naive.json["errors"][0] == {
        "field": "starts_at",
        "message": "Not a valid date-time with a time zone offset.",
    }
    for far in (
        soon.replace(year=2),
        soon + timedelta(days=366 * 11),
        soon - timedelta(days=366 * 11),
    ):
        refused = api.post(url, json={**base, "rule": "FREQ=HOURLY", "starts_at": far.isoformat()})
        assert refused.status_code == 422 and refused.json["errors"][0] == {
            "field": "starts_at",
            "message": "Choose a first due date within 10 years of today.",
        }
    assert api.get(url).json == []
