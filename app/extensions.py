"""Extension instances, Celery wired to the Flask app, and the beat schedule as data."""

from __future__ import annotations

from typing import Any

from celery import Celery, Task
from celery.schedules import crontab
from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_mail import Mail
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from kombu import Queue

from app.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
mail = Mail()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)

# Every queue a worker may be asked to consume; later capabilities add theirs here.
QUEUES = ("default",)

# Which queue each task goes to, by the task's registered name.
TASK_ROUTES: dict[str, dict[str, str]] = {
    "app.tasks.task_management.update_task_status": {"queue": "default"},
}

# One entry per scheduled job: name -> (task name, default crontab fields). Each crontab can be
# replaced without touching code through an environment variable, see `schedule_overrides`.
PERIODIC_JOBS: dict[str, tuple[str, dict[str, str]]] = {}


def parse_crontab(expression: str) -> crontab:
    """Turn 'minute hour day_of_month month_of_year day_of_week' into a crontab."""
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(
            f"{expression!r} is not a crontab: give five fields, "
            "e.g. '0 8 * * *' for daily at 08:00"
        )
    minute, hour, day_of_month, month_of_year, day_of_week = fields
    return crontab(
        minute=minute,
        hour=hour,
        day_of_month=day_of_month,
        month_of_year=month_of_year,
        day_of_week=day_of_week,
    )


def build_beat_schedule(overrides: dict[str, str] | None = None) -> dict[str, dict[str, Any]]:
    """The beat schedule: every periodic job with its crontab, overridden per job by config."""
    overrides = overrides or {}
    schedule = {}
    for job_name, (task_name, fields) in PERIODIC_JOBS.items():
        expression = overrides.get(job_name)
        schedule[job_name] = {
            "task": task_name,
            "schedule": parse_crontab(expression) if expression else crontab(**fields),
            "args": (),
        }
    return schedule


def celery_init_app(app: Flask) -> Celery:
    """Build the Celery app from Flask config; every task runs inside the Flask app context."""

    class ContextTask(Task):
        def __call__(self, *args: object, **kwargs: object) -> object:
            with app.app_context():
                return self.run(*args, **kwargs)

    celery_app = Celery(app.name, task_cls=ContextTask)
    celery_app.config_from_object(app.config["CELERY"])
    celery_app.conf.update(
        task_queues=[Queue(name) for name in QUEUES],
        task_routes=TASK_ROUTES,
        beat_schedule=build_beat_schedule(app.config.get("CELERY_SCHEDULE_OVERRIDES")),
        include=["app.tasks.task_management"],
    )
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app
