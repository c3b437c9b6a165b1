"""Quick add: one line ("Call supplier tomorrow 3pm !high @bob #ops") becomes a task, with a
preview before saving."""

PUBLIC = (
    "service.reading_context",  # what a line is read against: a mailed-in task's first line
    "parsing.parse_line",  # one line read into a task's fields (pure)
    "parsing.Parsed",  # what parse_line read
    "dates.date_languages",  # the date languages for a person's preferred ones
)
