"""Entry point for `python -m celery -A celery_worker worker|beat|flower`."""

from app import create_app

flask_app = create_app()
celery = flask_app.extensions["celery"]
