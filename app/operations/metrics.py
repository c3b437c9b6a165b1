"""Prometheus metrics, read from the database and the broker at scrape time.

Web processes and workers are separate processes (often machines), so counters kept in
memory would each tell part of the story; the ledger, the run records and the broker tell
all of it, in a few grouped queries per scrape."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from celery import Celery
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.registry import Collector
from sqlalchemy import func, select

from app.core.database import DbSession
from app.core.email.models import Delivery, DeliveryStatus
from app.operations.models import TaskRun
from app.operations.queue_depths import queue_depths
from app.schedule import PERIODIC_JOBS
from app.webhooks.models import WebhookDelivery

CONTENT_TYPE = CONTENT_TYPE_LATEST


class TicklerCollector(Collector):
    def __init__(self, session: DbSession, celery: Celery) -> None:
        self.session = session
        self.celery = celery

    def collect(self) -> Iterator[Any]:
        yield from email_metrics(self.session)
        yield from job_metrics(self.session)
        yield from webhook_metrics(self.session)
        yield from queue_metrics(self.celery)
        yield from task_metrics(self.session)


def email_metrics(session: DbSession) -> Iterator[Any]:
    sent = CounterMetricFamily(
        "tickler_emails_sent", "Emails the SMTP server accepted, by kind.", labels=["kind"]
    )
    failed = CounterMetricFamily(
        "tickler_emails_failed", "Emails that failed for good, by kind.", labels=["kind"]
    )
    waiting = GaugeMetricFamily(
        "tickler_emails_waiting",
        "Emails queued or waiting for a retry, by kind.",
        labels=["kind"],
    )
    rows = session.execute(
        select(Delivery.kind, Delivery.status, func.count()).group_by(
            Delivery.kind, Delivery.status
        )
    )
    for kind, status, count in rows:
        if status == DeliveryStatus.SENT:
            sent.add_metric([kind.value], count)
        elif status == DeliveryStatus.FAILED:
            failed.add_metric([kind.value], count)
        elif status != DeliveryStatus.SKIPPED:
            waiting.add_metric([kind.value], count)
    yield from (sent, failed, waiting)


def job_metrics(session: DbSession) -> Iterator[Any]:
    """Runs of the scheduled jobs' tasks, from task_runs (kept TASK_RUN_RETENTION_DAYS): counts
    by job and outcome, and when each last succeeded. Queued runs that have not started are
    left out; a started one is "running", the word these series always used."""
    runs = CounterMetricFamily(
        "tickler_job_runs", "Scheduled job runs, by job and outcome.", labels=["job", "outcome"]
    )
    last = GaugeMetricFamily(
        "tickler_job_last_success_timestamp_seconds",
        "When each job last finished successfully (Unix time).",
        labels=["job"],
    )
    scheduled = TaskRun.name.in_(sorted({job.task for job in PERIODIC_JOBS}))
    for job, state, count in session.execute(
        select(TaskRun.name, TaskRun.state, func.count())
        .where(scheduled, TaskRun.state != "pending")
        .group_by(TaskRun.name, TaskRun.state)
    ):
        runs.add_metric([job, "running" if state == "started" else state], count)
    for job, when in session.execute(
        select(TaskRun.name, func.max(TaskRun.finished_at))
        .where(scheduled, TaskRun.state == "succeeded")
        .group_by(TaskRun.name)
    ):
        if when is not None:
            last.add_metric([job], when.timestamp())
    yield from (runs, last)


def webhook_metrics(session: DbSession) -> Iterator[Any]:
    deliveries = GaugeMetricFamily(
        "tickler_webhook_deliveries",
        "Webhook deliveries on record, by status.",
        labels=["status"],
    )
    for status, count in session.execute(
        select(WebhookDelivery.status, func.count()).group_by(WebhookDelivery.status)
    ):
        deliveries.add_metric([status.value], count)
    yield deliveries


def task_metrics(session: DbSession) -> Iterator[Any]:
    """Task runs recorded from Celery's signals (kept TASK_RUN_RETENTION_DAYS): counts by
    state, and runtime totals so a rate() over them gives the mean runtime per task."""
    runs = GaugeMetricFamily(
        "tickler_task_runs", "Recorded task runs, by task and state.", labels=["task", "state"]
    )
    runtime = GaugeMetricFamily(
        "tickler_task_runtime_seconds_sum",
        "Total runtime of recorded finished runs, by task.",
        labels=["task"],
    )
    count = GaugeMetricFamily(
        "tickler_task_runtime_seconds_count",
        "Recorded finished runs with a runtime, by task.",
        labels=["task"],
    )
    slowest = GaugeMetricFamily(
        "tickler_task_runtime_seconds_max", "Longest recorded runtime, by task.", labels=["task"]
    )
    for name, state, number in session.execute(
        select(TaskRun.name, TaskRun.state, func.count()).group_by(TaskRun.name, TaskRun.state)
    ):
        runs.add_metric([name, state], number)
    for name, total, number, longest in session.execute(
        select(
            TaskRun.name,
            func.sum(TaskRun.runtime_ms),
            func.count(TaskRun.runtime_ms),
            func.max(TaskRun.runtime_ms),
        )
        .where(TaskRun.runtime_ms.is_not(None))
        .group_by(TaskRun.name)
    ):
        runtime.add_metric([name], (total or 0) / 1000)
        count.add_metric([name], number)
        slowest.add_metric([name], (longest or 0) / 1000)
    yield from (runs, runtime, count, slowest)


def queue_metrics(celery: Celery) -> Iterator[Any]:
    depth = GaugeMetricFamily(
        "tickler_queue_depth", "Messages waiting in each Celery queue.", labels=["queue"]
    )
    up = GaugeMetricFamily("tickler_broker_up", "1 when the broker answered this scrape.")
    depths = queue_depths(celery)
    # queue_depths never raises: a broker it could not read leaves every queue unknown.
    up.add_metric([], 1 if any(count is not None for count in depths.values()) else 0)
    for queue, count in depths.items():
        if count is not None:
            depth.add_metric([queue], count)
    yield from (up, depth)


def render(session: DbSession, celery: Celery) -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(TicklerCollector(session, celery))
    try:
        return generate_latest(registry)
    finally:
        session.rollback()
