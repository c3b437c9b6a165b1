"""Extension instances, Celery wired to the Flask app, and the beat schedule as data."""

from __future__ import annotations

from celery import Celery, Task
from celery.signals import task_postrun, worker_process_init, worker_ready
from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from kombu import Queue

from app.core.database import Base
from app.schedule import build_beat_schedule
from app.task_catalog import TASK_ROUTING

db = SQLAlchemy(model_class=Base)
mail = Mail()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)
# The REST API's OpenAPI document and its blueprints (app/api/setup.py binds it).
api = Api()

# Every queue a worker may be asked to consume, in the order the routing table names them.
QUEUES: tuple[str, ...] = tuple(dict.fromkeys(queue for queue, _ in TASK_ROUTING.values()))
# Urgency in each broker's terms: RabbitMQ delivers higher numbers first, Redis lower ones.
PRIORITIES = {
    "amqp": {"high": 9, "normal": 5, "low": 1},
    "redis": {"high": 0, "normal": 5, "low": 9},
}
MAX_PRIORITY = 9


def broker_family(broker_url: str) -> str:
    scheme = broker_url.split("://", 1)[0].lower()
    if scheme in {"amqp", "amqps", "pyamqp"}:
        return "amqp"
    if scheme in {"redis", "rediss", "sentinel"}:
        return "redis"
    return "other"


def task_routes(broker_url: str) -> dict[str, dict[str, object]]:
    """The routing table as Celery wants it; with a priority where the broker has them."""
    levels = PRIORITIES.get(broker_family(broker_url))
    routes: dict[str, dict[str, object]] = {}
    for name, (queue, urgency) in TASK_ROUTING.items():
        routes[name] = {"queue": queue}
        if levels:
            routes[name]["priority"] = levels[urgency]
    return routes


def task_queues(broker_url: str) -> list[Queue]:
    if broker_family(broker_url) == "amqp":
        return [Queue(name, queue_arguments={"x-max-priority": MAX_PRIORITY}) for name in QUEUES]
    return [Queue(name) for name in QUEUES]


class FlaskCelery(Celery):
    """Celery that knows its Flask app, so code handed only the Celery app reaches Flask."""

    flask_app: Flask


def celery_init_app(app: Flask) -> FlaskCelery:
    """Build the Celery app from Flask config; every task runs inside the Flask app context."""

    class ContextTask(Task):
        def __call__(self, *args: object, **kwargs: object) -> object:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = FlaskCelery(app.name, task_cls=ContextTask)
    celery_app.config_from_object(app.config["CELERY"])
    broker_url = app.config["CELERY"]["broker_url"] or ""
    celery_app.conf.update(
        task_queues=task_queues(broker_url),
        task_routes=task_routes(broker_url),
        beat_schedule=build_beat_schedule(app.config.get("CELERY_SCHEDULE_OVERRIDES")),
        # The user's guide's modules, then each feature's jobs (task names are fixed strings).
        include=[
            "app.tasks.task_management",
            "app.tasks.demo_tasks",
            "app.digests.jobs",
            "app.tasklist.jobs",
            "app.notifications.jobs",
            "app.accounts.jobs",
            "app.projects.jobs",
            "app.recurring.jobs",
            "app.webhooks.jobs",
            "app.exports.jobs",
            "app.analytics.jobs",
            "app.operations.jobs",
            "app.tasks.inbound_mail",
            "app.inbound.jobs",
        ],
    )
    celery_app.flask_app = app
    celery_app.set_default()
    # Beat's DatabaseScheduler and the task tracking signals reach the database through it.
    celery_app.flask_app = app
    from app.operations.task_tracking import connect_task_tracking

    connect_task_tracking()
    from app.operations.sweep_step import add_sweep_step

    add_sweep_step(celery_app)
    app.extensions["celery"] = celery_app
    return celery_app


# No database connection outlives its task or crosses a fork. Connected once, at import; each
# Celery app knows its Flask app (`celery_app.flask_app`, set in celery_init_app).
@task_postrun.connect
def remove_session_after_task(sender: Task | None = None, **_: object) -> None:
    """Each task hands its session (and connection) back to the pool when it ends."""
    flask_app = getattr(getattr(sender, "app", None), "flask_app", None)
    if flask_app is not None:
        with flask_app.app_context():
            db.session.remove()


@worker_process_init.connect
def fresh_pool_in_child(**_: object) -> None:
    """A forked pool child drops the connections it inherited, so no socket is shared."""
    from celery import current_app

    flask_app = getattr(current_app, "flask_app", None)
    if flask_app is not None:
        with flask_app.app_context():
            # close=False: the parent's connections stay open for the parent.
            db.engine.dispose(close=False)


@worker_ready.connect
def check_broker_durability_at_start(sender: object = None, **_: object) -> None:
    """A production worker says in its log, once, if its broker may lose queued work."""
    celery_app = getattr(sender, "app", None)
    flask_app = getattr(celery_app, "flask_app", None)
    if (
        celery_app is not None
        and flask_app is not None
        and flask_app.config.get("TICKLER_ENV") == "production"
    ):
        from app.operations.broker_durability import log_broker_durability

        log_broker_durability(celery_app, "worker")
