"""The user's guide's task-management jobs, under its module name; each lives in its feature.

`from app.tasks.task_management import update_task_status` and
`python celery_utils.py --run-task app.tasks.task_management.generate_task_report` keep
working: the names Celery registers are the guide's (app/task_catalog.py), not the modules'.
"""

from app.digests.jobs import (
    fetch_and_print_overdue_tasks,
    generate_task_report,
    send_task_reminders,
    send_weekly_summary_email,
)
from app.tasklist.jobs import cleanup_completed_tasks, purge_trash, update_task_status

__all__ = [
    "cleanup_completed_tasks",
    "fetch_and_print_overdue_tasks",
    "generate_task_report",
    "purge_trash",
    "send_task_reminders",
    "send_weekly_summary_email",
    "update_task_status",
]
