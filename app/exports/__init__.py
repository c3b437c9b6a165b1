"""Exports of task lists to CSV or XLSX, written in the background with progress.

Public (PUBLIC below): the export job, which the owed-work sweep queues again."""

PUBLIC = (
    "jobs.export_tasks_async",  # write one asked-for export (Celery task)
)
