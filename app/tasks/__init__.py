"""Celery tasks, under the names the user's guide gives them; importing them binds them to
Tickler's configured Celery app, so `update_task_status.delay(...)` reaches the real broker."""

from app import bind_tasks_to_configured_celery

bind_tasks_to_configured_celery()
