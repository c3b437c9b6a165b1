"""A real SMTP server on loopback that misbehaves on cue: slow, refusing, silent or hanging up."""

from __future__ import annotations

import asyncio
import itertools
import random
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from email.policy import default
from typing import Any

from aiosmtpd.controller import Controller

from tests.processes import free_port


class FaultHandler:
    """Accepts mail like a real server, unless told to answer otherwise.

    delay: seconds each DATA takes (so a chunk is still sending when a test kills its worker).
    data_replies: answers for the next DATA commands ("451 ...", "421 ...") instead of 250.
    refuse: address -> RCPT answer ("550 No such user").
    drop_after_data: how many of the next DATA commands get the connection closed, no answer.
    hang_up_rate: the share of DATA commands answered `hang_up_reply` (421) with the connection
      then closed, as a real server does, chosen by a seeded random so a run can be replayed.
    slow_data_keep: how many of the next DATA commands are answered only after `slow_data_delay`
      seconds and kept all the same (a server slower than the client's patience), even when
      the client has hung up meanwhile."""

    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.delay = 0.0
        self.data_replies: list[str] = []
        self.refuse: dict[str, str] = {}
        self.drop_after_data = 0
        self.hang_up_rate = 0.0
        self.hang_up_reply = "421 4.3.2 Too busy, closing the connection"
        self.random = random.Random(5321)
        self.slow_data_keep = 0
        self.slow_data_delay = 0.0
        # (Message-ID, what happened, when) for every DATA command.
        self.attempts: list[tuple[str, str, float]] = []
        self.lock = threading.Lock()
        # A key per connection that no later connection reuses (id() of a collected session
        # object can come back), and the connections the client closed with QUIT.
        self._session_keys = itertools.count(1)
        self.quit_sessions: set[int] = set()

    def session_key(self, session: Any) -> int:
        key = getattr(session, "tickler_key", None)
        if key is None:
            key = session.tickler_key = next(self._session_keys)
        return key

    async def handle_QUIT(self, server, session, envelope):  # noqa: N802
        with self.lock:
            self.quit_sessions.add(self.session_key(session))
        return "221 Bye"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        refusal = self.refuse.get(address.lower())
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = message_from_bytes(envelope.original_content or envelope.content, policy=default)
        message.envelope_recipients = list(envelope.rcpt_tos)
        # Which connection brought it, and when: a test can tell the email in flight at a kill.
        message.session_key = self.session_key(session)
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            slow = self.slow_data_keep > 0
            self.slow_data_keep -= 1 if slow else 0
            if slow:
                self.attempts.append((message["Message-ID"], "slow", time.monotonic()))
        if slow:
            # The server has the whole message: it keeps it whether or not the client waits
            # for the answer. Shielded, so a client giving up (aiosmtpd then cancels this
            # handler) does not lose it, as a real server's queue would not.
            await asyncio.shield(self._keep_late(message))
            return "250 Message accepted for delivery (late)"
        with self.lock:
            if self.hang_up_rate and self.random.random() < self.hang_up_rate:
                self.attempts.append((message["Message-ID"], "421", time.monotonic()))
                # Answer, then close: the reply is flushed before the transport goes.
                asyncio.get_running_loop().call_soon(server.transport.close)
                return self.hang_up_reply
            if self.drop_after_data > 0:
                self.drop_after_data -= 1
                self.attempts.append((message["Message-ID"], "dropped", time.monotonic()))
                server.transport.close()
                return "250 never heard"
            if self.data_replies:
                reply = self.data_replies.pop(0)
                self.attempts.append((message["Message-ID"], reply, time.monotonic()))
                return reply
            self.attempts.append((message["Message-ID"], "250", time.monotonic()))
            message.received_at = time.monotonic()
            self.messages.append(message)
        return "250 Message accepted for delivery"

    async def _keep_late(self, message: Any) -> None:
        await asyncio.sleep(self.slow_data_delay)
        with self.lock:
            self.attempts.append((message["Message-ID"], "250", time.monotonic()))
            message.received_at = time.monotonic()
            self.messages.append(message)


class FaultySmtp:
    """The server on one fixed port, which a test can close (connections refused), reopen, or
    replace by a listener that accepts TCP and never says a word."""

    def __init__(self) -> None:
        self.port = free_port()
        self.handler = FaultHandler()
        self.controller: Controller | None = None
        self._silent: socket.socket | None = None
        self._held: list[socket.socket] = []

    @property
    def messages(self) -> list[Any]:
        return self.handler.messages

    def start(self) -> None:
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        """Close the port: from now on connections are refused."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def go_silent(self) -> None:
        """Listen on the port, accept every connection, and never greet."""
        self.stop()
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(50)
        listener.settimeout(0.1)  # so the accepting thread notices when it is to stop
        self._silent = listener

        def accept() -> None:
            while self._silent is listener:
                try:
                    connection, _ = listener.accept()
                except TimeoutError:
                    continue
                except OSError:
                    return
                self._held.append(connection)  # held open, never written to
            listener.close()

        self._acceptor = threading.Thread(target=accept, daemon=True)
        self._acceptor.start()

    def stop_silence(self) -> None:
        if self._silent is not None:
            self._silent = None
            self._acceptor.join(5)  # it closes the listener on its way out
        for connection in self._held:
            connection.close()
        self._held.clear()

    def wait_for(self, count: int, timeout: float) -> list[Any]:
        deadline = time.monotonic() + timeout
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.messages

    def close(self) -> None:
        self.stop_silence()
        self.stop()


@contextmanager
def running_smtp(delay: float = 0.0) -> Iterator[FaultySmtp]:
    """A FaultySmtp started for the block (each message answered after `delay` seconds) and
    closed after it, whatever the test did to it meanwhile."""
    server = FaultySmtp()
    server.handler.delay = delay
    server.start()
    try:
        yield server
    finally:
        server.close()
