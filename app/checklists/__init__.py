"""Checklists: ordered items on a task, checked off one by one.

Public (PUBLIC below): the "3/5" progress of many tasks in one query (lists, board, emails)."""

PUBLIC = (
    "queries.progress_for_tasks",  # {task id: ChecklistProgress} in one statement
    "queries.ChecklistProgress",  # done of total, as "3/5"
    "service.add_item",  # the REST API (app/api)
    "service.edit_text",  # the REST API (app/api)
    "service.get_item_for_member",  # the REST API (app/api)
    "service.items_of",  # the REST API (app/api)
    "service.remove",  # the REST API (app/api)
    "service.set_done",  # the REST API (app/api)
)
