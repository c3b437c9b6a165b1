"""The daily report's note for the command line: admins counted in the singular and the plural,
in the reader's language."""

from __future__ import annotations

from datetime import date

import pytest

from app.core.i18n import in_language
from app.digests.delivery import report_outcome

DAY = date(2026, 12, 7)


@pytest.mark.parametrize(
    ("emailed", "already", "words"),
    [
        (1, 0, "Emailed the report for Mon 7 Dec 2026 to 1 admin."),
        (2, 0, "Emailed the report for Mon 7 Dec 2026 to 2 admins."),
        (1, 1, "Emailed the report for Mon 7 Dec 2026 to 1 admin; 1 admin had it already."),
        (2, 3, "Emailed the report for Mon 7 Dec 2026 to 2 admins; 3 admins had it already."),
        (
            0,
            1,
            "The report for Mon 7 Dec 2026 was already emailed today to 1 admin; "
            "nobody was emailed again.",
        ),
        (
            0,
            2,
            "The report for Mon 7 Dec 2026 was already emailed today to 2 admins; "
            "nobody was emailed again.",
        ),
        (0, 0, "No admin wants the daily report (none, or all turned it off); nobody was emailed."),
    ],
)
def test_the_note_counts_admins_in_the_singular_and_the_plural(app, emailed, already, words):
    with app.test_request_context():
        assert report_outcome(DAY, emailed, already) == words


@pytest.mark.parametrize(
    ("language", "one", "two"),
    [
        ("de", "heute schon an 1 Admin gesendet", "heute schon an 2 Admins gesendet"),
        ("es", "ya se envió hoy a 1 administrador;", "ya se envió hoy a 2 administradores;"),
        ("fr", "aujourd’hui à 1 administrateur ;", "aujourd’hui à 2 administrateurs ;"),
        ("ja", "すでに管理者 1 人に送信済み", "すでに管理者 2 人に送信済み"),
    ],
)
def test_the_note_is_in_the_readers_language(app, language, one, two):
    with app.test_request_context(), in_language(language):
        assert one in report_outcome(DAY, 0, 1)
        assert two in report_outcome(DAY, 0, 2)
        assert "Emailed" not in (both := report_outcome(DAY, 1, 1)) and "already" not in both
