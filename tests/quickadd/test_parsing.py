"""Reading a quick-add line: dates in words against a fixed now, tokens anywhere, clear errors.
Every test passes its own "now": none depends on today's date."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.core.mentions import Member
from app.quickadd.dates import date_languages
from app.quickadd.parsing import Context, LabelChoice, parse_line, split_quoted
from app.tasklist.models import TaskPriority

# Wednesday 2 December 2026, 10:00 in Berlin.
NOW = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)
BOB = Member(1, "Bob Builder", "bob@example.com")
ALICE = Member(2, "Alice Admin", "alice@example.com")
OPS = LabelChoice(7, "ops")
DESIGN = LabelChoice(8, "Design")


def read(text, *, now=NOW, zone="Europe/Berlin", languages=("en",), members=(BOB, ALICE)):
    context = Context(now, zone, languages, list(members), [OPS, DESIGN], me=ALICE.user_id)
    return parse_line(text, context)


def berlin(*parts):
    from zoneinfo import ZoneInfo

    return datetime(*parts, tzinfo=ZoneInfo("Europe/Berlin")).astimezone(UTC)


def test_the_issues_example_reads_every_part():
    parsed = read("Call supplier tomorrow 3pm !high @bob #ops")
    assert parsed.ok, parsed.problems
    assert parsed.title == "Call supplier"
    assert parsed.due_at == berlin(2026, 12, 3, 15, 0)
    assert parsed.due_words == "tomorrow 3pm"
    assert parsed.priority == TaskPriority.HIGH
    assert parsed.assignee == BOB
    assert parsed.labels == (OPS,)


@pytest.mark.parametrize(
    ("text", "title", "due"),
    [
        ("Call supplier tomorrow 3pm", "Call supplier", (2026, 12, 3, 15, 0)),
        ("Pay rent next friday", "Pay rent", (2026, 12, 4, 17, 0)),
        ("Review in 2 days", "Review", (2026, 12, 4, 17, 0)),
        ("Buy gifts Dec 24", "Buy gifts", (2026, 12, 24, 17, 0)),
        ("Buy gifts Dec 24 9am", "Buy gifts", (2026, 12, 24, 9, 0)),
        ("Check the oven in 3 hours", "Check the oven", (2026, 12, 2, 13, 0)),
        ("Plan offsite next friday at noon", "Plan offsite", (2026, 12, 4, 12, 0)),
        ("friday 5pm standup notes", "standup notes", (2026, 12, 4, 17, 0)),
    ],
)
def test_dates_in_words_count_from_the_given_now_on_the_persons_clock(text, title, due):
    parsed = read(text)
    assert parsed.ok, parsed.problems
    assert parsed.title == title
    assert parsed.due_at == berlin(*due)


def test_a_date_without_a_time_is_due_at_the_end_of_that_working_day():
    assert read("Send invoice friday").due_at == berlin(2026, 12, 4, 17, 0)


def test_a_line_without_a_date_has_no_due_date():
    parsed = read("Call mom")
    assert parsed.ok and parsed.title == "Call mom" and parsed.due_at is None


def test_the_same_words_mean_the_persons_own_day_in_another_zone():
    # 12:00 UTC on 2 Dec is 13:00 in Berlin but already 01:00 on the 3rd in Auckland.
    late = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)
    assert read("Call tomorrow 3pm", now=late).due_at == berlin(2026, 12, 3, 15, 0)
    parsed = read("Call tomorrow 3pm", now=late, zone="Pacific/Auckland")
    assert parsed.due_at == datetime(2026, 12, 4, 2, 0, tzinfo=UTC), "15:00 NZDT on the 4th"


def test_another_now_gives_another_date():
    parsed = read("Buy gifts Dec 24", now=datetime(2026, 12, 28, 9, 0, tzinfo=UTC))
    assert parsed.due_at == berlin(2027, 12, 24, 17, 0), "Dec 24 is next year's once it passed"


def test_dates_in_the_persons_language():
    parsed = read("Rechnung schicken morgen um 15:00", languages=date_languages(["de-DE", "en"]))
    assert parsed.ok, parsed.problems
    assert parsed.title == "Rechnung schicken"
    assert parsed.due_at == berlin(2026, 12, 3, 15, 0)
    parsed = read("Llamar al proveedor mañana a las 3pm", languages=date_languages(["es"]))
    assert parsed.title == "Llamar al proveedor"
    assert parsed.due_at == berlin(2026, 12, 3, 15, 0)


def test_the_persons_languages_come_first_and_english_is_always_the_fallback():
    assert date_languages(["de-CH", "fr", "en-GB"]) == ("de", "fr", "en")
    assert date_languages(["xx-YY", "*"]) == ("en",)
    assert date_languages([]) == ("en",)


@pytest.mark.parametrize(
    "text",
    [
        "!high @bob #ops Call supplier tomorrow 3pm",
        "Call !high supplier @bob tomorrow 3pm #ops",
        "@bob #ops tomorrow 3pm Call supplier !HIGH",
    ],
)
def test_priority_handle_and_label_may_stand_anywhere(text):
    parsed = read(text)
    assert parsed.ok, parsed.problems
    assert (parsed.title, parsed.priority, parsed.assignee, parsed.labels) == (
        "Call supplier",
        TaskPriority.HIGH,
        BOB,
        (OPS,),
    )


@pytest.mark.parametrize("word", ["low", "medium", "high", "critical"])
def test_every_priority_word(word):
    assert read(f"Thing !{word}").priority == TaskPriority(word)


def test_handles_work_as_in_mentions_and_me_is_the_person_adding():
    assert read("Thing @Bob.").assignee == BOB
    assert read("Thing @bobbuilder").assignee == BOB
    assert read("Thing @bob@example.com").assignee == BOB
    assert read("Thing @me").assignee == ALICE


def test_labels_are_matched_without_regard_to_case_and_several_may_be_given():
    assert read("Thing #OPS #design").labels == (OPS, DESIGN)


def test_an_unknown_handle_is_a_clear_error_naming_who_can_be_meant():
    parsed = read("Call supplier @zed")
    assert not parsed.ok
    [problem] = parsed.problems
    assert "Nobody in this project goes by @zed" in problem and "@bob" in problem


def test_a_handle_two_members_share_asks_for_more_of_the_name():
    twin = Member(3, "Bob Marley", "marley@example.com")
    parsed = read("Thing @bob", members=(BOB, twin))
    assert parsed.problems == (
        "@bob could be Bob Builder and Bob Marley; write more of the name, e.g. @bob.",
    )


def test_an_unknown_label_is_refused_with_the_projects_labels():
    [problem] = read("Thing #urgent").problems
    assert "no label “urgent”" in problem and "#Design, #ops" in problem
    assert "Labels page" in problem


def test_an_unknown_priority_and_two_priorities_are_errors():
    assert "use one of !low, !medium, !high, !critical" in read("Thing !urgent").problems[0]
    assert read("Thing !high !low").problems == ("Two priorities (!high and !low); keep one.",)


def test_an_empty_title_is_a_clear_error():
    assert read("tomorrow 3pm !high @bob").problems == (
        "Write what the task is, not only its date, priority, assignee or label.",
    )
    assert read("   ").problems[0].startswith("Type the task first")


def test_every_problem_is_told_at_once():
    assert len(read("@zed #nope !urgent").problems) == 4


def test_two_dates_are_an_error_and_quotes_keep_words_as_typed():
    assert "Two due dates" in read("Move friday meeting to monday").problems[0]
    parsed = read('Move "friday meeting" to monday')
    assert parsed.ok and parsed.title == "Move friday meeting to"
    assert parsed.due_at == berlin(2026, 12, 7, 17, 0)


def test_quoted_tokens_stay_in_the_title():
    parsed = read('Reply to "@bob #ops !high" thread')
    assert parsed.title == "Reply to @bob #ops !high thread"
    assert parsed.assignee is None and parsed.priority is None and parsed.labels == ()


def test_words_that_only_look_like_dates_stay_in_the_title():
    assert read("Plan 2027 budget").title == "Plan 2027 budget"
    assert read("Ship the may release").due_at is None
    parsed = read("Read chapter 3 today")
    assert parsed.title == "Read chapter 3" and parsed.due_words == "today"
    parsed = read("Fix issue #42 in 2 days")
    assert parsed.title == "Fix issue #42" and parsed.due_at == berlin(2026, 12, 4, 17, 0)


def test_an_unbelievable_date_is_refused_as_the_task_form_refuses_it():
    [problem] = read("Renew licence 12 March 1999").problems
    assert "more than a year ago" in problem


def test_a_title_past_the_limit_is_an_error():
    assert "keep it to 200" in read("x" * 201).problems[0]


def test_quoted_pieces_are_split_out_with_their_quotes_removed():
    assert split_quoted('a "b c" “d”') == [("a ", False), ("b c", True), (" ", False), ("d", True)]
