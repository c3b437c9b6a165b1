"""The task form: every field a person edits, checked before anything is stored."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext, lazy_gettext
from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField, ValidationError
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # not in 3.2 stubs
from wtforms.validators import DataRequired, Length

from app.core.database import utcnow
from app.core.timezones import datetime_local_value, parse_local_datetime
from app.core.web.form_messages import ChoiceField
from app.core.web.forms import WebForm, entered
from app.core.web.validators import no_control_characters, single_line, strip_whitespace
from app.tasklist.deadlines import due_date_problem
from app.tasklist.models import (
    DESCRIPTION_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Task,
    TaskPriority,
    TaskStatus,
)
from app.tasklist.service import TaskFields

UNASSIGNED = 0


class MemberField(SelectField):
    """A choice of project member; anything not on the list gets one clear message."""

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(gettext("Choose the assignee from the project's members.")) from None

    def pre_validate(self, form: FlaskForm) -> None:
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError(
                gettext("Choose the assignee from the project's members.")
            ) from None


def title_field() -> StringField:
    """A task's title, as the task form and the recurring-task form both ask for it."""
    return StringField(
        lazy_gettext("Title"),
        filters=[strip_whitespace],
        validators=[
            DataRequired(lazy_gettext("Give the task a title.")),
            Length(
                max=TITLE_MAX_LENGTH,
                message=lazy_gettext(
                    "Keep the title to %(max)d characters or fewer.", max=TITLE_MAX_LENGTH
                ),
            ),
            no_control_characters,
            single_line,
        ],
    )


def description_field() -> TextAreaField:
    return TextAreaField(
        lazy_gettext("Description"),
        description=lazy_gettext(
            "Markdown works: **bold**, *italic*, `code`, lists, tables and links."
        ),
        filters=[strip_whitespace],
        validators=[
            Length(
                max=DESCRIPTION_MAX_LENGTH,
                message=lazy_gettext(
                    "Keep the description to %(max)d characters or fewer.",
                    max=DESCRIPTION_MAX_LENGTH,
                ),
            ),
            no_control_characters,
        ],
    )


class TaskForm(WebForm):
    title = title_field()
    description = description_field()
    status = ChoiceField(
        lazy_gettext("Status"),
        invalid=lazy_gettext("Choose the status from the list."),
        choices=[],  # the labels in the reader's language: set in __init__
        default=TaskStatus.PENDING.value,
    )
    priority = ChoiceField(
        lazy_gettext("Priority"),
        invalid=lazy_gettext("Choose the priority from the list."),
        choices=[],  # as above
        default=TaskPriority.MEDIUM.value,
    )
    due_at = StringField(lazy_gettext("Due"), filters=[strip_whitespace])
    assignee_id = MemberField(lazy_gettext("Assignee"), coerce=int, default=UNASSIGNED)
    # The project's labels, shown as checkboxes; set through app.labels (TaskLabelsChanged).
    labels = SelectMultipleField(lazy_gettext("Labels"), coerce=int, default=())

    def __init__(
        self,
        *args: object,
        timezone_name: str,
        members: list,
        current_due: datetime | None = None,
        labels: list | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.timezone_name = timezone_name
        self.status.choices = [SelectChoice(s.value, s.label) for s in TaskStatus]
        self.priority.choices = [SelectChoice(p.value, p.label) for p in TaskPriority]
        # A stored due date is kept as it is, however old, when the form is saved unchanged.
        self.current_due = current_due
        self.assignee_id.choices = [SelectChoice(UNASSIGNED, gettext("Unassigned"))] + [
            SelectChoice(member.user.id, member.user.name) for member in members
        ]
        self.due_at.description = gettext("Your time (%(zone)s)", zone=timezone_name)
        self.label_options = labels or []
        self.labels.choices = [SelectChoice(label.id, label.name) for label in self.label_options]

    def validate_labels(self, field: SelectMultipleField) -> None:
        if not isinstance(field.errors, list):
            field.errors = list(field.errors)
        if field.errors:
            field.errors[:] = [gettext("Choose labels of this project.")]

    def validate_due_at(self, field: StringField) -> None:
        if not field.data:
            return
        try:
            due_at = parse_local_datetime(field.data, self.timezone_name)
        except ValueError:
            raise ValidationError(
                gettext("Enter the due date as a date and time, e.g. 2026-12-01 17:00.")
            ) from None
        problem = due_date_problem(due_at, utcnow())
        if problem and due_at != self.current_due:
            raise ValidationError(problem)

    def fill_from(self, task: Task) -> None:
        """Show an existing task's values, its due date in the viewer's zone."""
        self.title.data = task.title
        self.description.data = task.description
        self.status.data = task.status.value
        self.priority.data = task.priority.value
        self.due_at.data = datetime_local_value(task.due_at, self.timezone_name)
        self.assignee_id.data = task.assignee_id or UNASSIGNED

    def to_fields(self) -> TaskFields:
        return TaskFields(
            title=entered(self.title),
            description=self.description.data or "",
            status=TaskStatus(self.status.data),
            priority=TaskPriority(self.priority.data),
            due_at=parse_local_datetime(self.due_at.data, self.timezone_name)
            if self.due_at.data
            else None,
            assignee_id=self.assignee_id.data or None,
        )
