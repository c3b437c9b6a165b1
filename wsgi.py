"""Entry point for WSGI servers: `gunicorn wsgi:app`."""

from app import create_app

# Gunicorn never migrates: no Flask-Migrate (`flask --app wsgi db upgrade` still has it).
app = create_app({"MIGRATIONS": False})
