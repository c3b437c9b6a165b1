"""Celery tasks, under the names the user's guide gives them."""
