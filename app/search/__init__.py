"""Search: one box in the top bar over the tasks (titles, descriptions, comments) of every
project the person belongs to; PostgreSQL full-text search, SQLite FTS5."""

PUBLIC = ()
