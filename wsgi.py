"""Entry point for WSGI servers: `gunicorn wsgi:app`."""

from app import create_app

# Gunicorn never migrates: no Flask-Migrate (`flask --app wsgi db upgrade` still has it).
app = create_app({"MIGRATIONS": False})

if app.config["TICKLER_ENV"] == "production":
    from app.operations.broker_durability import log_broker_durability

    # Said at start-up, in the web log too: a broker that may lose queued work.
    log_broker_durability(app.extensions["celery"], "web")
