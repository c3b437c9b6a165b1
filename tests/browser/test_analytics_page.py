"""The analytics page in a real browser at phone width: no network beyond the app, no overflow."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from app.analytics.jobs import compute_project_analytics
from app.analytics.models import AnalyticsScope
from tests.analytics.test_jobs import snapshot
from tests.analytics.test_rules import NOW
from tests.analytics_fixture import add_fixture_tasks
from tests.conftest import DEFAULT_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.worker]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-results"


def test_the_charts_fit_a_phone_and_refresh_goes_through_the_worker(live_server, page, app, make):
    ann = make.user(email="ann@example.com", name="Ann")
    project = make.project(ann, name="Garden makeover")
    add_fixture_tasks(app, make, project, ann)
    compute_project_analytics.delay(project, as_of=NOW.isoformat()).get(timeout=30)
    first = snapshot(app, AnalyticsScope.PROJECT, project).computed_at

    hosts = []
    page.on("request", lambda request: hosts.append(request.url.split("/")[2]))
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(f"{live_server}/login")
    page.fill("input[name=email]", "ann@example.com")
    page.fill("input[name=password]", DEFAULT_PASSWORD)
    page.click("button:has-text('Log in')")
    page.goto(f"{live_server}/projects/{project}/analytics")
    assert page.locator("svg.chart-svg").count() == 4
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert "60%" in page.content() and "7 days" in page.content()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "analytics-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(ARTIFACTS / "analytics-desktop.png"), full_page=True)

    page.click("button:has-text('Refresh')")  # CSRF on, as in production
    page.wait_for_selector("text=Recomputing the numbers")
    deadline = time.monotonic() + 30
    while snapshot(app, AnalyticsScope.PROJECT, project).computed_at == first:
        assert time.monotonic() < deadline, "the refresh never reached the worker"
        time.sleep(0.1)
    assert set(hosts) == {live_server.split("/")[2]}
