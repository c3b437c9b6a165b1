"""Exports of task lists to CSV or XLSX, written in the background with progress.

Public (PUBLIC below): the export job, which the owed-work sweep queues again, and the rule
that puts back in the queue an export whose worker died."""

PUBLIC = (
    "jobs.export_tasks_async",  # write one asked-for export (Celery task)
    "run.requeue_abandoned",  # the owed-work sweep: exports whose worker died
    "files.CONTENT_TYPES",  # the REST API (app/api)
    "service.QUEUE_DOWN_MESSAGE",  # the REST API (app/api)
    "service.create_export",  # the REST API (app/api)
    "service.file_of",  # the REST API (app/api)
    "service.get_export_for_owner",  # the REST API (app/api)
    "service.mark_failed",  # the REST API (app/api)
)
