"""A digest chunk writes each recipient's email in their own language (User.language, loaded
with the chunk's users: no statement per person), whoever else is in the chunk."""

from __future__ import annotations

from datetime import UTC, datetime

from app.accounts.models import User
from app.core.email.models import EmailKind
from app.extensions import db
from app.notifications.jobs import send_digest_chunk

# A Sunday morning: both tasks are due on Monday 7 December 2026, within 24 hours.
NOW = datetime(2026, 12, 6, 10, 0, tzinfo=UTC)
DUE = (datetime(2026, 12, 7, 8, 0, tzinfo=UTC), datetime(2026, 12, 7, 9, 30, tzinfo=UTC))

EXPECTED = {
    "en": {
        "subject": "2 tasks due in the next 24 hours",
        "words": ("here is what is due soon",),
        "html": "Open your dashboard",
        "text": "Your dashboard:",
        "date": "Mon 07 Dec 2026, 08:00",
    },
    "de": {
        "subject": "2 Aufgaben in den nächsten 24 Stunden fällig",
        "words": ("das ist bald fällig",),
        "html": "Übersicht öffnen",
        "text": "Ihre Übersicht:",
        "date": "Mo., 7. Dez. 2026, 08:00",
    },
    "ja": {
        "subject": "24時間以内に期限のタスクが2件あります",
        "words": ("まもなく期限のタスクです",),
        "html": "ダッシュボードを開く",
        "text": "ダッシュボード：",
        "date": "2026年12月7日(月) 8:00",
    },
}


def recipients(app, make, languages: tuple[str, ...], tag: str) -> list[tuple[int, str]]:
    """One person per language, each with two tasks due on Monday; (user id, period) pairs."""
    pairs = []
    for n, language in enumerate(languages):
        user_id = make.user(email=f"{tag}{n}-{language}@example.com", name=f"{language} {n}")
        with app.app_context():
            db.session.get(User, user_id).language = language
            db.session.commit()
        project = make.project(user_id, name=f"Launch {tag}{n}")
        for number, due in enumerate(DUE):
            make.task(project, user_id, f"Task {number}", assignee_id=user_id, due_at=due)
        pairs.append((user_id, NOW.date().isoformat()))
    return pairs


def chunk_statements(count_queries, pairs: list[tuple[int, str]]) -> int:
    with count_queries() as statements:
        result = send_digest_chunk.apply(
            args=(EmailKind.TASK_REMINDER.value, [list(p) for p in pairs], NOW.isoformat())
        ).get()
    assert result["sent"] == len(pairs)
    return len(statements)


def test_each_recipient_of_a_chunk_reads_their_own_language(app, make, smtp, count_queries):
    few = recipients(app, make, ("en", "de", "ja"), "few")
    many = recipients(app, make, ("ja", "de", "en") * 3, "many")
    few_statements = chunk_statements(count_queries, few)
    many_statements = chunk_statements(count_queries, many)
    # The language comes with the user row the chunk reads anyway: 3 people or 9, in three
    # languages, cost the same statements.
    assert few_statements == many_statements

    messages = smtp.wait_for(len(few) + len(many))
    assert len(messages) == 12
    for message in messages:
        language = message["To"].split()[0].removeprefix('"')
        expected = EXPECTED[language]
        assert message["Subject"] == expected["subject"], language
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        assert expected["text"] in text and expected["html"] in html, language
        for part in (text, html):
            for words in expected["words"]:
                assert words in part, (language, words)
            assert expected["date"] in part, (language, expected["date"])
        if language != "en":
            assert "here is what is due soon" not in text, "no English leaks into it"
