"""Pure figures: percentiles, rates, targets met or not, and the readable table."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (0 < fraction <= 1); 0.0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def rate(count: float, seconds: float) -> float:
    return count / seconds if seconds > 0 else 0.0


def fraction(ours: float, limit: float) -> float:
    return ours / limit if limit > 0 else 0.0


@dataclass(frozen=True)
class Target:
    name: str
    wanted: str
    measured: str
    met: bool | None  # None: not measured in this run

    @property
    def verdict(self) -> str:
        return {True: "MET", False: "NOT MET", None: "not measured"}[self.met]


def exactly_once(sink_ids: Iterable[str], ledger_ids: Iterable[str]) -> dict[str, int]:
    """Compare what the SMTP sink accepted with what the ledger says was sent."""
    received: dict[str, int] = {}
    for message_id in sink_ids:
        received[message_id] = received.get(message_id, 0) + 1
    sent = set(ledger_ids)
    return {
        "received": sum(received.values()),
        "ledger_sent": len(sent),
        "duplicates": sum(count - 1 for count in received.values() if count > 1),
        "missing": len(sent - received.keys()),
        "unexpected": len(received.keys() - sent),
    }


def growth_ratio(small_seconds: float, large_seconds: float, small_u: int, large_u: int) -> dict:
    """How time grew against head count: linear when time ratio / size ratio is near 1."""
    size = large_u / small_u
    time_ratio = large_seconds / small_seconds if small_seconds else 0.0
    return {"size_ratio": size, "time_ratio": time_ratio, "per_user_ratio": time_ratio / size}


def table(title: str, rows: list[tuple[str, object]]) -> str:
    """Two aligned columns under a title."""
    width = max((len(name) for name, _ in rows), default=0)
    lines = [title, "-" * len(title)]
    lines += [f"  {name.ljust(width)}  {format_value(value)}" for name, value in rows]
    return "\n".join(lines)


def format_value(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 10 else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def targets_table(targets: list[Target]) -> str:
    rows = [(t.name, f"{t.verdict:12} measured {t.measured}; wanted {t.wanted}") for t in targets]
    return table("Targets", rows)
