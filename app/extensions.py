"""Extension instances, Celery wired to the Flask app, and the beat schedule as data."""

from __future__ import annotations

from celery import Celery, Task
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
from app.schedule import build_beat_schedule

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
mail = Mail()
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address)

# Every queue a worker may be asked to consume; later capabilities add theirs here.
QUEUES = ("default", "notifications")

# Which queue each task goes to, by the task's registered name.
TASK_ROUTES: dict[str, dict[str, str]] = {
    "app.tasks.task_management.*": {"queue": "default"},
    "app.tasks.notifications.*": {"queue": "notifications"},
    "app.tasks.accounts.*": {"queue": "notifications"},
}


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
        include=[
            "app.tasks.task_management",
            "app.tasks.notifications",
            "app.tasks.accounts",
            "app.tasks.demo_tasks",
        ],
    )
    celery_app.set_default()
    app.extensions["celery"] = celery_app
    return celery_app
