"""Every HTML part is well-formed HTML: html5lib, the WHATWG parsing algorithm, finds no error."""

from __future__ import annotations

import html5lib
import pytest

from tests.email_quality.every_email import SentEmail
from tests.email_quality.kinds import EMAIL_NAMES


@pytest.mark.parametrize("name", EMAIL_NAMES)
def test_html_part_parses_without_errors(sent_emails: dict[str, SentEmail], name: str) -> None:
    parser = html5lib.HTMLParser(strict=False)
    parser.parse(sent_emails[name].html)
    errors = [(position, code, data) for position, code, data in parser.errors]
    assert errors == [], f"{name}: {errors[:5]}"
