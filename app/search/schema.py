"""What search keeps outside the models: PostgreSQL's generated tsvector columns and their GIN
indexes, SQLite's FTS5 tables (migration 0024 creates them). Alembic's comparison skips them."""

from __future__ import annotations

from typing import Any

# PostgreSQL: a tsvector column on tasks (title weighted A, description B) and on comments,
# each GENERATED ... STORED so the database keeps it current with no trigger and no code.
SEARCH_VECTOR_COLUMN = "search_vector"
SEARCH_INDEXES = ("ix_tasks_search_vector", "ix_comments_search_vector")
# SQLite: external-content FTS5 tables (and the shadow tables FTS5 makes for each), filled by
# triggers on tasks and comments.
FTS_TABLES = ("tasks_fts", "comments_fts")


def is_search_table(name: str) -> bool:
    return any(name == fts or name.startswith(fts + "_") for fts in FTS_TABLES)


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    """Alembic's include_object: leave out the search schema the database has and the models
    do not describe, so `compare_metadata` and autogenerate see the models' schema only."""
    if not reflected or compare_to is not None or name is None:
        return True
    if type_ == "table":
        return not is_search_table(name)
    if type_ == "column":
        return name != SEARCH_VECTOR_COLUMN
    if type_ == "index":
        return name not in SEARCH_INDEXES
    return True
