"""The email preferences form."""

from __future__ import annotations

from datetime import date

from babel.dates import format_date
from flask_babel import LazyString, gettext, lazy_gettext
from wtforms import BooleanField, ValidationError
from wtforms.validators import Optional

from app.core.email.models import EmailKind
from app.core.i18n import DEFAULT_LANGUAGE, current_language
from app.core.web.form_messages import DayField
from app.core.web.forms import WebForm
from app.notifications.models import NotificationKind


def kind_label(kind: EmailKind) -> LazyString:
    """The kind's label, read when the page is drawn (in its language), not at import."""
    return LazyString(lambda: kind.label)


def day_with_year(day: date) -> str:
    """A day with its year as the current language writes it: '01 Jan 2020', '01.01.2020'."""
    code = current_language()
    if code == DEFAULT_LANGUAGE:
        return format_date(day, "dd MMM y", locale="en")
    return format_date(day, "medium", locale=code)


class PreferencesForm(WebForm):
    task_reminder = BooleanField(kind_label(EmailKind.TASK_REMINDER))
    overdue_alert = BooleanField(kind_label(EmailKind.OVERDUE_ALERT))
    weekly_summary = BooleanField(kind_label(EmailKind.WEEKLY_SUMMARY))
    daily_report = BooleanField(kind_label(EmailKind.DAILY_REPORT))
    workdays_only = BooleanField(lazy_gettext("Skip the daily reminder on Saturdays and Sundays"))
    deadline_alerts_per_task = BooleanField(
        lazy_gettext(
            "Instead of the daily reminder, alert me about each task as it enters its last 24 hours"
        )
    )
    reply_done_completes = BooleanField(
        lazy_gettext(
            "When I reply to a task email with only the word “done”, mark the task complete"
        )
    )
    paused_until = DayField(
        lazy_gettext("Pause all digests until (inclusive)"),
        validators=[Optional()],
        description=lazy_gettext("For holidays. Leave empty to receive them as usual."),
    )

    def __init__(self, *args: object, today: date | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def validate_paused_until(self, field: DayField) -> None:
        # A pause that ended already would be saved and do nothing: say so instead.
        if field.data is not None and self.today is not None and field.data < self.today:
            raise ValidationError(
                gettext(
                    "%(day)s has passed; choose today or a later day, or leave it empty.",
                    day=day_with_year(field.data),
                )
            )

    def kind_fields(self, kinds: list[EmailKind]) -> list[BooleanField]:
        return [getattr(self, kind.value) for kind in kinds]

    def channel_fields(self, kind: NotificationKind) -> tuple[BooleanField, BooleanField]:
        return getattr(self, f"{kind.value}_email"), getattr(self, f"{kind.value}_in_app")


# One pair of boxes per kind of task event: by email, and in the app's inbox.
for _kind in NotificationKind:
    setattr(PreferencesForm, f"{_kind.value}_email", BooleanField(lazy_gettext("Email")))
    setattr(PreferencesForm, f"{_kind.value}_in_app", BooleanField(lazy_gettext("In the app")))
