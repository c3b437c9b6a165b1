"""History listens to the domain events (issue 19)."""

from __future__ import annotations


def register() -> None:
    """Subscribe the history's handlers to the domain events."""
