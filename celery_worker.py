"""Entry point for `python -m celery -A celery_worker worker|beat|flower`."""

from app import create_app

# Workers, beat and Flower never migrate: no Flask-Migrate and the Alembic it loads.
flask_app = create_app({"MIGRATIONS": False})
celery = flask_app.extensions["celery"]
