"""Quick add: one line ("Call supplier tomorrow 3pm !high @bob #ops") becomes a task, with a
preview before saving."""

PUBLIC = ()
