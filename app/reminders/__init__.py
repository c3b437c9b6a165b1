"""Reminders a person sets on a task, and per-task deadline alerts.

Public (PUBLIC below): the reminders on a task's page and its form, moving them with a due
date, and claiming what is due (for the notification jobs)."""

PUBLIC = (
    "forms.ReminderForm",  # the reminder form on a task's page
    "service.add_reminder",  # set a reminder on a task
    "service.reminders_of",  # a person's reminders on a task
    "service.reminder_in_words",  # a reminder's time in words, in the person's zone
    "service.move_with_due_date",  # move a task's reminders when its due date moves
    "service.claim_due",  # claim the reminders due now, each once
    "deadline_alerts.claim_deadline_alerts",  # claim the 24-hour deadline alerts, each once
    "deadline_alerts.claim_escalations",  # claim the overdue escalations, each once
    "service.BEFORE_DUE",  # the REST API (app/api)
)
