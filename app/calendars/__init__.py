"""Calendars: month and week views of due dates (a project's, "my tasks"), and each person's
private iCalendar feed."""

PUBLIC = ()
