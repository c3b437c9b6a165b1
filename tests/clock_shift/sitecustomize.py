"""Moves the clock of a Python process the tests start by TICKLER_TEST_CLOCK_SHIFT_DAYS (and
TICKLER_TEST_CLOCK_SHIFT_SECONDS), as tests/conftest.py moved the test run's, or as a test put
itself at a fixed moment (tests/processes.py `shared_clock_at`): tests/processes.py puts this
folder on PYTHONPATH only while a shift is on, and Python imports `sitecustomize` at start."""

import os

_days = int(os.environ.get("TICKLER_TEST_CLOCK_SHIFT_DAYS") or 0)
_seconds = float(os.environ.get("TICKLER_TEST_CLOCK_SHIFT_SECONDS") or 0)
if _days or _seconds:
    from datetime import datetime, timedelta

    import time_machine

    _shift = timedelta(days=_days, seconds=_seconds)
    time_machine.travel(datetime.now().astimezone() + _shift, tick=True).start()
