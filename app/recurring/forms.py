"""The recurring-task form: the template each occurrence copies, and how often it repeats."""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext, lazy_gettext
from wtforms import (
    RadioField,
    StringField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice  # type: ignore[attr-defined]  # not in 3.2 stubs
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from app.core.database import utcnow
from app.core.errors import RuleViolation
from app.core.timezones import datetime_local_value, parse_local_datetime
from app.core.web.form_messages import (
    CheckboxesField,
    ChoiceField,
    WholeNumberField,
)
from app.core.web.forms import WebForm, add_error, entered
from app.core.web.validators import no_control_characters, strip_whitespace
from app.recurring.models import RULE_MAX_LENGTH, RecurringSeries
from app.recurring.rules import (
    FREQUENCIES,
    WEEKDAYS,
    build_rule,
    check_start,
    normalise_rule,
    rule_choices,
    weekday_name,
)
from app.recurring.service import TemplateFields
from app.tasklist.forms import UNASSIGNED, MemberField, description_field, title_field
from app.tasklist.models import TaskPriority


class RecurringForm(WebForm):
    title = title_field()
    description = description_field()
    priority = ChoiceField(
        lazy_gettext("Priority"),
        invalid=lazy_gettext("Choose the priority from the list."),
        choices=[],  # the labels in the reader's language: set in __init__
        default=TaskPriority.MEDIUM.value,
    )
    assignee_id = MemberField(lazy_gettext("Assignee"), coerce=int, default=UNASSIGNED)
    starts = StringField(
        lazy_gettext("First due"),
        filters=[strip_whitespace],
        validators=[DataRequired(lazy_gettext("Say when it is first due."))],
    )
    frequency = RadioField(
        lazy_gettext("Repeats"),
        choices=[SelectChoice(value, label) for value, label in FREQUENCIES.items()],
        default="daily",
        validate_choice=False,
    )
    # Its choices, the weekdays' names in the reader's language, are set per form.
    weekdays = CheckboxesField(
        lazy_gettext("On"),
        invalid=lazy_gettext("Choose days of the week from the list."),
        validate_choice=False,
    )
    day_of_month = WholeNumberField(
        lazy_gettext("Day of the month"),
        default=1,
        validators=[
            Optional(),
            NumberRange(1, 31, lazy_gettext("Choose a day of the month from 1 to 31.")),
        ],
        description=lazy_gettext("29, 30 or 31 fall on the last day of shorter months."),
    )
    rule = StringField(
        "RRULE",
        filters=[strip_whitespace],
        validators=[
            Length(
                max=RULE_MAX_LENGTH,
                message=lazy_gettext(
                    "Keep the rule to %(num)d characters or fewer.", num=RULE_MAX_LENGTH
                ),
            ),
            no_control_characters,
        ],
        description=lazy_gettext(
            "For example FREQ=WEEKLY;INTERVAL=2;BYDAY=MO or FREQ=MONTHLY;BYDAY=1MO"
        ),
    )

    def __init__(
        self,
        *args: object,
        timezone_name: str,
        members: list,
        stored_start: datetime | None = None,
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.timezone_name = timezone_name
        # An edited series may keep the first due date it has, however old (the search skips
        # ahead); only a new or changed one must be near today.
        self.stored_start = stored_start
        self.assignee_id.choices = [SelectChoice(UNASSIGNED, gettext("Unassigned"))] + [
            SelectChoice(member.user.id, member.user.name) for member in members
        ]
        self.weekdays.choices = [SelectChoice(day, weekday_name(day)) for day in WEEKDAYS]
        self.priority.choices = [SelectChoice(p.value, p.label) for p in TaskPriority]
        self.starts.description = gettext(
            "The first occurrence is on or after this, at this time of day (%(zone)s)",
            zone=timezone_name,
        )
        self.built_rule: str | None = None

    def validate_starts(self, field: StringField) -> None:
        try:
            starts_at = parse_local_datetime(field.data or "", self.timezone_name)
        except ValueError:
            raise ValidationError(
                gettext("Enter the start as a date and time, e.g. 2026-12-01 09:00.")
            ) from None
        if starts_at == self.stored_start:
            return
        try:
            check_start(starts_at, utcnow())
        except RuleViolation as error:
            raise ValidationError(str(error)) from None

    def validate(self, extra_validators: object = None) -> bool:
        """The fields first, then the repeat rule they make, its errors beside the right field."""
        valid = super().validate(extra_validators)
        target = {"weekly": self.weekdays, "monthly": self.day_of_month, "custom": self.rule}
        frequency = self.frequency.data
        if frequency in target and target[frequency].errors:
            return False
        try:
            if frequency not in FREQUENCIES:
                raise RuleViolation(gettext("Choose how often the task repeats."))
            if frequency == "custom":
                self.built_rule = normalise_rule(self.rule.data or "")
            else:
                self.built_rule = build_rule(
                    frequency, self.weekdays.data, self.day_of_month.data or 1
                )
        except RuleViolation as error:
            add_error(target.get(frequency, self.frequency), str(error))
            return False
        return valid

    def fill_from(self, series: RecurringSeries) -> None:
        self.title.data = series.title
        self.description.data = series.description
        self.priority.data = series.priority.value
        self.assignee_id.data = series.assignee_id or UNASSIGNED
        self.starts.data = datetime_local_value(series.starts_at, self.timezone_name)
        frequency, weekdays, day_of_month = rule_choices(series.rule)
        self.frequency.data = frequency
        self.weekdays.data = weekdays
        self.day_of_month.data = day_of_month
        self.rule.data = series.rule if frequency == "custom" else ""

    def to_fields(self) -> TemplateFields:
        assert self.built_rule is not None, "validate first"
        return TemplateFields(
            title=entered(self.title),
            description=self.description.data or "",
            priority=TaskPriority(self.priority.data),
            assignee_id=self.assignee_id.data or None,
            rule=self.built_rule,
            starts_at=parse_local_datetime(entered(self.starts), self.timezone_name),
        )
