"""Mentions, who hears of what, and how user text becomes safe markup: pure rules."""

import pytest

from app.core.mentions import Member, mentioned
from app.core.web.template_helpers import linkify
from app.notifications.models import NotificationKind
from app.notifications.rules import Event, Involved, recipients

BOB = Member(2, "Bob Builder", "bob@example.com")
ROBIN = Member(3, "Robin Hood", "rh@example.com")
ANN = Member(1, "Ann Lee", "ann@example.com")
MEMBERS = [ANN, BOB, ROBIN]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("@bob please look", {2}),
        ("thanks @Bob.", {2}),
        ("cc @bob.builder and @rh@example.com", {2, 3}),
        ("@BobBuilder @robin", {2, 3}),
        ("mail bob@example.com, no mention", set()),
        ("@nobody here", set()),
        ("@ann@example.com!", {1}),
    ],
)
def test_mentions_by_name_or_email(text, expected):
    assert mentioned(text, MEMBERS) == expected


INVOLVED = Involved(
    creator_id=1, assignee_id=2, watcher_ids=frozenset({4}), commenter_ids=frozenset({5})
)


@pytest.mark.parametrize(
    ("event", "expected"),
    [
        (Event(NotificationKind.ASSIGNED, 9, actor_id=1), {2}),
        (Event(NotificationKind.ASSIGNED, 9, actor_id=2), set()),  # assigned to themselves
        (Event(NotificationKind.STATUS_CHANGED, 9, actor_id=2), {1, 4}),
        (Event(NotificationKind.MENTIONED, 9, actor_id=5, addressed_ids=frozenset({4, 5})), {4}),
        (Event(NotificationKind.COMMENTED, 9, actor_id=5, addressed_ids=frozenset({4})), {1, 2}),
    ],
)
def test_who_hears_of_what_never_the_actor(event, expected):
    assert recipients(event, INVOLVED) == expected


def test_linkify_escapes_everything_and_links_only_http_urls():
    html = str(linkify("see https://example.com/a?b=1&c=2. <script>x</script> javascript:alert(1)"))
    assert '<a href="https://example.com/a?b=1&amp;c=2" rel="nofollow noopener noreferrer">' in html
    assert "</a>. &lt;script&gt;" in html
    assert "<script>" not in html
    assert 'href="javascript' not in html


def test_linkify_cannot_be_broken_out_of_by_quotes_in_a_url():
    html = str(linkify('https://example.com/"onmouseover="alert(1)'))
    assert 'onmouseover="alert' not in html


def test_an_assignment_is_told_to_whom_it_was_assigned_then_not_to_the_assignee_now():
    involved = Involved(creator_id=1, assignee_id=3)
    then = Event(NotificationKind.ASSIGNED, 9, actor_id=1, addressed_ids=frozenset({2}))
    assert recipients(then, involved) == {2}
    assert recipients(Event(NotificationKind.ASSIGNED, 9, actor_id=1), involved) == {3}
