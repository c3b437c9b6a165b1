"""What `make run` prints once everything answers: where to go, who to log in as, what runs."""

from __future__ import annotations

import datetime
import http.client
import os
import signal
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import redis
from honcho.printer import Message

from scripts.devstack.processes import DEVSTACK
from scripts.devstack.settings import HOST, Stack, database_url, env_value, mask_password

READY_TIMEOUT = 60.0


def redis_answers(port: int) -> bool:
    try:
        return bool(redis.Redis(host=HOST, port=port, socket_timeout=0.5).ping())
    except redis.RedisError:
        return False


def port_answers(port: int) -> bool:
    try:
        with socket.create_connection((HOST, port), timeout=0.5):
            return True
    except OSError:
        return False


def http_status(url: str) -> int | None:
    """The HTTP status `url` answers with, or None when nothing answers yet."""
    # No proxy: an HTTP_PROXY in the environment must not swallow requests to 127.0.0.1.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=1) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (OSError, http.client.HTTPException):
        return None


def not_answering(stack: Stack) -> str | None:
    """The first of the embedded Redis, the SMTP server and the web app that does not answer
    yet, or None when all of them do."""
    if stack.redis_port is not None and not redis_answers(stack.redis_port):
        return "Redis"
    if stack.smtp_port is not None and not port_answers(stack.smtp_port):
        return "The SMTP server"
    return "The web app" if http_status(f"{stack.url}/login") is None else None


def describe_broker(stack: Stack, env: Mapping[str, str]) -> str:
    if stack.redis_port is not None:
        return f"redis://{HOST}:{stack.redis_port}/0 (embedded Redis, nothing kept on disk)"
    return mask_password(env_value(env, "CELERY_BROKER_URL") or "")


def describe_mail(stack: Stack, env: Mapping[str, str]) -> str:
    if stack.smtp_port is not None:
        return f"local SMTP server on {HOST}:{stack.smtp_port}, kept in {stack.mailbox_dir}"
    return f"{env_value(env, 'MAIL_SERVER')}:{env_value(env, 'MAIL_PORT') or 25}"


def banner_lines(stack: Stack, env: Mapping[str, str]) -> list[str]:
    """What a person needs once everything answers: where to go, who to log in as, what runs."""
    from app.demo import DEMO_PASSWORD, DEMO_PEOPLE

    lines = ["=" * 72, f"Tickler is running at {stack.url}"]
    if stack.smtp_port is not None and env_value(env, "TICKLER_ENV") != "production":
        lines.append(f"Mail it sends:  {stack.url}/dev/mail/")
    if env_value(env, "TICKLER_ENV") == "development":
        lines.append(f"Webhooks sent:  {stack.url}/dev/webhooks/ (the demo project's receiver)")
    lines.append(f"Demo logins (password {DEMO_PASSWORD}):")
    lines += [f"    {p.email}{'  (admin)' if p.is_admin else ''}" for p in DEMO_PEOPLE]
    lines.append(f"Broker:    {describe_broker(stack, env)}")
    lines.append(f"Mail:      {describe_mail(stack, env)}")
    inbound = env_value(env, "INBOUND_ADDRESS")
    if inbound and stack.smtp_port is not None and env_value(env, "INBOUND_MAILDIR"):
        # Replies from /dev/mail come back through the local SMTP server to this Maildir.
        lines.append(f"Inbound:   mail to {inbound} (and its +addresses) is read by the poll job")
    lines.append(f"Database:  {mask_password(database_url(env))}")
    base_url = env_value(env, "APP_BASE_URL") or stack.url
    if base_url.rstrip("/") != stack.url:
        lines.append(f"Links in emails use APP_BASE_URL={base_url}")
    return [*lines, "Press Ctrl-C to stop everything.", "=" * 72]


@dataclass
class Announcer:
    """Prints the banner once everything answers, from a thread beside honcho's loop; if that
    takes too long, says so and stops the stack as a SIGTERM would."""

    stack: Stack
    env: Mapping[str, str]
    printer_queue: Any
    timeout: float = READY_TIMEOUT
    timed_out: bool = False

    def __post_init__(self) -> None:
        self.done = threading.Event()

    def start(self) -> None:
        threading.Thread(target=self.watch, name="devstack-banner", daemon=True).start()

    def watch(self) -> None:
        deadline = time.monotonic() + self.timeout
        while not self.done.is_set() and (waiting := not_answering(self.stack)) is not None:
            if time.monotonic() > deadline:
                self.timed_out = True
                self.say(
                    f"Error: {waiting} did not answer within {self.timeout:.0f} s; see its output."
                )
                os.kill(os.getpid(), signal.SIGTERM)  # honcho's handler stops every child
                return
            self.done.wait(0.2)
        for line in [] if self.done.is_set() else banner_lines(self.stack, self.env):
            self.say(line)

    def say(self, text: str) -> None:
        # Through honcho's own event queue, so these lines never mix with a child's.
        now = datetime.datetime.now()
        self.printer_queue.put(Message("line", text, now, DEVSTACK, None))
