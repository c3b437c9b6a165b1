"""Every page a person can reach fits a 1280 px desktop and a 390 px phone: no sideways scroll,
no missing favicon or other subresource. The page list comes from app.url_map, so a new page
fails test_every_get_page_is_listed until it has a row here."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from app import create_app
from app.accounts import tokens
from app.accounts.models import User
from app.actions.links import issue as issue_action_link
from app.core.database import utcnow
from app.extensions import db, limiter
from app.preferences import service as preference_rules
from app.projects import invitations
from tests.browser.layout_world import (
    ADMIN_EMAIL,
    MEMBER_EMAIL,
    PASSWORD,
    LayoutWorld,
    build_layout_world,
)
from tests.conftest import app_settings, clear_tables, current_celery_apps, restore_celery_apps
from tests.security.routes import url_for_rule

pytestmark = [pytest.mark.browser]

WIDTHS = (1280, 390)
# Set to a folder to keep a full-page screenshot of every page at every width, to look at.
SHOTS = os.environ.get("TICKLER_LAYOUT_SHOTS")

ANYONE, PERSON = "anyone", "person"  # visited logged out / logged in (admin, then a member)


@dataclass(frozen=True)
class Page:
    who: str
    values: Callable[[LayoutWorld, dict[str, str]], dict[str, Any]] = lambda world, links: {}
    query: str = ""  # a query string to add ("?q=..."): the page with something on it


def token_of(endpoint: str) -> Callable[[LayoutWorld, dict[str, str]], dict[str, Any]]:
    return lambda world, links: {"token": links[endpoint]}


PAGES: dict[str, Page] = {
    "auth.login": Page(ANYONE),
    "auth.register": Page(ANYONE),
    "account.forgot_password": Page(ANYONE),
    "account.reset_password": Page(ANYONE, token_of("account.reset_password")),
    "account.verify_email": Page(ANYONE, token_of("account.verify_email")),
    "account.resume_address": Page(ANYONE, token_of("account.resume_address")),
    "actions.act": Page(ANYONE, token_of("actions.act")),
    "preferences.unsubscribe": Page(ANYONE, token_of("preferences.unsubscribe")),
    "invitations.show": Page(ANYONE, token_of("invitations.show")),
    "dashboard.index": Page(PERSON),
    "projects.index": Page(PERSON),
    "projects.new": Page(PERSON),
    "projects.edit": Page(PERSON, lambda w, _: {"project_id": w.project_id}),
    "projects.members": Page(PERSON, lambda w, _: {"project_id": w.project_id}),
    "tasks.project_tasks": Page(PERSON, lambda w, _: {"project_id": w.project_id}),
    "tasks.new": Page(PERSON, lambda w, _: {"project_id": w.project_id}),
    "tasks.detail": Page(PERSON, lambda w, _: {"task_id": w.task_id}),
    "tasks.edit": Page(PERSON, lambda w, _: {"task_id": w.task_id}),
    "history.task": Page(PERSON, lambda w, _: {"task_id": w.task_id}),
    "activity.edit_comment": Page(PERSON, lambda w, _: {"comment_id": w.comment_id}),
    "archive.index": Page(PERSON, lambda w, _: {"project_id": w.project_id}),
    "board.show": Page(PERSON, lambda w, _: {"project_id": w.project_id}),
    "quickadd.preview": Page(PERSON, lambda w, _: {"project_id": w.project_id}),
    "labels.index": Page(PERSON, lambda w, _: {"project_id": w.project_id}),
    "labels.delete": Page(PERSON, lambda w, _: {"label_id": w.label_id}),
    "trash.index": Page(PERSON, lambda w, _: {"project_id": w.project_id}),
    "inbound_project.show": Page(PERSON, lambda w, _: {"project_id": w.project_id}),
    "trash.delete_project": Page(PERSON, lambda w, _: {"project_id": w.long_project_id}),
    "recurring.index": Page(PERSON, lambda w, _: {"project_id": w.project_id}),
    "recurring.new": Page(PERSON, lambda w, _: {"project_id": w.project_id}),
    "recurring.detail": Page(PERSON, lambda w, _: {"series_id": w.series_id}),
    "recurring.edit": Page(PERSON, lambda w, _: {"series_id": w.series_id}),
    "webhooks.index": Page(PERSON, lambda w, _: {"project_id": w.project_id}),
    "webhooks.detail": Page(PERSON, lambda w, _: {"subscription_id": w.subscription_id}),
    "analytics.project": Page(PERSON, lambda w, _: {"project_id": w.long_project_id}),
    "analytics.mine": Page(PERSON),
    "exports.index": Page(PERSON),
    "exports.show": Page(PERSON, lambda w, _: {"export_id": w.export_id}),
    "inbox.index": Page(PERSON),
    # Results with long titles, snippets from a long description, filters open.
    "search.index": Page(PERSON, query="?q=onboarding+enterprise&archived=1"),
    "preferences.edit": Page(PERSON),
    "profile.edit": Page(PERSON),
    "api_tokens.index": Page(PERSON),
    "api_docs.page": Page(ANYONE),
    "admin.jobs": Page(PERSON),
    "admin.reports": Page(PERSON),
    "admin.outbox": Page(PERSON),
    "admin.deliveries": Page(PERSON),
    "inbound_admin.index": Page(PERSON),
    "dev_mail.index": Page(PERSON),
    "dev_mail.show": Page(PERSON, lambda w, _: {"key": w.mail_key}),
    "dev_webhooks.index": Page(PERSON),
    "calendar.project_month": Page(PERSON, lambda w, _: {"project_id": w.project_id}),
    "calendar.project_week": Page(PERSON, lambda w, _: {"project_id": w.project_id}),
    "calendar.my_month": Page(PERSON),
    "calendar.my_week": Page(PERSON),
    "calendar.feed_settings": Page(PERSON),
}
# GET endpoints that are not pages a person reads, each with the reason.
NOT_PAGES = {
    "static": "files: the stylesheet, script and icon",
    "labels.static": "files: the label color picker's script",
    "favicon.icon": "redirects to the SVG icon (checked in test_the_icon_is_found)",
    "health.healthz": "JSON for load balancers",
    "health.readyz": "JSON for load balancers",
    "health.metrics_page": "Prometheus text",
    "exports.status": "JSON polled by the export page",
    "exports.download": "the file itself",
    "tasks.status": "JSON polled by the task page",
    "calendar.feed": "iCalendar for calendar apps (tests/calendars/test_feed.py, test_khal.py)",
}
# The REST API's endpoints and its OpenAPI document answer JSON to scripts, not pages
# (tests/api checks them; api_docs.page shows the document).
API_PREFIX = "/api/v1/"


def page_params() -> list[Any]:
    return list(PAGES)


@pytest.fixture(scope="module")
def layout_app(
    base_app: Flask, database_url: str, celery_settings: dict, tmp_path_factory
) -> Iterator[Flask]:
    """The app with the development pages, CSRF on, on the session's migrated database."""
    saved_celery, saved_limiter = current_celery_apps(), (limiter._storage, limiter._limiter)
    mail_dir = tmp_path_factory.mktemp("layout") / "mail"
    app = create_app(
        app_settings(
            database_url,
            celery_settings,
            WTF_CSRF_ENABLED=True,
            DEV_MAILBOX_DIR=str(mail_dir),
            DEV_WEBHOOK_RECEIVER=True,
            INBOUND_ADDRESS="tickler@example.com",
        )
    )
    # create_app made its Celery app current and its limiter storage the shared one: put the
    # session's back so later test modules are untouched.
    restore_celery_apps(saved_celery)
    limiter._storage, limiter._limiter = saved_limiter
    clear_tables(base_app)
    yield app
    with app.app_context():
        db.engine.dispose()
    clear_tables(base_app)


@pytest.fixture(scope="module")
def world(layout_app: Flask) -> LayoutWorld:
    return build_layout_world(layout_app, utcnow(), Path(layout_app.config["DEV_MAILBOX_DIR"]))


@pytest.fixture(scope="module")
def server(layout_app: Flask) -> Iterator[str]:
    http = make_server("127.0.0.1", 0, layout_app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()
    thread.join(10)


@pytest.fixture(scope="module")
def links(layout_app: Flask, world: LayoutWorld) -> dict[str, str]:
    """Genuine signed links for the admin, so token pages show their real content."""
    secret = layout_app.config["SECRET_KEY"]
    with layout_app.app_context():
        admin = db.session.scalar(db.select(User).where(User.email == ADMIN_EMAIL))
        # A long address, waiting on the members page and shown on the invitation's page.
        invitation = invitations.invite(
            db.session,
            world.project_id,
            "a.rather.long.address.for.invitations@subdomain.example-company.com",
            admin.id,
            utcnow(),
        )
        invitation_token = invitations.issue_token(db.session, invitation.id, utcnow())
        db.session.commit()
        return {
            "invitations.show": invitation_token,
            "account.reset_password": tokens.issue(secret, tokens.PASSWORD_RESET, admin),
            "account.verify_email": tokens.issue(secret, tokens.EMAIL_VERIFICATION, admin),
            "account.resume_address": tokens.issue(secret, tokens.ADDRESS_RESUME, admin),
            "actions.act": issue_action_link(secret, admin.id, world.task_id, "done"),
            # A task email's link: its page shows the most (what was turned off, and the
            # buttons for the project's and all task emails).
            "preferences.unsubscribe": preference_rules.unsubscribe_token(
                secret, admin.id, ["assigned"], world.project_id
            ),
        }


def logged_in_state(browser: Any, server: str, email: str) -> dict:
    context = browser.new_context()
    page = context.new_page()
    page.goto(f"{server}/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)
    state = context.storage_state()
    context.close()
    return state


@pytest.fixture(scope="module")
def sessions(browser: Any, server: str, world: LayoutWorld) -> dict[str, dict | None]:
    """Browser storage for each viewer: logged out, the admin, a plain member."""
    return {
        "anyone": None,
        "admin": logged_in_state(browser, server, ADMIN_EMAIL),
        "member": logged_in_state(browser, server, MEMBER_EMAIL),
    }


OVERFLOW_SCRIPT = r"""() => {
  const root = document.documentElement;
  const limit = root.clientWidth;
  const wide = [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().left + el.scrollWidth > limit + 0.5)
    .slice(0, 5)
    .map(el => [el.tagName.toLowerCase(), ...String(el.className || '').split(' ')].join('.'));
  const strayColons = [...document.querySelectorAll('td')]
    .filter(td => getComputedStyle(td, '::before').content === '": "').length;
  const emoji = (document.body.innerText.match(/\p{Emoji_Presentation}/u) || [null])[0];
  return {scrollWidth: root.scrollWidth, clientWidth: limit, wide, strayColons, emoji};
}"""


def save_screenshots(page: Any, stem: Path, width: int, height: int = 1200) -> None:
    """The page in screen-high pieces (a whole phone page shrinks past reading when shown)."""
    stem.parent.mkdir(parents=True, exist_ok=True)
    total = page.evaluate("document.documentElement.scrollHeight")
    for n, top in enumerate(range(0, total, height)):
        clip = {"x": 0, "y": top, "width": width, "height": min(height, total - top)}
        page.screenshot(path=f"{stem}-{n}.png", full_page=True, clip=clip)


class Viewer:
    """One browser page for one viewer at one width, kept for the module: a new browser context
    costs about half a second, and every listed page is opened four times. Each visit starts
    from the viewer's own cookies, as a fresh context from the same state would."""

    def __init__(self, browser: Any, state: dict | None, width: int) -> None:
        self.state, self.width = state, width
        self.context = browser.new_context(
            viewport={"width": width, "height": 900},
            storage_state=state,
            timezone_id="Europe/Berlin",
            locale="en-GB",
        )
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("response", self.note_failed_resource)
        self.page.on("console", self.note_refused_by_the_csp)

    def note_failed_resource(self, response: Any) -> None:
        if response.status >= 400 and response.request.resource_type != "document":
            self.problems.append(f"{response.status} for {response.url}")

    def note_refused_by_the_csp(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.problems.append(message.text)

    def start_afresh(self) -> None:
        self.problems = []
        self.context.clear_cookies()
        if self.state:
            self.context.add_cookies(self.state["cookies"])

    def close(self) -> None:
        self.context.close()


@pytest.fixture(scope="module")
def viewer_pages(browser: Any, sessions: dict[str, dict | None]) -> Iterator[dict[tuple, Viewer]]:
    opened = {
        (who, width): Viewer(browser, state, width)
        for who, state in sessions.items()
        for width in WIDTHS
    }
    yield opened
    for viewer in opened.values():
        viewer.close()


def visit(viewer: Viewer, url: str, shot: str) -> list[str]:
    """Open `url` at the viewer's width; the problems found, none when it fits and loads whole."""
    viewer.start_afresh()
    page, width, problems = viewer.page, viewer.width, viewer.problems
    response = page.goto(url)
    page.wait_for_load_state("load")
    if response is None or response.status >= 500:
        problems.append(f"answered {response.status if response else 'nothing'}")
    if viewer.state and "/login" in page.url and "/login" not in url:
        problems.append("sent to /login: the viewer's session did not carry over")
    if not page.locator("link[rel~=icon]").count():
        problems.append("no <link rel=icon>")
    measured = page.evaluate(OVERFLOW_SCRIPT)
    if measured["scrollWidth"] > measured["clientWidth"]:
        problems.append(
            f"{measured['scrollWidth']} px wide in a {measured['clientWidth']} px window; "
            f"sticking out: {measured['wide']}"
        )
    if measured["strayColons"]:
        problems.append(f"{measured['strayColons']} cells labelled with a bare ':'")
    if measured["emoji"]:
        problems.append(f"emoji {measured['emoji']!r}: boxes where no emoji font exists")
    if SHOTS:
        save_screenshots(page, Path(SHOTS) / f"{shot}-{width}", width)
    return [f"{width} px: {problem}" for problem in problems]


def test_every_get_page_is_listed(layout_app: Flask) -> None:
    endpoints = {
        rule.endpoint
        for rule in layout_app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.rule.startswith(API_PREFIX)
    }
    assert endpoints - set(PAGES) - set(NOT_PAGES) == set(), "new pages: add them to PAGES"
    assert (set(PAGES) | set(NOT_PAGES)) - endpoints == set(), "rows for pages that are gone"


@pytest.mark.parametrize("endpoint", page_params())
def test_page_fits_desktop_and_phone(
    endpoint: str, layout_app: Flask, world, links, server, viewer_pages
) -> None:
    spec = PAGES[endpoint]
    rules = {rule.endpoint: rule for rule in layout_app.url_map.iter_rules()}
    url = server + url_for_rule(rules[endpoint], spec.values(world, links)) + spec.query
    # The admin sees every page in full; a member sees the same URLs as a member (fewer
    # buttons) or as a refusal (admin and other people's pages), which must fit as well.
    viewers = ["anyone"] if spec.who == ANYONE else ["admin", "member"]
    problems = [
        f"{viewer} {problem}"
        for viewer in viewers
        for width in WIDTHS
        for problem in visit(
            viewer_pages[viewer, width], url, f"{endpoint}-{viewer}".replace(".", "_")
        )
    ]
    assert problems == [], f"{url}:\n" + "\n".join(problems)


def test_the_icon_is_found(server: str, browser) -> None:
    """Browsers ask for /favicon.ico whatever the page says; both it and the linked icon load."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(f"{server}/login")
        icon = page.locator("link[rel~=icon]").get_attribute("href")
        linked = context.request.get(f"{server}{icon}")
        assert linked.status == 200 and linked.headers["content-type"].startswith("image/svg")
        default = context.request.get(f"{server}/favicon.ico")
        assert default.status == 200 and default.headers["content-type"].startswith("image/")
    finally:
        context.close()


def open_as(browser: Any, state: dict | None, url: str, width: int) -> tuple[Any, Any]:
    context = browser.new_context(viewport={"width": width, "height": 900}, storage_state=state)
    page = context.new_page()
    page.goto(url)
    page.wait_for_load_state("load")
    return context, page


def line_count(page: Any, selector: str) -> list[int]:
    """How many lines each matching element's text takes."""
    return page.eval_on_selector_all(
        selector,
        """els => els.map(el => {
          const range = document.createRange(); range.selectNodeContents(el);
          return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
        })""",
    )


def test_the_phone_nav_is_a_menu_and_the_desktop_nav_a_row(server, browser, sessions) -> None:
    context, page = open_as(browser, sessions["admin"], f"{server}/", 390)
    try:
        assert page.locator(".topbar").bounding_box()["height"] < 80, "the phone header is one row"
        dashboard = page.locator(".nav-menu-panel a", has_text="Dashboard")
        assert not dashboard.is_visible()
        page.locator(".nav-menu summary").click()
        assert (
            dashboard.is_visible() and page.locator(".nav-menu-panel", has_text="Log out").count()
        )
        assert page.evaluate(OVERFLOW_SCRIPT)["scrollWidth"] <= 390
    finally:
        context.close()
    context, page = open_as(browser, sessions["admin"], f"{server}/", 1280)
    try:
        assert page.locator(".nav-links a", has_text="Dashboard").is_visible()
        assert not page.locator(".nav-menu summary").is_visible()
    finally:
        context.close()


def test_the_mail_preview_is_as_tall_as_the_email(server, browser, sessions, world) -> None:
    context, page = open_as(browser, sessions["admin"], f"{server}/dev/mail/{world.mail_key}", 1280)
    try:
        frame = page.locator("iframe.mail-frame")
        page.wait_for_function(
            """() => { const f = document.querySelector('iframe.mail-frame');
              const doc = f.contentDocument;
              return doc && doc.readyState === 'complete'
                && doc.documentElement.scrollHeight <= f.clientHeight + 1; }"""
        )
        assert frame.bounding_box()["height"] > 900, "a long email is shown whole"
    finally:
        context.close()


def test_the_listed_misalignments_stay_fixed(server, browser, sessions, world) -> None:
    admin = sessions["admin"]
    for width in WIDTHS:
        context, page = open_as(browser, admin, f"{server}/admin/reports", width)
        try:
            assert set(line_count(page, ".report-projects .muted")) == {1}, "figures unbroken"
        finally:
            context.close()
    context, page = open_as(browser, admin, f"{server}/projects/{world.project_id}/tasks", 1280)
    try:
        assert set(line_count(page, "td[data-label=Due] time")) == {1}, "due dates on one line"
    finally:
        context.close()
    members = f"{server}/projects/{world.project_id}/members"
    context, page = open_as(browser, admin, members, 1280)
    try:
        lefts = page.eval_on_selector_all(
            ".member-role", "els => els.map(el => Math.round(el.getBoundingClientRect().left))"
        )
        assert len(lefts) > 10 and len(set(lefts)) == 1, "role badges in one column"
    finally:
        context.close()
    context, page = open_as(browser, admin, f"{server}/projects/{world.project_id}/archive", 1280)
    try:
        offsets = page.eval_on_selector_all(
            "table.task-table tbody tr",
            """rows => rows.map(row => {
              const mid = el => {
                const r = el.getBoundingClientRect(); return r.top + r.height / 2;
              };
              return Math.abs(mid(row.querySelector('button')) - mid(row.querySelector('.badge')));
            })""",
        )
        assert offsets and max(offsets) <= 3, "Restore buttons level with their row's text"
    finally:
        context.close()
    context, page = open_as(browser, admin, f"{server}/exports/", 1280)
    try:
        intro = page.locator(".filters-intro").bounding_box()
        status = page.locator("form.filters fieldset").first.bounding_box()
        assert intro["y"] + intro["height"] <= status["y"], "the intro sits above the filters"
    finally:
        context.close()
    context, page = open_as(browser, admin, f"{server}/admin/outbox", 1280)
    try:
        search = page.locator("main input[type=search]")
        styled = search.evaluate("el => [getComputedStyle(el).borderRadius, el.offsetHeight]")
        assert styled[0] == "8px" and styled[1] >= 44, "the search box looks like the selects"
    finally:
        context.close()
