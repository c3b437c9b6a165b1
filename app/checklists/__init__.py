"""Checklists: ordered items on a task, checked off one by one.

Public (PUBLIC below): the "3/5" progress of many tasks in one query (lists, board, emails)."""

PUBLIC = (
    "queries.progress_for_tasks",  # {task id: ChecklistProgress} in one statement
    "queries.ChecklistProgress",  # done of total, as "3/5"
)
