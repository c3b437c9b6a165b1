"""Gunicorn settings for Tickler: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

Every value can be changed from the environment (the systemd unit reads /etc/tickler/tickler.env).
"""

import multiprocessing
import os

# Where to listen; nginx proxies to it. A socket works too: GUNICORN_BIND=unix:/run/tickler/web.sock
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# The usual rule of thumb: two per core plus one.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
# A request taking longer than this is killed; slow work belongs in Celery.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# Time given to running requests on SIGTERM/HUP before workers are killed.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# Recycle workers now and then so a slow leak never grows unbounded. Not too often: a new
# worker imports the app again (0.7 s of CPU), and at 1,000 requests per worker the pages
# under load lost a third of their rate to restarts (docs/PERFORMANCE.md).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "1000"))

# Logs to stdout/stderr: journald (or the platform) collects them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Trust X-Forwarded-Proto/For only from the reverse proxy (nginx on the same machine by default).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
proxy_allow_ips = forwarded_allow_ips
# The app reads the client's address from X-Forwarded-For as set by this many proxies: one,
# the nginx of docs/DEPLOY.md, which gunicorn (bound to 127.0.0.1) is reached through. Set
# TRUSTED_PROXY_COUNT=0 where clients reach gunicorn directly, 2 behind a load balancer and nginx.
# Set here, before the workers load the app, so the env file can still override it.
os.environ.setdefault("TRUSTED_PROXY_COUNT", "1")


def when_ready(server):  # noqa: ANN001, ANN201 - gunicorn's server hook
    """Say loudly when this listens beyond the machine with the development SECRET_KEY."""
    from config import DEVELOPMENT_SECRET_KEY, development_key_exposure

    hosts = [address[0] if isinstance(address, tuple) else "unix:" for address in server.address]
    # TICKLER_ENV unset means development, whose key is the printed one unless SECRET_KEY is set.
    key = os.environ.get("SECRET_KEY") or DEVELOPMENT_SECRET_KEY
    warning = development_key_exposure(os.environ, key, hosts)
    for line in (warning or "").splitlines():
        server.log.warning(line)
