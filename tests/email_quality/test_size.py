"""Every email's HTML stays under 100 KB, where Gmail starts clipping the message."""

from __future__ import annotations

import pytest

from tests.email_quality.every_email import SentEmail
from tests.email_quality.kinds import EMAIL_NAMES

LIMIT = 100_000


@pytest.mark.parametrize("name", EMAIL_NAMES)
def test_html_part_is_under_100_kb(sent_emails: dict[str, SentEmail], name: str) -> None:
    size = len(sent_emails[name].html.encode())
    assert size < LIMIT, f"{name}: {size} bytes of HTML"
