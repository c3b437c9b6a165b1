"""Moves the clock of a Python process the tests start by TICKLER_TEST_CLOCK_SHIFT_DAYS, as
tests/conftest.py moved the test run's: tests/processes.py puts this folder on PYTHONPATH only
while the shift is on, and Python imports `sitecustomize` at start."""

import os

_days = int(os.environ.get("TICKLER_TEST_CLOCK_SHIFT_DAYS") or 0)
if _days:
    from datetime import datetime, timedelta

    import time_machine

    time_machine.travel(datetime.now().astimezone() + timedelta(days=_days), tick=True).start()
