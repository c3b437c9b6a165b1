"""The history's pure rules: which rows a change makes, and how a row reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from app.core.events import TaskSnapshot
from app.history import rules
from app.history.rules import Draft


@dataclass(frozen=True)
class Row:
    kind: str
    field: str | None = None
    old_value: str | None = None
    new_value: str | None = None
    actor_name: str | None = "Ann"


def snapshot(**changes: object) -> TaskSnapshot:
    values: dict[str, object] = dict(
        title="Ship it",
        description="",
        status="pending",
        priority="medium",
        due_at=None,
        assignee_id=None,
    )
    values.update(changes)
    return TaskSnapshot(**values)  # type: ignore[arg-type]


def said(row: Row, timezone: str = "UTC") -> str:
    return rules.sentence(row, timezone)


def test_a_status_change_reads_as_a_move():
    row = Row("changed", "status", "pending", "in_progress")
    assert said(row) == "Ann moved it from Pending to In progress"


def test_a_due_date_change_reads_in_the_viewers_zone():
    old = datetime(2026, 12, 7, 8, 0, tzinfo=UTC).isoformat()
    new = datetime(2026, 12, 8, 8, 0, tzinfo=UTC).isoformat()
    row = Row("changed", "due_at", old, new, actor_name="Bob")
    assert said(row, "Europe/Berlin") == (
        "Bob changed the due date from Mon 07 Dec 2026, 09:00 to Tue 08 Dec 2026, 09:00"
    )


def test_setting_and_removing_a_due_date_say_so():
    when = datetime(2026, 12, 7, 8, 0, tzinfo=UTC).isoformat()
    assert (
        said(Row("changed", "due_at", None, when))
        == "Ann set the due date to Mon 07 Dec 2026, 08:00"
    )
    assert said(Row("changed", "due_at", when, None)) == (
        "Ann removed the due date (was Mon 07 Dec 2026, 08:00)"
    )


def test_assignee_changes_name_the_people_as_they_were():
    assert said(Row("changed", "assignee_id", None, "Bob")) == "Ann assigned it to Bob"
    assert said(Row("changed", "assignee_id", "Bob", None)) == "Ann unassigned Bob"
    assert said(Row("changed", "assignee_id", "Bob", "Cy")) == "Ann reassigned it from Bob to Cy"


def test_title_priority_and_description_changes():
    assert said(Row("changed", "title", "Old", "New")) == "Ann renamed it from “Old” to “New”"
    assert said(Row("changed", "priority", "medium", "critical")) == (
        "Ann changed the priority from Medium to Critical"
    )
    assert said(Row("changed", "description")) == "Ann edited the description"


def test_a_change_without_a_person_is_tickler():
    assert said(Row("archived", actor_name=None)) == "Tickler archived it"


def test_plain_kinds_read_as_people_say_them():
    assert said(Row("created")) == "Ann created the task"
    assert said(Row("deleted")) == "Ann moved it to the Trash"
    assert said(Row("restored")) == "Ann restored it from the Trash"
    assert said(Row("unarchived")) == "Ann brought it back from the archive"


def test_label_changes_list_the_names():
    draft = rules.label_draft(("Bug", "UI"), ("Later",))
    assert draft is not None
    row = Row("labels", None, draft.old_value, draft.new_value)
    assert said(row) == "Ann added the labels Bug and UI and removed the label Later"
    assert rules.label_draft((), ()) is None


def test_a_comment_reads_with_its_first_words():
    draft = rules.comment_draft(7, "Looks   good\n\nto me " + "word " * 60)
    assert draft.new_id == 7 and draft.new_value is not None
    assert len(draft.new_value) <= rules.EXCERPT_LENGTH and draft.new_value.endswith("…")
    assert said(Row("commented", None, None, "Looks good")) == "Ann commented: “Looks good”"


def test_an_edit_of_several_fields_makes_one_row_each_in_reading_order():
    before = snapshot(assignee_id=1)
    after = snapshot(title="Ship it now", status="blocked", assignee_id=2, description="x")
    changed = frozenset({"title", "status", "assignee_id", "description"})
    drafts = rules.change_drafts(before, after, changed, {1: "Ann", 2: "Bob"})
    assert drafts == [
        Draft("changed", "title", "Ship it", "Ship it now"),
        Draft("changed", "status", "pending", "blocked"),
        Draft("changed", "assignee_id", "Ann", "Bob", 1, 2),
        Draft("changed", "description"),
    ]


def test_joined_words():
    assert rules.joined(["A"]) == "A"
    assert rules.joined(["A", "B", "C"]) == "A, B and C"
