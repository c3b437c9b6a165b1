"""Labels: per-project names with a color, set on tasks, shown and filtered everywhere.

Public (PUBLIC below): the labels of many tasks in one query (lists, board, calendar, search,
emails, exports, webhooks), the text color readable on a label's color, and the chips macro
(templates/labels/_chips.html)."""

PUBLIC = (
    "queries.labels_for_tasks",  # {task id: [LabelView]} in one statement
    "queries.LabelView",  # a label as pages and emails show it
    "colors",  # pure: WCAG contrast, the text color on a label's color
    "service.project_labels",  # a project's labels by name (the task form's choices)
    "service.set_task_labels",  # the one way a task's labels change (TaskLabelsChanged)
    "rules.chips_text",  # labels in a plain-text email: "[ops] [bug]"
    "service.LabelColorError",  # the REST API (app/api)
    "service.create_label",  # the REST API (app/api)
    "service.delete_label",  # the REST API (app/api)
    "service.get_label_for_member",  # the REST API (app/api)
    "service.project_labels_with_counts",  # the REST API (app/api)
    "service.update_label",  # the REST API (app/api)
)
