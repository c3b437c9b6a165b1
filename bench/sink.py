"""An SMTP sink on 127.0.0.1 that accepts everything and logs one line per message.

Run as its own process (`python -m bench.sink PORT LOGFILE`) so its CPU is its own, as a real
mail server's would be. Each line: accept time, recipient, Message-ID, size in bytes."""

from __future__ import annotations

import asyncio
import re
import sys
import time
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

MESSAGE_ID = re.compile(rb"^Message-ID:\s*(<[^>\r\n]*>)", re.IGNORECASE | re.MULTILINE)


def message_id_of(data: bytes) -> str:
    """The Message-ID header of raw message bytes, '' when there is none."""
    header_end = data.find(b"\r\n\r\n")
    found = MESSAGE_ID.search(data, 0, header_end if header_end >= 0 else len(data))
    return found.group(1).decode("ascii", "replace") if found else ""


class CountingHandler:
    def __init__(self, log: Any) -> None:
        self.log = log

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        data = envelope.content
        for rcpt in envelope.rcpt_tos:
            self.log.write(f"{time.time():.6f}\t{rcpt}\t{message_id_of(data)}\t{len(data)}\n")
        self.log.flush()
        return "250 OK"


def read_log(path: Path) -> list[tuple[float, str, str, int]]:
    """The sink's lines: (time, recipient, Message-ID, size)."""
    if not path.exists():
        return []
    rows = []
    for line in path.read_text().splitlines():
        parts = line.split("\t")
        if len(parts) == 4:
            rows.append((float(parts[0]), parts[1], parts[2], int(parts[3])))
    return rows


def main(port: int, log_path: str) -> None:
    with open(log_path, "a", buffering=1 << 16) as log:
        controller = Controller(
            CountingHandler(log), hostname="127.0.0.1", port=port, data_size_limit=0
        )
        controller.start()
        print(f"sink listening on 127.0.0.1:{port}", flush=True)
        try:
            asyncio.run(_forever())
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()


async def _forever() -> None:
    while True:
        await asyncio.sleep(3600)


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
