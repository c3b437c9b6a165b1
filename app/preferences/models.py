"""Every email choice a person makes, in one table; a kind with no row is on.

A row is one of:
  - a digest kind (EmailKind value) on the "email" channel;
  - a task-event kind (NotificationKind value) on the "email" or the "in_app" channel;
  - kind ALL_TASK with a project: that project's task emails muted (enabled false);
  - a digest setting: WORKDAYS_ONLY (skip the daily reminder at weekends), PER_TASK_ALERTS (an
    alert as each task enters its last 24 hours instead of the daily reminder), both off
    without a row; ALL_DIGESTS off `until` a day (a holiday pause).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.database import Base, TimestampMixin

EMAIL = "email"
IN_APP = "in_app"
# Every kind of task email, as the kind of a per-project mute.
ALL_TASK = "all_task"
WORKDAYS_ONLY = "workdays_only"
PER_TASK_ALERTS = "deadline_alerts_per_task"
ALL_DIGESTS = "all_digests"
# The settings that are off when nobody chose: every other kind is on without a row.
OFF_WITHOUT_A_ROW = frozenset({WORKDAYS_ONLY, PER_TASK_ALERTS})


class EmailChoice(TimestampMixin, Base):
    __tablename__ = "email_choices"
    __table_args__ = (
        UniqueConstraint(
            "user_id", "kind", "channel", "project_id", name="uq_email_choices_user_kind_where"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    channel: Mapped[str] = mapped_column(String(8), default=EMAIL)
    # Set only on a per-project mute; a project deleted takes its mutes with it.
    project_id: Mapped[int | None] = mapped_column(
        ForeignKey("projects.id", ondelete="CASCADE"), index=True
    )
    enabled: Mapped[bool] = mapped_column(default=True)
    # The last day a choice holds (a pause); it is not in force after it.
    until: Mapped[date | None] = mapped_column()
