"""The email preferences form."""

from __future__ import annotations

from datetime import date

from wtforms import BooleanField, ValidationError
from wtforms.validators import Optional

from app.core.email.models import EmailKind
from app.core.web.form_messages import DayField
from app.core.web.forms import WebForm
from app.notifications.models import NotificationKind


class PreferencesForm(WebForm):
    task_reminder = BooleanField(EmailKind.TASK_REMINDER.label)
    overdue_alert = BooleanField(EmailKind.OVERDUE_ALERT.label)
    weekly_summary = BooleanField(EmailKind.WEEKLY_SUMMARY.label)
    daily_report = BooleanField(EmailKind.DAILY_REPORT.label)
    workdays_only = BooleanField("Skip the daily reminder on Saturdays and Sundays")
    deadline_alerts_per_task = BooleanField(
        "Instead of the daily reminder, alert me about each task as it enters its last 24 hours"
    )
    reply_done_completes = BooleanField(
        "When I reply to a task email with only the word “done”, mark the task complete"
    )
    paused_until = DayField(
        "Pause all digests until (inclusive)",
        validators=[Optional()],
        description="For holidays. Leave empty to receive them as usual.",
    )

    def __init__(self, *args: object, today: date | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def validate_paused_until(self, field: DayField) -> None:
        # A pause that ended already would be saved and do nothing: say so instead.
        if field.data is not None and self.today is not None and field.data < self.today:
            raise ValidationError(
                f"{field.data:%d %b %Y} has passed; choose today or a later day, or leave it empty."
            )

    def kind_fields(self, kinds: list[EmailKind]) -> list[BooleanField]:
        return [getattr(self, kind.value) for kind in kinds]

    def channel_fields(self, kind: NotificationKind) -> tuple[BooleanField, BooleanField]:
        return getattr(self, f"{kind.value}_email"), getattr(self, f"{kind.value}_in_app")


# One pair of boxes per kind of task event: by email, and in the app's inbox.
for _kind in NotificationKind:
    setattr(PreferencesForm, f"{_kind.value}_email", BooleanField("Email"))
    setattr(PreferencesForm, f"{_kind.value}_in_app", BooleanField("In the app"))
