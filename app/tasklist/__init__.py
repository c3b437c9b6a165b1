"""Tasks: the model, who may see them, lists and filters, status changes, archive and cleanup, the
dashboard, and the Trash (delete, restore, reopen, archive by hand, the purge: trash.py,
trash_rules.py, trash_views.py).

Public (PUBLIC below): the task a page is about (the 404 rule), the deadline rules, the
visible tasks with their filters and sort (exports), the assignee rule and the task form's
fields (recurring templates), a status change (action links) and archiving (recurring)."""

PUBLIC = (
    "access",  # load_task: the task for the signed-in person, NotFound otherwise
    "deadlines",  # pure: overdue, due soon, the person's week, believable due dates
    "service.visible_tasks",  # the statement of tasks nobody archived
    "service.TaskFilters",  # a list's filters and sort
    "service.SORTS",  # the sorts a list offers
    "service.PRIORITY_RANK",  # critical first: the digests list the most urgent tasks first
    "service.apply_filters",  # a statement narrowed by TaskFilters
    "service.apply_sort",  # a statement in a list's order
    "service.check_assignee",  # RuleViolation unless the assignee is a member
    "service.apply_status",  # set a task's status and its completion time
    "service.create_task",  # make a task and announce it (TaskCreated): quick add
    "service.TaskFields",  # the fields create_task takes
    "service.set_status",  # change a status and announce it (TaskStatusChanged): the one way
    "service.move_due_date",  # a new due date only, as an edit records it (calendar moves)
    "filters.parse_filters",  # TaskFilters from a query string
    "filters.MAX_LABELS",  # the most labels a filter reads (exports, the REST API)
    "filters.label_limit_message",  # what a page says when labels were left out (exports)
    "forms.UNASSIGNED",  # the assignee choice for nobody
    "forms.MemberField",  # the assignee field
    "forms.title_field",  # a task's title field
    "forms.description_field",  # a task's description field
    "cleanup.archive_completed",  # archive tasks done long enough ago
    "service.get_task_for_member",  # the REST API (app/api)
    "service.update_task",  # the REST API (app/api)
    "trash.delete_project",  # the REST API (app/api)
    "trash.delete_task",  # the REST API (app/api)
    "trash.restore_task",  # the REST API (app/api)
    "trash_rules.TRASHED",  # the REST API (app/api)
)
