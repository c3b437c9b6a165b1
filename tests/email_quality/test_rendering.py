"""Every email in Chromium at 600 and 375 px, light and dark: nothing wider than the window.
Screenshots land in test-results/email_quality/ for a person to look at."""

from __future__ import annotations

from typing import Any

import pytest

from tests.email_quality.conftest import RESULTS
from tests.email_quality.every_email import SentEmail
from tests.email_quality.kinds import CROWDED, EMAIL_NAMES

WIDTHS = [600, 375]
SCHEMES = ["light", "dark"]
# The widest element, for the failure message: what overflows, not only that something does.
WIDEST = """() => {
  let widest = null;
  for (const el of document.body.querySelectorAll('*')) {
    const right = el.getBoundingClientRect().right;
    if (!widest || right > widest.right) widest = {right, tag: el.tagName, cls: el.className};
  }
  return widest;
}"""


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", WIDTHS)
def test_no_email_overflows_the_window(
    browser: Any, sent_emails: dict[str, SentEmail], width: int, scheme: str
) -> None:
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme, java_script_enabled=True
    )
    # Offline: an email that loads anything from the network fails here rather than waits.
    context.route("**/*", lambda route: route.abort())
    page = context.new_page()
    overflowing = {}
    try:
        for name in EMAIL_NAMES:
            page.set_content(sent_emails[name].html, wait_until="load")
            page.screenshot(
                path=RESULTS / f"{name}-{width}-{scheme}.png", full_page=name not in CROWDED
            )
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                overflowing[name] = (scroll_width, page.evaluate(WIDEST))
    finally:
        context.close()
    assert overflowing == {}, f"wider than {width} px ({scheme}): {overflowing}"
