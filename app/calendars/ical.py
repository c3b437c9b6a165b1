"""The iCalendar feed (RFC 5545) written with the icalendar library: one VEVENT per task at its
due moment in UTC, with a stable UID, a growing SEQUENCE and one VALARM per reminder."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext
from icalendar import Alarm, Calendar, Event, vDuration

from app.calendars.queries import CalendarTask
from app.calendars.rules import sequence_for
from app.reminders.models import TaskReminder
from app.tasklist.models import TaskPriority

PRODID = "-//Tickler//Calendar feed//EN"
# RFC 5545 PRIORITY: 1 is the highest, 9 the lowest (1-4 high, 5 medium, 6-9 low).
ICAL_PRIORITY = {
    TaskPriority.CRITICAL: 1,
    TaskPriority.HIGH: 3,
    TaskPriority.MEDIUM: 5,
    TaskPriority.LOW: 9,
}
# A reminder "before the due date" as the alarm's offset from the event's start.
BEFORE_DUE = {"1h": timedelta(hours=1), "1d": timedelta(days=1), "1w": timedelta(weeks=1)}
# How often calendar apps that read RFC 7986's REFRESH-INTERVAL should poll.
REFRESH_INTERVAL = timedelta(minutes=15)


@dataclass(frozen=True)
class FeedSite:
    """Where the tasks live: the host for UIDs, and how to link to a task."""

    host: str
    base_url: str

    def task_url(self, task_id: int) -> str:
        return f"{self.base_url}/task/{task_id}"


def feed_calendar(
    name: str,
    tasks: Sequence[CalendarTask],
    reminders: dict[int, list[TaskReminder]],
    site: FeedSite,
) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    calendar.add("refresh-interval", REFRESH_INTERVAL, parameters={"VALUE": "DURATION"})
    calendar["X-PUBLISHED-TTL"] = vDuration(REFRESH_INTERVAL)
    for task in tasks:
        calendar.add_component(task_event(task, reminders.get(task.id, []), site))
    return calendar


def task_event(task: CalendarTask, reminders: Sequence[TaskReminder], site: FeedSite) -> Event:
    """The task at its due moment (no DTEND: RFC 5545 ends such an event where it starts).
    DTSTART is in UTC (a 'Z' time needs no VTIMEZONE and every client shows it in its own
    zone). DTSTAMP, LAST-MODIFIED and SEQUENCE follow the task's last edit, which never goes
    back (a deleted reminder would take a reminder's time back), so an unchanged task reads the
    same on every poll and the ETag holds."""
    revised = task.updated_at
    event = Event()
    event.add("uid", f"task-{task.id}@{site.host}")
    event.add("dtstamp", revised)
    event.add("last-modified", revised)
    event.add("created", task.created_at)
    event.add("sequence", sequence_for(task.created_at, revised))
    event.add("summary", task.title)
    event.add("dtstart", task.due_at)
    event.add("transp", "TRANSPARENT")  # a due date does not make the person busy
    event.add("status", "CONFIRMED")
    event.add("url", site.task_url(task.id), parameters={"VALUE": "URI"})
    event.add("priority", ICAL_PRIORITY[task.priority])
    event.add("categories", categories_of(task))
    event.add("description", description_of(task, site))
    for reminder in reminders:
        alarm = reminder_alarm(task, reminder)
        if alarm is not None:
            event.add_component(alarm)
    return event


def categories_of(task: CalendarTask) -> list[str]:
    return [
        task.project_name,
        task.status.label,
        gettext("%(priority)s priority", priority=task.priority.label),
        *(label.name for label in task.labels),
    ]


def description_of(task: CalendarTask, site: FeedSite) -> str:
    lines = [
        gettext("Project: %(project)s", project=task.project_name),
        gettext("Status: %(status)s", status=task.status.label),
        gettext("Priority: %(priority)s", priority=task.priority.label),
    ]
    if task.labels:
        names = ", ".join(label.name for label in task.labels)
        lines.append(gettext("Labels: %(labels)s", labels=names))
    lines.append(site.task_url(task.id))
    return "\n".join(lines)


def reminder_alarm(task: CalendarTask, reminder: TaskReminder) -> Alarm | None:
    """A reminder before the due date as an offset from the start (it follows the task when
    the due date moves), one at a set time as that UTC moment; None if it has no time yet."""
    alarm = Alarm()
    alarm.add("action", "DISPLAY")
    alarm.add("description", gettext("Reminder: %(title)s", title=task.title))
    offset = BEFORE_DUE.get(reminder.before_due or "")
    if offset is not None:
        alarm.add("trigger", -offset, parameters={"RELATED": "START"})
    elif reminder.remind_at is not None:
        alarm.add("trigger", reminder.remind_at, parameters={"VALUE": "DATE-TIME"})
    else:
        return None
    alarm.add("uid", f"task-{task.id}-reminder-{reminder.id}")
    return alarm
