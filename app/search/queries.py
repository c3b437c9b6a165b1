"""A page of search results in a fixed number of statements, whatever the page holds: the
ranked tasks (with the total), the matching comments of those tasks, their labels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, select, true

from app.accounts.models import User
from app.comments.models import Comment
from app.core.database import DbSession
from app.core.paging import PageLinks
from app.labels.models import Label, task_labels
from app.labels.queries import LabelView, labels_for_tasks
from app.projects.models import Project, ProjectMember
from app.search import rules
from app.search.engines import CANDIDATES, comment_matches, ranked_hits
from app.search.filters import SearchFilters
from app.search.rules import Part, SearchQuery
from app.tasklist.models import Task, TaskPriority, TaskStatus, not_deleted


@dataclass(frozen=True)
class SearchResult:
    """One task found: what the list shows, the title's marked parts, and the snippet of where
    it matched (`matched_in` "description", "comment" or "title")."""

    id: int
    title: tuple[Part, ...]
    status: TaskStatus
    priority: TaskPriority
    due_at: datetime | None
    archived: bool
    project_id: int
    project_name: str
    assignee_name: str | None
    matched_in: str
    snippet: tuple[Part, ...]
    comment_author: str | None
    labels: tuple[LabelView, ...]

    @property
    def is_open(self) -> bool:
        return self.status != TaskStatus.COMPLETED


@dataclass
class SearchPage(PageLinks):
    items: list[SearchResult]
    page: int
    pages: int
    total: int
    per_page: int
    # More tasks matched than one search ranks (engines.CANDIDATES): "500 or more".
    capped: bool = False


@dataclass(frozen=True)
class Choice:
    value: str
    name: str


@dataclass(frozen=True)
class Scope:
    """Where a person may search, read once per request: their projects' ids and their
    labels' ids by lowercased name ([(label id, project id)]). Given to the search as values,
    so the planner sees how few rows they stand for."""

    project_ids: list[int]
    labels: dict[str, list[tuple[int, int]]]


@dataclass(frozen=True)
class FilterChoices:
    """What the filters offer: the person's projects, the people in them, their labels."""

    projects: list[Choice]
    people: list[Choice]
    labels: list[str]
    scope: Scope


def member_projects(user_id: int) -> Select[int]:
    """The ids of the projects the person belongs to and nobody deleted."""
    return (
        select(ProjectMember.project_id)
        .join(Project, Project.id == ProjectMember.project_id)
        .where(ProjectMember.user_id == user_id, Project.deleted_at.is_(None))
    )


def searched_projects(project_ids: list[int], filters: SearchFilters) -> list[int]:
    """The projects a search looks in: the person's, or the one chosen if it is theirs."""
    if filters.project_id is None:
        return project_ids
    return [filters.project_id] if filters.project_id in project_ids else []


def allowed_tasks(scope: Scope, filters: SearchFilters) -> ColumnElement[bool]:
    """The tasks a person may find with these filters: in their projects (read by
    member_projects in the same request: never another team's, one they left or a deleted
    one), outside the Trash, archived ones only when asked; then the filters."""
    projects = searched_projects(scope.project_ids, filters)
    conditions: list[ColumnElement[bool]] = [Task.project_id.in_(projects), not_deleted()]
    if not filters.include_archived:
        conditions.append(Task.archived_at.is_(None))
    if filters.statuses:
        conditions.append(Task.status.in_(filters.statuses))
    if filters.unassigned:
        conditions.append(Task.assignee_id.is_(None))
    elif filters.assignee_id is not None:
        conditions.append(Task.assignee_id == filters.assignee_id)
    if filters.label:
        # The label of that name in each searched project (names match whatever their case).
        named = scope.labels.get(filters.label.lower(), [])
        label_ids = [label_id for label_id, project_id in named if project_id in projects]
        conditions.append(
            exists(
                select(task_labels.c.task_id).where(
                    task_labels.c.task_id == Task.id, task_labels.c.label_id.in_(label_ids)
                )
            )
        )
    if filters.due_after is not None:
        conditions.append(Task.due_at >= filters.due_after)
    if filters.due_before is not None:
        conditions.append(Task.due_at < filters.due_before)
    return and_(true(), *conditions)


def _page_rows(
    session: DbSession,
    query: SearchQuery,
    filters: SearchFilters,
    scope: Scope,
    page: int,
    per_page: int,
) -> list[tuple[Any, ...]]:
    dialect = session.get_bind().dialect.name
    allowed = allowed_tasks(scope, filters)
    hits = ranked_hits(dialect, query.terms, allowed).subquery("ranked")
    assignee = select(User.name).where(User.id == Task.assignee_id).scalar_subquery()
    statement = (
        select(
            Task.id,
            Task.title,
            Task.description,
            Task.status,
            Task.priority,
            Task.due_at,
            Task.archived_at,
            Task.project_id,
            Project.name,
            assignee,
            func.count().over(),
        )
        .join(hits, hits.c.task_id == Task.id)
        .join(Project, Project.id == Task.project_id)
        .order_by(hits.c.rank.desc(), Task.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    )
    return [tuple(row) for row in session.execute(statement)]


def search_page(
    session: DbSession,
    scope: Scope,
    query: SearchQuery,
    filters: SearchFilters,
    page: int,
    per_page: int,
) -> SearchPage:
    """One page of results, best first, in three statements (four when the page asked for is
    past the last one: then the first page). `scope`: FilterChoices.scope."""
    if not query.is_searchable or not searched_projects(scope.project_ids, filters):
        return SearchPage([], 1, 1, 0, per_page)
    rows = _page_rows(session, query, filters, scope, page, per_page)
    if not rows and page > 1:
        page = 1
        rows = _page_rows(session, query, filters, scope, page, per_page)
    total = rows[0][-1] if rows else 0
    ids = [row[0] for row in rows]
    comments = best_comments(session, ids, query.terms)
    labels = labels_for_tasks(session, ids)
    items = [
        _result(row, query.terms, comments.get(row[0]), labels.get(row[0], [])) for row in rows
    ]
    pages = max(1, -(-total // per_page))
    return SearchPage(items, page, pages, total, per_page, capped=total >= CANDIDATES)


def best_comments(
    session: DbSession, task_ids: list[int], terms: tuple[str, ...]
) -> dict[int, tuple[str, str]]:
    """For each task, the latest of its comments holding all the terms: (author, body)."""
    if not task_ids:
        return {}
    dialect = session.get_bind().dialect.name
    rows = session.execute(
        select(Comment.task_id, User.name, Comment.body)
        .join(User, User.id == Comment.author_id)
        .where(Comment.task_id.in_(task_ids), comment_matches(dialect, terms))
        .order_by(Comment.task_id, Comment.created_at.desc(), Comment.id.desc())
    )
    found: dict[int, tuple[str, str]] = {}
    for task_id, author, body in rows:
        found.setdefault(task_id, (author, body))
    return found


def _result(
    row: tuple[Any, ...],
    terms: tuple[str, ...],
    comment: tuple[str, str] | None,
    labels: list[LabelView],
) -> SearchResult:
    (
        task_id,
        title,
        description,
        status,
        priority,
        due_at,
        archived_at,
        project_id,
        project_name,
        assignee_name,
        _total,
    ) = row
    matched_in, snippet, author = where_it_matched(title, description, comment, terms)
    return SearchResult(
        id=task_id,
        title=rules.highlighted(title, terms),
        status=status,
        priority=priority,
        due_at=due_at,
        archived=archived_at is not None,
        project_id=project_id,
        project_name=project_name,
        assignee_name=assignee_name,
        matched_in=matched_in,
        snippet=snippet,
        comment_author=author,
        labels=tuple(labels),
    )


def where_it_matched(
    title: str, description: str, comment: tuple[str, str] | None, terms: tuple[str, ...]
) -> tuple[str, tuple[Part, ...], str | None]:
    """Which text to show under the title: the description when the task's own text holds the
    words (and the description some of them), else the matching comment and its author."""
    own_text_matches = rules.matches(f"{title} {description}", terms)
    if own_text_matches and rules.has_hit(description, terms):
        return "description", rules.snippet(description, terms), None
    if not own_text_matches and comment is not None:
        author, body = comment
        return "comment", rules.snippet(body, terms), author
    if own_text_matches:
        return "title", rules.snippet(description, ()), None
    return "description", rules.snippet(description, terms), None


def filter_choices(session: DbSession, user_id: int) -> FilterChoices:
    """The filters' options in three statements: projects, people, label names."""
    projects = session.execute(
        select(Project.id, Project.name)
        .where(Project.id.in_(member_projects(user_id)))
        .order_by(func.lower(Project.name), Project.id)
    ).all()
    ids = [pid for pid, _ in projects]
    people = session.execute(
        select(User.id, User.name)
        .where(User.id.in_(select(ProjectMember.user_id).where(ProjectMember.project_id.in_(ids))))
        .order_by(func.lower(User.name), User.id)
    ).all()
    labels = session.execute(
        select(Label.id, Label.project_id, Label.name)
        .where(Label.project_id.in_(ids))
        .order_by(func.lower(Label.name), Label.name, Label.id)
    ).all()
    by_name: dict[str, list[tuple[int, int]]] = {}
    shown: dict[str, str] = {}  # one choice per name whatever its case: the first spelling
    for label_id, project_id, name in labels:
        by_name.setdefault(name.lower(), []).append((label_id, project_id))
        shown.setdefault(name.lower(), name)
    return FilterChoices(
        [Choice(str(pid), name) for pid, name in projects],
        [Choice(str(uid), name) for uid, name in people],
        list(shown.values()),
        Scope(ids, by_name),
    )
