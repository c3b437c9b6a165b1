"""A real calendar program reads the feed: Debian's khal imports it into a private configuration
and lists the tasks at their local times, in New York and in Tokyo, across a clock change."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.calendars.conftest import LATE_MONDAY
from tests.calendars.test_feed import turn_on
from tests.services_available import require

KHAL = shutil.which("khal")
# 09:00 on Monday 15 March 2027 in New York, the day after the clocks went forward.
AFTER_SPRING_CHANGE = datetime(2027, 3, 15, 13, 0, tzinfo=UTC)

CONFIG = """[calendars]
[[tickler]]
path = {calendar}
type = calendar

[locale]
timeformat = %H:%M
dateformat = %Y-%m-%d
longdateformat = %Y-%m-%d
datetimeformat = %Y-%m-%d %H:%M
longdatetimeformat = %Y-%m-%d %H:%M
local_timezone = {zone}
default_timezone = {zone}
firstweekday = 0

[sqlite]
path = {database}
"""


def khal(home: Path, zone: str, *args: str) -> str:
    """Run khal with a configuration and data of its own, never the user's."""
    calendar = home / "calendar"
    calendar.mkdir(parents=True, exist_ok=True)
    config = home / "khal.conf"
    config.write_text(CONFIG.format(calendar=f"{calendar}/", zone=zone, database=home / "khal.db"))
    env = {
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
    }
    assert KHAL is not None
    result = subprocess.run(
        [KHAL, "-c", str(config), *args], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def imported_listing(tmp_path: Path, zone: str, feed: bytes, first: str, last: str) -> list[str]:
    home = tmp_path / zone.replace("/", "-")
    (home).mkdir(parents=True)
    ics = home / "tickler.ics"
    ics.write_bytes(feed)
    khal(home, zone, "import", "--batch", str(ics))
    listing = khal(
        home, zone, "list", "--format", "{start} | {title}", "--day-format", "", first, last
    )
    # khal lists an event under every day it touches, and gives an event without DTEND an hour
    # (RFC 5545 ends it where it starts): 23:30 is listed again under the next day. Once each.
    return sorted({line for line in listing.splitlines() if line.strip()})


@pytest.fixture
def feed_body(client, auth, make, team) -> bytes:
    make.task(
        team["project"], team["ann"], title="Ship it", due_at=LATE_MONDAY, assignee_id=team["ann"]
    )
    make.task(
        team["project"],
        team["ann"],
        title="Standup",
        due_at=AFTER_SPRING_CHANGE,
        assignee_id=team["ann"],
    )
    auth.login("ann@example.com")
    path = turn_on(client)
    client.post("/logout")
    response = client.get(path)
    assert response.status_code == 200
    return response.data


def test_khal_lists_the_tasks_at_new_york_times(tmp_path, feed_body):
    require(KHAL is not None, "khal is not installed (apt-get install -y khal)")
    december = imported_listing(tmp_path, "America/New_York", feed_body, "2026-12-01", "2026-12-31")
    assert december == ["2026-12-07 23:30 | Ship it"]
    march = imported_listing(
        tmp_path / "m", "America/New_York", feed_body, "2027-03-01", "2027-03-31"
    )
    assert march == ["2027-03-15 09:00 | Standup"]


def test_khal_in_tokyo_sees_the_same_moment_on_the_next_day(tmp_path, feed_body):
    require(KHAL is not None, "khal is not installed (apt-get install -y khal)")
    december = imported_listing(tmp_path, "Asia/Tokyo", feed_body, "2026-12-01", "2026-12-31")
    assert december == ["2026-12-08 13:30 | Ship it"]
