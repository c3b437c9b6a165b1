"""The Tickler application factory: config, extensions, Celery, blueprints, errors, CLI."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask
from flask_babel import lazy_gettext

from config import INSTANCE_DIR, Config, ConfigError, load_config

__all__ = ["ConfigError", "bind_tasks_to_configured_celery", "create_app"]

# How many create_app calls are under way: the factory imports the tasks itself and then
# makes its own Celery app the default, so those imports must not build another app.
_factories_running = 0


def create_app(config: str | Config | dict[str, Any] | None = None) -> Flask:
    """Build the app. `config` is an environment name, a Config, or overrides on the default."""
    global _factories_running
    _factories_running += 1
    try:
        app = Flask(__name__, instance_path=str(INSTANCE_DIR), instance_relative_config=True)
        register_config(app, config)
        register_proxy_trust(app)
        register_logging(app)
        warn_of_exposed_development_key(app)
        register_models()
        register_templates(app)
        register_extensions(app)
        register_celery(app)
        register_event_subscribers()
        register_blueprints(app)
        register_api(app)
        register_errorhandlers(app)
        register_template_helpers(app)
        register_commands(app)
        return app
    finally:
        _factories_running -= 1


def bind_tasks_to_configured_celery() -> None:
    """Make Tickler's configured Celery app the default one, as `celery -A celery_worker` sees
    it (settings from the environment, `.env` and a running `make run`), unless an app of
    Tickler's already is or one is being built.

    The tasks are shared_task proxies, bound to whatever app is current when called; in a
    plain `python` that was Celery's own fallback app, which sends to amqp://localhost and
    so loses the job without a word."""
    from celery import _state

    # celery-types does not declare _state.default_app; it is Celery's module-level default.
    default_app = getattr(_state, "default_app", None)
    if _factories_running or getattr(default_app, "flask_app", None) is not None:
        return
    create_app({"MIGRATIONS": False})


def register_config(app: Flask, config: str | Config | dict[str, Any] | None) -> None:
    if isinstance(config, Config):
        settings = config
    elif isinstance(config, dict):
        settings = load_config(config.get("TICKLER_ENV"))
    else:
        settings = load_config(config)
    app.config.from_mapping(settings.as_dict())
    if isinstance(config, dict):
        _merge_overrides(app, config)


def _merge_overrides(app: Flask, overrides: dict[str, Any]) -> None:
    for key, value in overrides.items():
        if key == "CELERY":
            app.config["CELERY"] = {**app.config["CELERY"], **value}
        else:
            app.config[key] = value


def register_proxy_trust(app: Flask) -> None:
    """Read the client's address and scheme from X-Forwarded-For/-Proto, as set by exactly
    TRUSTED_PROXY_COUNT proxies (nginx: 1). Off by default: without a proxy those headers are
    the client's own words, and trusting them would let anyone pick the address limits count."""
    count = app.config.get("TRUSTED_PROXY_COUNT", 0)
    if count < 0:
        raise ConfigError(f"TRUSTED_PROXY_COUNT must be 0 or more, not {count}.")
    if count:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count)  # type: ignore[method-assign]


def register_logging(app: Flask) -> None:
    """LOG_LEVEL and LOG_FORMAT for this process; Celery's worker and beat get the same."""
    from app.core.logging_setup import FORMATS, configure_logging, connect_celery_signals

    level, log_format = app.config["LOG_LEVEL"], app.config["LOG_FORMAT"]
    if log_format not in FORMATS:
        raise ConfigError(f"LOG_FORMAT must be one of {', '.join(FORMATS)}, not {log_format!r}.")
    if not isinstance(logging.getLevelName(level), int):
        raise ConfigError(f"LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not {level!r}.")
    configure_logging(level, log_format)
    connect_celery_signals()


def warn_of_exposed_development_key(app: Flask) -> None:
    """`flask run --host 0.0.0.0` with TICKLER_ENV unset and the development key: say so.
    (gunicorn says it from deploy/gunicorn.conf.py, which knows its bind addresses.)"""
    import os

    import click

    from config import development_key_exposure

    context = click.get_current_context(silent=True)
    if context is None or context.info_name != "run" or not running_flask_cli():
        return
    host = str(context.params.get("host") or "127.0.0.1")
    warning = development_key_exposure(os.environ, app.config["SECRET_KEY"], [host])
    if warning:
        logging.getLogger("tickler.startup").warning("\n%s", warning)


# The features, each a package under app/ that may hold its own templates/ (pages and emails).
FEATURES = (
    "accounts",
    "projects",
    "tasklist",
    "comments",
    "reminders",
    "notifications",
    "preferences",
    "digests",
    "recurring",
    "webhooks",
    "exports",
    "analytics",
    "actions",
    "operations",
    "labels",
    "checklists",
    "search",
    "board",
    "calendars",
    "history",
    "quickadd",
    "inbound",
    "api",
)


def register_models() -> None:
    """Import every model, so relationships named by string resolve and the metadata is whole."""
    import app.model_registry  # noqa: F401


def register_templates(app: Flask) -> None:
    """The shared layout in app/templates first, then each feature's templates/ folder: a
    template keeps its name (`tasks/list.html`, `email/task_reminder.html`) wherever it lives."""
    from pathlib import Path

    from jinja2 import ChoiceLoader, FileSystemLoader

    root = Path(__file__).parent
    folders = [root / "templates", *(root / name / "templates" for name in FEATURES)]
    app.jinja_loader = ChoiceLoader(
        [FileSystemLoader(str(folder)) for folder in folders if folder.is_dir()]
    )


def register_extensions(app: Flask) -> None:
    from app.core import i18n
    from app.extensions import csrf, db, limiter, login_manager, mail

    db.init_app(app)
    register_migrations(app)
    mail.init_app(app)
    i18n.register(app)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = lazy_gettext("Please log in to see that page.")
    login_manager.login_message_category = "info"

    from flask import request

    from app.accounts.login_sessions import user_for_session
    from app.accounts.models import User

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        # The session or remember cookie's login session id; revoked or unknown ones log no
        # one in.
        return user_for_session(db.session, session_id, request.remote_addr)


def register_migrations(app: Flask) -> None:
    """Flask-Migrate (`flask db ...`), unless MIGRATIONS is off and this is not the flask CLI.

    It imports Alembic: 11 MB in every process. wsgi.py and celery_worker.py turn it off, as
    gunicorn and Celery never migrate; `flask --app wsgi db upgrade` still gets it."""
    if not (app.config["MIGRATIONS"] or running_flask_cli()):
        return
    from flask_migrate import Migrate

    from app.extensions import db

    Migrate(app, db, render_as_batch=True)


def running_flask_cli() -> bool:
    """True while the `flask` command loads the app (its click context is the root)."""
    import click
    from flask.cli import FlaskGroup

    context = click.get_current_context(silent=True)
    return context is not None and isinstance(context.find_root().command, FlaskGroup)


def register_celery(app: Flask) -> None:
    """Celery bound to the app, and the one after-commit outbox listening to every session, in
    every process (web and worker): no path that queues a job depends on the worker's imports."""
    from app.core import queueing
    from app.extensions import celery_init_app

    try:
        celery_init_app(app)
    except ValueError as error:
        raise ConfigError(f"Tickler cannot start: {error}") from None
    queueing.install()


def register_event_subscribers() -> None:
    """The features that act on domain events (app/core/events.py) subscribe here, once, in
    every process; the task and comment features record events without knowing who listens."""
    from app.history import subscribers as history
    from app.notifications import subscribers as notifications
    from app.webhooks import subscribers as webhooks

    notifications.register()
    webhooks.register()
    history.register()


def register_blueprints(app: Flask) -> None:
    from app.core.web.converters import BoundedIntConverter

    # Before any rule is added: every `<int:...>` route then refuses ids past the column's range.
    app.url_map.converters["int"] = BoundedIntConverter
    from app.accounts import account_views as account
    from app.accounts import auth_views as auth
    from app.accounts import profile_views as profile
    from app.actions import views as actions
    from app.analytics import views as analytics
    from app.api import docs_views as api_docs
    from app.api import token_views as api_tokens
    from app.board import views as board
    from app.calendars import views as calendar
    from app.checklists import views as checklists
    from app.comments import views as activity
    from app.core.web import favicon
    from app.exports import views as exports
    from app.history import views as history
    from app.inbound import admin_views as inbound_admin
    from app.inbound import bounce_views as inbound_bounces
    from app.inbound import project_views as inbound_project
    from app.labels import views as labels
    from app.notifications import inbox_views as inbox
    from app.operations import admin_views as admin
    from app.operations import dev_mailbox as dev_mail
    from app.operations import health_views as health
    from app.preferences import views as preferences
    from app.projects import invitation_views as invitations
    from app.projects import views as projects
    from app.quickadd import views as quickadd
    from app.recurring import views as recurring
    from app.search import views as search
    from app.tasklist import archive_views as archive
    from app.tasklist import dashboard_views as dashboard
    from app.tasklist import trash_views as trash
    from app.tasklist import views as tasks
    from app.webhooks import dev_receiver as dev_webhooks
    from app.webhooks import views as webhooks

    blueprints = (
        health,
        favicon,
        auth,
        account,
        dashboard,
        projects,
        invitations,
        tasks,
        recurring,
        webhooks,
        activity,
        archive,
        exports,
        inbox,
        profile,
        api_tokens,
        api_docs,
        preferences,
        admin,
        actions,
        analytics,
        trash,
        labels,
        checklists,
        search,
        board,
        calendar,
        history,
        quickadd,
        inbound_project,
        inbound_admin,
        inbound_bounces,
    )
    for module in blueprints:
        app.register_blueprint(module.bp)
    if app.config.get("DEV_MAILBOX_DIR") and app.config["TICKLER_ENV"] != "production":
        app.register_blueprint(dev_mail.bp)
    if app.config.get("DEV_WEBHOOK_RECEIVER") and app.config["TICKLER_ENV"] != "production":
        app.register_blueprint(dev_webhooks.bp)


def register_api(app: Flask) -> None:
    # Before the error handlers: flask-smorest registers a JSON one of its own for every
    # HTTPException, which ours (pages: HTML; /api/: problem+json) then replace.
    from app.api.setup import register_api as register

    register(app)


def register_errorhandlers(app: Flask) -> None:
    from app.core.web import security_headers
    from app.core.web.errors import register

    register(app)
    security_headers.register(app)


def register_template_helpers(app: Flask) -> None:
    import importlib
    import importlib.util

    from app.core.web import template_helpers
    from app.notifications import bell

    for module in (template_helpers, bell):
        module.register(app)
    # Each feature may give templates what its partials ask for (tasks/detail.html includes
    # a feature's partial, which calls that feature's globals): `app/<feature>/template_globals.py`.
    for feature in FEATURES:
        name = f"app.{feature}.template_globals"
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name).register(app)


def register_commands(app: Flask) -> None:
    from app.cli import register

    register(app)
