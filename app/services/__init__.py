"""Business rules and queries: plain values in, plain data out, no Flask request or Celery."""
