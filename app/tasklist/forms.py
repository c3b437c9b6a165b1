"""The task form: every field a person edits, checked before anything is stored."""

from __future__ import annotations

from datetime import datetime

from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField, TextAreaField, ValidationError
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # not in 3.2 stubs
from wtforms.validators import DataRequired

from app.core.database import utcnow
from app.core.timezones import datetime_local_value, parse_local_datetime
from app.core.web.form_messages import ChoiceField, length
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
            raise ValueError("Choose the assignee from the project's members.") from None

    def pre_validate(self, form: FlaskForm) -> None:
        try:
            super().pre_validate(form)
        except ValidationError:
            raise ValidationError("Choose the assignee from the project's members.") from None


def title_field() -> StringField:
    """A task's title, as the task form and the recurring-task form both ask for it."""
    return StringField(
        "Title",
        filters=[strip_whitespace],
        validators=[
            DataRequired("Give the task a title."),
            length(TITLE_MAX_LENGTH, what="the title"),
            no_control_characters,
            single_line,
        ],
    )


def description_field() -> TextAreaField:
    return TextAreaField(
        "Description",
        description="Markdown works: **bold**, *italic*, `code`, lists, tables and links.",
        filters=[strip_whitespace],
        validators=[length(DESCRIPTION_MAX_LENGTH, what="the description"), no_control_characters],
    )


class TaskForm(WebForm):
    title = title_field()
    description = description_field()
    status = ChoiceField(
        "Status",
        choices=[SelectChoice(s.value, s.label) for s in TaskStatus],
        default=TaskStatus.PENDING.value,
    )
    priority = ChoiceField(
        "Priority",
        choices=[SelectChoice(p.value, p.label) for p in TaskPriority],
        default=TaskPriority.MEDIUM.value,
    )
    due_at = StringField("Due", filters=[strip_whitespace])
    assignee_id = MemberField("Assignee", coerce=int, default=UNASSIGNED)
    # The project's labels, shown as checkboxes; set through app.labels (TaskLabelsChanged).
    labels = SelectMultipleField("Labels", coerce=int, default=())

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
        # A stored due date is kept as it is, however old, when the form is saved unchanged.
        self.current_due = current_due
        self.assignee_id.choices = [SelectChoice(UNASSIGNED, "Unassigned")] + [
            SelectChoice(member.user.id, member.user.name) for member in members
        ]
        self.due_at.description = f"Your time ({timezone_name})"
        self.label_options = labels or []
        self.labels.choices = [SelectChoice(label.id, label.name) for label in self.label_options]

    def validate_labels(self, field: SelectMultipleField) -> None:
        if not isinstance(field.errors, list):
            field.errors = list(field.errors)
        if field.errors:
            field.errors[:] = ["Choose labels of this project."]

    def validate_due_at(self, field: StringField) -> None:
        if not field.data:
            return
        try:
            due_at = parse_local_datetime(field.data, self.timezone_name)
        except ValueError:
            raise ValidationError(
                "Enter the due date as a date and time, e.g. 2026-12-01 17:00."
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
