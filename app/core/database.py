"""Declarative base, the column types every model shares, and the session type services take."""

from __future__ import annotations

import enum
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias

from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import DateTime, Enum, MetaData, Table
from sqlalchemy.engine import CursorResult, Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, scoped_session
from sqlalchemy.sql import Executable
from sqlalchemy.types import TypeDecorator

# Named constraints keep Alembic migrations identical on SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware UTC datetime on every database, SQLite included.

    SQLite has no timezone type, so values are stored as naive UTC there and made aware again
    on the way out; naive values coming in are refused, because their zone is a guess.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            message = (
                "naive datetime given to a UTC column; attach a timezone first"  # i18n: internal
            )
            raise ValueError(message)
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    if TYPE_CHECKING:
        # SQLAlchemy types it as any FromClause; every model here maps a plain Table.
        __table__: ClassVar[Table]


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


def string_enum(enum_class: type[enum.Enum], length: int = 16) -> Enum:
    """An enum stored as its lowercase value with a CHECK constraint, alike on every database."""
    return Enum(
        enum_class,
        native_enum=False,
        create_constraint=True,
        length=length,
        values_callable=lambda members: [member.value for member in members],
    )


# The session services take. Views and jobs pass Flask-SQLAlchemy's `db.session`, a
# scoped_session that proxies every Session method to the session of the current app context;
# scripts and tests may pass a plain Session. Both are used the same way, so services accept
# either, spelled once here rather than by casting `db.session` at each call.
DbSession: TypeAlias = Session | scoped_session[FlaskSession]


def execute_dml(session: DbSession, statement: Executable) -> CursorResult[*tuple[Any, ...]]:
    """Run an UPDATE or DELETE without RETURNING, for its `rowcount`.

    SQLAlchemy documents a CursorResult for these but types Session.execute as returning a
    Result (sqlalchemy#9185); the check states the documented promise once, here."""
    result = session.execute(statement)
    if not isinstance(result, CursorResult):
        raise TypeError(f"{statement} gave a {type(result).__name__}, which has no rowcount")
    return result
