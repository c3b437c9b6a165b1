"""Every route from app.url_map: CSRF on each POST, no GET changes state, no cross-team ids."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from flask import Flask
from itsdangerous import TimestampSigner, URLSafeTimedSerializer
from werkzeug.routing import IntegerConverter

from app.accounts import tokens
from app.accounts.models import User
from app.actions.links import issue as issue_action_link
from app.calendars.service import turn_on_feed
from app.extensions import db
from app.preferences import service as preference_rules
from tests.conftest import DEFAULT_PASSWORD, wait_for_earlier_jobs
from tests.security.routes import (
    ADMIN,
    API,
    CSRF_EXEMPT,
    OWN,
    ROUTES,
    STATE_CHANGING_GETS,
    TEAM,
    methods,
    rules_by_endpoint,
    url_for_rule,
)
from tests.security.snapshots import (
    changed_tables,
    csrf_token_from,
    database_fingerprint,
    login_with_csrf,
)
from tests.security.world import World


@pytest.fixture
def full_app(make_app, tmp_path: Path) -> Flask:
    """The app with every blueprint, the development ones included, and CSRF on."""
    (tmp_path / "mail").mkdir()
    return make_app(
        WTF_CSRF_ENABLED=True,
        DEV_MAILBOX_DIR=str(tmp_path / "mail"),
        DEV_WEBHOOK_RECEIVER=True,
        READYZ_TIMEOUT_SECONDS=1,
    )


def test_every_route_has_a_row_and_every_row_a_route(full_app):
    endpoints = set(rules_by_endpoint(full_app))
    assert endpoints - set(ROUTES) == set(), "new routes: add them to tests/security/routes.py"
    assert set(ROUTES) - endpoints == set(), "rows for routes that no longer exist"
    assert set(CSRF_EXEMPT) <= set(ROUTES) and set(STATE_CHANGING_GETS) <= set(ROUTES)


def post_routes(app: Flask) -> list[tuple[str, object]]:
    return sorted(
        (endpoint, rule)
        for endpoint, rule in rules_by_endpoint(app).items()
        if "POST" in methods(rule)
    )


class PastSigner(TimestampSigner):
    """Signs as if two hours ago, beyond Flask-WTF's one-hour limit."""

    def get_timestamp(self) -> int:
        return int(time.time()) - 2 * 3600


def stale_and_foreign_tokens(app: Flask, client) -> list[str]:
    """A token for this session signed too long ago, and a fresh one for another session."""
    client.get("/")  # a page with a form puts the session's raw token in place
    with client.session_transaction() as session:
        raw = session["csrf_token"]
    secret = app.config["SECRET_KEY"]
    stale = URLSafeTimedSerializer(secret, salt="wtf-csrf-token", signer=PastSigner).dumps(raw)
    foreign = URLSafeTimedSerializer(secret, salt="wtf-csrf-token").dumps("0" * 40)
    return [stale, foreign]


def test_every_post_without_a_valid_csrf_token_is_refused_and_changes_nothing(app, full_app, world):
    client = full_app.test_client()
    login_with_csrf(client, world.b.owner_email, DEFAULT_PASSWORD)
    bad_tokens = [None, *stale_and_foreign_tokens(full_app, client)]
    # Refused posts queue nothing, so one wait suffices: no job an earlier test left behind
    # writes (task_runs) while the fingerprints below are compared.
    wait_for_earlier_jobs(app)
    checked = 0
    for endpoint, rule in post_routes(full_app):
        if endpoint in CSRF_EXEMPT or ROUTES[endpoint].access == API:
            continue  # the API reads no cookie, so there is no session to forge requests with
        url = url_for_rule(rule, ROUTES[endpoint].values(world))
        for token in bad_tokens:
            before = database_fingerprint(full_app)
            data = {"csrf_token": token} if token else {}
            response = client.post(url, data=data)
            assert response.status_code == 400, (endpoint, token, response.status_code)
            assert b"form had expired or was not sent from Tickler" in response.data, endpoint
            assert changed_tables(before, database_fingerprint(full_app)) == [], endpoint
            checked += 1
    assert checked >= 3 * 40, "the table covers every form"
    # Still logged in: the refused logout did not log out.
    assert client.get("/").status_code == 200


def valid_tokens(app: Flask, world: World) -> dict[str, str]:
    """Genuine links for team B's owner, so the token routes show their real pages."""
    secret = app.config["SECRET_KEY"]
    with app.app_context():
        owner = db.session.get(User, world.b.owner_id)
        return {
            "account.reset_password": tokens.issue(secret, tokens.PASSWORD_RESET, owner),
            "account.verify_email": tokens.issue(secret, tokens.EMAIL_VERIFICATION, owner),
            "actions.act": issue_action_link(secret, owner.id, world.b.task_id, "done"),
            "invitations.show": world.b.invitation_token,
            "preferences.unsubscribe": preference_rules.unsubscribe_token(
                secret, owner.id, "task_reminder"
            ),
        }


# Any page refreshes the login session's last-seen time, at most every 5 minutes
# (LAST_SEEN_EVERY): a slow run of the loop below passes that mark at whichever page comes next.
BOOKKEEPING_ON_ANY_PAGE = frozenset({"user_sessions"})


def test_no_get_changes_what_is_stored(app, full_app, world):
    client = full_app.test_client()
    login_with_csrf(client, world.b.owner_email, DEFAULT_PASSWORD)
    links = valid_tokens(full_app, world)
    seen = 0
    # A job an earlier page queued (analytics) may land during a later page when a worker runs.
    queued_earlier: set[str] = set()
    for endpoint, rule in sorted(rules_by_endpoint(full_app).items()):
        allowed, _ = STATE_CHANGING_GETS.get(endpoint, (frozenset(), ""))
        if "GET" not in methods(rule) or allowed is None:
            continue
        values = ROUTES[endpoint].values(world)
        if endpoint in links:
            values = {**values, "token": links[endpoint]}
        # Only this GET may write now: no job queued earlier (by an earlier test, or by an
        # analytics page just opened, which may) is left to write during it.
        wait_for_earlier_jobs(app)
        before = database_fingerprint(full_app)
        response = client.get(url_for_rule(rule, values))
        # /readyz says 503 here: no worker answers its ping in this test.
        assert response.status_code < 500 or endpoint == "health.readyz", endpoint
        changed = set(changed_tables(before, database_fingerprint(full_app)))
        assert changed <= allowed | queued_earlier | BOOKKEEPING_ON_ANY_PAGE, (endpoint, changed)
        queued_earlier |= allowed
        seen += 1
    assert seen >= 40


def test_another_teams_objects_are_not_found_by_id(app, client, auth, world):
    """Mallory, a member of team A, tries every id of team B with every method: 404 each time,
    and nothing of B changes. Bob, B's owner, opens the same pages, so the ids are real."""
    rules = rules_by_endpoint(app)
    urls = {
        endpoint: url_for_rule(rules[endpoint], route.values(world))
        for endpoint, route in ROUTES.items()
        if route.access in (TEAM, OWN, ADMIN) and endpoint in rules
    }
    auth.login(world.member_a_email)
    before = database_fingerprint(app)
    tried = 0
    for endpoint, url in sorted(urls.items()):
        expected = {403, 404} if ROUTES[endpoint].access == ADMIN else {404}
        for method in sorted(methods(rules[endpoint])):
            response = client.open(url, method=method, data={})
            assert response.status_code in expected, (endpoint, method, response.status_code)
            assert b"Secret task of bob" not in response.data, endpoint
            tried += 1
    assert tried >= 45
    assert changed_tables(before, database_fingerprint(app)) == []

    owner = app.test_client()
    owner.post("/login", data={"email": world.b.owner_email, "password": DEFAULT_PASSWORD})
    for endpoint, url in urls.items():
        if "GET" in methods(rules[endpoint]) and ROUTES[endpoint].access != ADMIN:
            assert owner.get(url).status_code != 404, f"{endpoint}: the table's ids are wrong"


# Ids past the INTEGER column's range: once a 500 ("integer out of range" on PostgreSQL).
OUT_OF_RANGE_IDS = (2**31, 2**63, 10**30)


def int_arguments(rule) -> list[str]:
    return [
        name
        for name, converter in rule._converters.items()
        if isinstance(converter, IntegerConverter)
    ]


def test_ids_beyond_the_column_range_are_not_found_on_every_int_route(full_app, world):
    """Bob, admin and team B's owner, so only the id itself can make the answer a 404."""
    client = full_app.test_client()
    login_with_csrf(client, world.b.owner_email, DEFAULT_PASSWORD)
    token = csrf_token_from(client, "/projects/new")
    tried = 0
    for endpoint, rule in sorted(rules_by_endpoint(full_app).items()):
        names = int_arguments(rule)
        if not names:
            continue
        real = ROUTES[endpoint].values(world)
        for huge in OUT_OF_RANGE_IDS:
            for name in names:
                url = url_for_rule(rule, {**real, name: huge})
                for method in sorted(methods(rule)):
                    response = client.open(url, method=method, data={"csrf_token": token})
                    assert response.status_code == 404, (endpoint, name, huge, method)
                    tried += 1
    assert tried >= 3 * 40, "every <int:...> route of the table"


# url_for's own keywords, and `endpoint` (its first argument's name), passed as query values.
URL_FOR_KEYWORDS = {
    "_external": "1",
    "_scheme": "javascript",
    "_anchor": "x",
    "_method": "POST",
    "endpoint": "auth.login",
}


def test_url_for_keywords_in_the_query_string_are_ignored_on_every_get(full_app, world, make):
    """Page 2 of a one-task-a-page list, so the pager (url_with) builds links from the query."""
    make.task(world.b.project_id, world.b.owner_id, title="A second task")
    full_app.config["TASKS_PER_PAGE"] = 1
    client = full_app.test_client()
    login_with_csrf(client, world.b.owner_email, DEFAULT_PASSWORD)
    links = valid_tokens(full_app, world)
    seen = 0
    for endpoint, rule in sorted(rules_by_endpoint(full_app).items()):
        if "GET" not in methods(rule) or endpoint in ("static", "health.readyz"):
            continue
        values = {
            **ROUTES[endpoint].values(world),
            **({"token": links[endpoint]} if endpoint in links else {}),
        }
        # The route's own value names too: url_for would be given them twice.
        query = {**URL_FOR_KEYWORDS, **{name: "1" for name in rule.arguments}, "page": "2"}
        response = client.get(url_for_rule(rule, values), query_string=query)
        assert response.status_code < 500, (endpoint, response.status_code)
        assert b"javascript:" not in response.data, endpoint
        seen += 1
    assert seen >= 40
    pager = client.get(f"/projects/{world.b.project_id}/tasks", query_string=URL_FOR_KEYWORDS)
    assert b'rel="next"' in pager.data and b"//localhost" not in pager.data


# Query and form values that name an id (or a page), as the pages read them: each goes through
# app.core.web.converters.parse_id (or paging.parse_page), never `type=int` or a bare isdigit().
ID_VALUE_NAMES = (
    "project",
    "project_id",
    "assignee",
    "label",
    "above",
    "below",
    "project_shown",
    "project_emails",
    "page",
)
# Past the column's range, negative, and a digit to str.isdigit() that int() refuses.
ODD_ID_VALUES = (*(str(huge) for huge in OUT_OF_RANGE_IDS), "-1", "0", "²", "١٢")
# The POST routes that read ids from their form; the rest are swept by GET only, since a
# POST with real path ids would do what it does (log out, delete) to the next request's world.
ID_READING_POSTS = (
    "board.move",
    "calendar.move",
    "exports.start_mine",
    "exports.start_project",
    "labels.set_for_task",
    "preferences.edit",
)


def test_odd_ids_in_query_and_form_values_never_answer_500(full_app, world):
    client = full_app.test_client()
    login_with_csrf(client, world.b.owner_email, DEFAULT_PASSWORD)
    token = csrf_token_from(client, "/projects/new")
    with full_app.app_context():
        links = {
            **valid_tokens(full_app, world),
            "calendar.feed": turn_on_feed(db.session, world.b.owner_id),
        }
        db.session.commit()
    swept = 0
    for endpoint, rule in sorted(rules_by_endpoint(full_app).items()):
        if endpoint in ("static", "health.readyz"):
            continue
        values = {
            **ROUTES[endpoint].values(world),
            **({"token": links[endpoint]} if endpoint in links else {}),
        }
        url = url_for_rule(rule, values)
        for odd in ODD_ID_VALUES:
            named = {name: odd for name in ID_VALUE_NAMES}
            if "GET" in methods(rule):
                response = client.get(url, query_string=named)
                assert response.status_code < 500, (endpoint, odd, response.status_code)
                swept += 1
            if endpoint in ID_READING_POSTS:
                form = {"csrf_token": token, "format": "csv", "day": "2030-01-07", **named}
                response = client.post(url, data=form)
                assert response.status_code < 500, (endpoint, odd, response.status_code)
    assert swept >= 40 * len(ODD_ID_VALUES)
    # The feed answered 500 on PostgreSQL ("integer out of range") for this one.
    feed = client.get(f"/calendar/feed/{links['calendar.feed']}.ics?project=2147483648")
    assert feed.status_code == 404
