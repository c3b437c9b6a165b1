"""The database's own full-text search, behind one shape: PostgreSQL's tsvector columns with
GIN indexes, SQLite's FTS5 tables (both made by migration 0024; see app/search/schema.py)."""

from __future__ import annotations

from sqlalchemy import (
    ColumnElement,
    Float,
    Integer,
    Select,
    column,
    literal_column,
    select,
    table,
    union_all,
)
from sqlalchemy.sql.expression import func

from app.comments.models import Comment
from app.search.rules import postgres_tsquery, sqlite_match
from app.tasklist.models import Task

# A match in a comment counts half of one in the task's own text: the title and description
# say what a task is about, a comment may mention a word in passing.
COMMENT_WEIGHT = 0.5
# bm25 column weights on SQLite, as PostgreSQL's A (1.0) and B (0.4) weights of ts_rank.
TITLE_WEIGHT, DESCRIPTION_WEIGHT = 10.0, 4.0
# The work of one search is bounded: each arm ranks at most this many matches, the newest
# (highest ids). A word in most tasks then costs as little as a rare one; the page says when
# there were more, so the person adds a word or a filter.
CANDIDATES = 500
# SQLite's FTS5 tables: the rowid is the task's, or the comment's, id.
TASKS_FTS = table("tasks_fts", column("rowid", Integer))
COMMENTS_FTS = table("comments_fts", column("rowid", Integer))


def _tsquery(terms: tuple[str, ...]) -> ColumnElement:
    return func.to_tsquery(literal_column("'simple'"), postgres_tsquery(terms))


def _tasks_fts_match(terms: tuple[str, ...]) -> ColumnElement[bool]:
    return literal_column("tasks_fts").op("MATCH")(sqlite_match(terms))


def _comments_fts_match(terms: tuple[str, ...]) -> ColumnElement[bool]:
    return literal_column("comments_fts").op("MATCH")(sqlite_match(terms))


def ranked_hits(dialect: str, terms: tuple[str, ...], tasks_allowed: ColumnElement[bool]) -> Select:
    """(task_id, rank) for the tasks whose title and description, or one of whose comments,
    hold all the terms (the newest CANDIDATES of each); higher rank first. `tasks_allowed`
    (on Task) narrows both arms early, so neither ranks a row the person could never see."""
    if dialect == "postgresql":
        query = _tsquery(terms)
        task_vector: ColumnElement[object] = literal_column("tasks.search_vector")
        comment_vector: ColumnElement[object] = literal_column("comments.search_vector")
        in_tasks = (
            select(Task.id.label("task_id"), func.ts_rank(task_vector, query).label("rank"))
            .where(task_vector.op("@@")(query), tasks_allowed)
            .order_by(Task.id.desc())
        )
        in_comments = (
            select(
                Comment.task_id.label("task_id"),
                (func.ts_rank(comment_vector, query) * COMMENT_WEIGHT).label("rank"),
            )
            .join(Task, Task.id == Comment.task_id)
            .where(comment_vector.op("@@")(query), tasks_allowed)
            .order_by(Comment.id.desc())
        )
    elif dialect == "sqlite":
        # bm25 is lower for better matches; negated, it sorts like ts_rank.
        task_rank = -func.bm25(literal_column("tasks_fts"), TITLE_WEIGHT, DESCRIPTION_WEIGHT)
        in_tasks = (
            select(Task.id.label("task_id"), task_rank.label("rank"))
            .select_from(TASKS_FTS)
            .join(Task, Task.id == TASKS_FTS.c.rowid)
            .where(_tasks_fts_match(terms), tasks_allowed)
            .order_by(Task.id.desc())
        )
        comment_rank = -func.bm25(literal_column("comments_fts")) * COMMENT_WEIGHT
        in_comments = (
            select(Comment.task_id.label("task_id"), comment_rank.label("rank"))
            .select_from(COMMENTS_FTS)
            .join(Comment, Comment.id == COMMENTS_FTS.c.rowid)
            .join(Task, Task.id == Comment.task_id)
            .where(_comments_fts_match(terms), tasks_allowed)
            .order_by(Comment.id.desc())
        )
    else:
        raise NotImplementedError(f"search has no engine for {dialect}")  # i18n: internal
    # Each arm capped, then wrapped: SQLite takes no LIMIT inside a bare UNION member.
    arms = [arm.limit(CANDIDATES).subquery() for arm in (in_tasks, in_comments)]
    hits = union_all(*(select(arm.c.task_id, arm.c.rank) for arm in arms)).subquery("hits")
    return select(hits.c.task_id, func.max(hits.c.rank).cast(Float).label("rank")).group_by(
        hits.c.task_id
    )


def comment_matches(dialect: str, terms: tuple[str, ...]) -> ColumnElement[bool]:
    """A condition on Comment: the comment holds all the terms."""
    if dialect == "postgresql":
        return literal_column("comments.search_vector").op("@@")(_tsquery(terms))
    return Comment.id.in_(select(COMMENTS_FTS.c.rowid).where(_comments_fts_match(terms)))
