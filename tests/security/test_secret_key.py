"""A secret that is not secret: production refuses it, and an exposed development server says so.

With the development key (printed in config.py) anyone forges unsubscribe links, which named
the address of any user id, and Mark done links for any task."""

from __future__ import annotations

import secrets

import pytest

from app.preferences import service as preference_rules
from config import DEVELOPMENT_SECRET_KEY, ConfigError, development_key_exposure, load_config
from tests.processes import free_port, python_env, running
from tests.security.test_production import production_env  # noqa: F401 - a fixture

HOW_TO_MAKE_ONE = 'python -c "import secrets; print(secrets.token_hex(32))"'


@pytest.mark.parametrize(
    ("key", "message"),
    [
        (DEVELOPMENT_SECRET_KEY, "SECRET_KEY is the development key printed in config.py"),
        ("a" * 64, "SECRET_KEY is not random"),
        ("k" * 32, "SECRET_KEY is not random"),
        ("abcdefghijklmnopqrstuvwxyz0123456789", "SECRET_KEY is not random"),
        ("0123456789" * 4, "SECRET_KEY is not random"),
        ("Passw0rd" * 4, "SECRET_KEY is not random"),
        ("k" * 31, "SECRET_KEY is too short"),
    ],
)
def test_production_refuses_a_secret_key_that_is_not_secret(production_env, key, message):  # noqa: F811
    production_env.setenv("SECRET_KEY", key)
    with pytest.raises(ConfigError) as error:
        load_config("production")
    assert message in str(error.value)
    assert HOW_TO_MAKE_ONE in str(error.value)


@pytest.mark.parametrize(
    "make_key",
    [
        lambda: secrets.token_hex(16),
        lambda: secrets.token_hex(32),
        lambda: secrets.token_urlsafe(32),
    ],
    ids=["hex16", "hex32", "urlsafe32"],
)
def test_production_accepts_a_generated_secret_key(production_env, make_key):  # noqa: F811
    # Made in the test, not at collection: every test process must collect the same ids.
    key = make_key()
    production_env.setenv("SECRET_KEY", key)
    assert load_config("production").SECRET_KEY == key


def test_the_development_warning_needs_all_three_conditions():
    unset: dict[str, str] = {}
    assert development_key_exposure(unset, DEVELOPMENT_SECRET_KEY, ["0.0.0.0"])
    assert development_key_exposure(unset, DEVELOPMENT_SECRET_KEY, ["192.0.2.7", "::1"])
    assert not development_key_exposure(unset, DEVELOPMENT_SECRET_KEY, ["127.0.0.1", "::1"])
    assert not development_key_exposure(unset, DEVELOPMENT_SECRET_KEY, ["localhost", "unix:"])
    assert not development_key_exposure(unset, "x" * 64, ["0.0.0.0"])
    told = {"TICKLER_ENV": "development"}
    assert not development_key_exposure(told, DEVELOPMENT_SECRET_KEY, ["0.0.0.0"])


def startup_env(tmp_path) -> dict[str, str]:
    env = python_env(DATABASE_URL=f"sqlite:///{tmp_path / 'startup.db'}")
    for name in ("TICKLER_ENV", "SECRET_KEY", "FLASK_APP", "FLASK_RUN_HOST"):
        env.pop(name, None)
    return env


SERVERS = {
    "gunicorn": lambda host, port: (
        ["-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "-w", "1", "wsgi:app"],
        {"GUNICORN_BIND": f"{host}:{port}"},
        "Booting worker",
    ),
    "flask run": lambda host, port: (
        ["-m", "flask", "--app", "wsgi", "run", "--host", host, "--port", str(port)],
        {},
        "Running on",
    ),
}


@pytest.mark.parametrize("server", sorted(SERVERS))
def test_a_server_open_beyond_loopback_with_the_development_key_says_so_loudly(tmp_path, server):
    """The real servers, started as an operator would with TICKLER_ENV unset; each stops as soon
    as it has started (no request is sent to the open address)."""
    for host, warned in (("0.0.0.0", True), ("127.0.0.1", False)):
        args, extra, started = SERVERS[server](host, free_port())
        with running(args, {**startup_env(tmp_path), **extra}) as process:
            process.wait_for(started, timeout=60)
            if warned:
                process.wait_for("with the DEVELOPMENT SECRET_KEY", timeout=30)
            output = process.output
        assert ("DEVELOPMENT SECRET_KEY" in output) is warned, (server, host, output[-2000:])
        if warned:
            assert f"Tickler listens on {host}" in output
            assert HOW_TO_MAKE_ONE in output


def test_an_unsubscribe_page_never_shows_whose_address_it_is(app, client, world):
    """All an attacker holds is a link (forged with a known key, or forwarded): the page must not
    turn a user id into an address."""
    token = preference_rules.unsubscribe_token(
        app.config["SECRET_KEY"], world.b.owner_id, "task_reminder"
    )
    page = client.get(f"/unsubscribe/{token}")
    assert page.status_code == 200 and b"Unsubscribe" in page.data
    assert world.b.owner_email.encode() not in page.data
    assert b"@" not in page.data.split(b"<main", 1)[-1]
    done = client.post(f"/unsubscribe/{token}")
    assert done.status_code == 200
    assert world.b.owner_email.encode() not in done.data
