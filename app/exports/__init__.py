"""Exports of task lists to CSV or XLSX, written in the background with progress.

Public (PUBLIC below): the export job, which the owed-work sweep queues again."""

PUBLIC = (
    "jobs.export_tasks_async",  # write one asked-for export (Celery task)
    "files.CONTENT_TYPES",  # the REST API (app/api)
    "service.QUEUE_DOWN_MESSAGE",  # the REST API (app/api)
    "service.create_export",  # the REST API (app/api)
    "service.file_of",  # the REST API (app/api)
    "service.get_export_for_owner",  # the REST API (app/api)
    "service.mark_failed",  # the REST API (app/api)
)
