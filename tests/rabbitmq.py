"""A RabbitMQ virtual host of the test run's own, so purging its queues never reaches another
consumer of the machine's RabbitMQ."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote

from tests.services_available import port_open, require

HOST, PORT = "127.0.0.1", 5672
# RabbitMQ's default user, which a fresh install lets in from loopback only.
USER = "guest"


def rabbitmq_available() -> bool:
    return port_open(HOST, PORT)


def rabbitmqctl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["rabbitmqctl", *args], capture_output=True, text=True, timeout=60, check=False
    )


@contextmanager
def private_vhost() -> Iterator[str]:
    """An AMQP URL on a new virtual host that USER may use; the host is deleted afterwards,
    with every queue in it. Skips (fails under CI=true) when it cannot be made."""
    require(rabbitmq_available(), f"RabbitMQ is not reachable at {HOST}:{PORT}")
    require(
        shutil.which("rabbitmqctl") is not None,
        "rabbitmqctl is not installed: the RabbitMQ tests make a virtual host of their own",
    )
    vhost = f"tickler-test-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    made = rabbitmqctl("add_vhost", vhost)
    require(
        made.returncode == 0,
        "rabbitmqctl add_vhost failed (run the tests as root or as the rabbitmq user): "
        + (made.stderr or made.stdout).strip()[-300:],
    )
    try:
        allowed = rabbitmqctl("set_permissions", "-p", vhost, USER, ".*", ".*", ".*")
        assert allowed.returncode == 0, allowed.stderr
        yield f"amqp://{USER}:{USER}@{HOST}:{PORT}/{quote(vhost, safe='')}"
    finally:
        rabbitmqctl("delete_vhost", vhost)
