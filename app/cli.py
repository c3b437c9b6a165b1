"""Flask CLI commands: `flask seed-demo`, `flask create-user`, `flask inbound ...`.

What they print is in the terminal's language (LC_ALL, LC_MESSAGES or LANG); their --help
stays English."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask_babel import gettext

from app import demo
from app.accounts.service import register_user
from app.core.database import utcnow
from app.core.errors import RuleViolation
from app.core.i18n import in_language
from app.core.terminal_language import terminal_language
from app.extensions import db
from app.inbound.cli import inbound_cli
from app.webhooks.url_safety import parse_allowed_hosts


def register(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(create_user)
    app.cli.add_command(inbound_cli)


@click.command("seed-demo")
def seed_demo() -> None:
    """Load the demo workspace, only into an empty database."""
    with in_language(terminal_language()):
        _seed_demo()


def _seed_demo() -> None:
    if not demo.is_empty(db.session):
        click.echo(gettext("Database already has users; demo data not loaded."))
        return
    config = current_app.config
    receiver = config["APP_BASE_URL"].rstrip("/") + "/dev/webhooks/receive"
    people = demo.load_demo_workspace(
        db.session,
        utcnow(),
        webhook_url=receiver if config.get("DEV_WEBHOOK_RECEIVER") else None,
        allowed_hosts=parse_allowed_hosts(config["WEBHOOK_ALLOWED_HOSTS"]),
    )
    db.session.commit()
    click.echo(gettext("Demo workspace loaded. Log in as:"))
    for person in people:
        click.echo(
            "  "
            + gettext(
                "%(email)s  password: %(password)s",
                email=person.email,
                password=demo.DEMO_PASSWORD,
            )
        )


@click.command("create-user")
@click.option("--email", prompt=True)
@click.option("--name", prompt=True)
@click.option("--timezone", default="UTC", show_default=True)
@click.option("--admin", is_flag=True, help="Give the account admin rights.")
@click.password_option()
def create_user(email: str, name: str, timezone: str, admin: bool, password: str) -> None:
    """Create an account from the command line (the first admin, say)."""
    with in_language(terminal_language()):
        _create_user(email, name, timezone, admin, password)


def _create_user(email: str, name: str, timezone: str, admin: bool, password: str) -> None:
    try:
        user = register_user(
            db.session, email=email, name=name, password=password, timezone=timezone
        )
    except RuleViolation as error:
        raise click.ClickException(str(error)) from None
    user.is_admin = admin
    db.session.commit()
    if admin:
        click.echo(gettext("Created admin account for %(email)s.", email=user.email))
    else:
        click.echo(gettext("Created account for %(email)s.", email=user.email))
