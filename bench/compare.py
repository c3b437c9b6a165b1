"""`python -m bench.compare SMALL.json LARGE.json`: how the digest run's time grew with U."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from bench.phases import growth
from bench.report import table
from bench.targets import growth_target


def main(small: str, large: str) -> int:
    figures = growth(json.loads(Path(small).read_text()), json.loads(Path(large).read_text()))
    print(table("Growth of the digest run", list(figures.items())))
    target = growth_target({"growth": figures})
    print(f"\n{target.name}: {target.verdict} ({target.measured}; wanted {target.wanted})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:3]))
