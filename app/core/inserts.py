"""Inserts that skip rows a unique key already holds, alike on PostgreSQL and SQLite."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite

from app.core.database import DbSession


def insert_ignoring_duplicates(session: DbSession, model: Any, index_elements: list[str]) -> Any:
    """INSERT ... ON CONFLICT (index_elements) DO NOTHING for `model` on the session's database.

    The unique key, not a read-then-write, is what makes concurrent runs race-free."""
    dialect = session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(model).on_conflict_do_nothing(index_elements=index_elements)
