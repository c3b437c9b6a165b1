"""`flask inbound lmtp`: an LMTP server (aiosmtpd) the MTA delivers to; it takes only
plus-addresses of INBOUND_ADDRESS and answers 250 only once the message is committed."""

from __future__ import annotations

import logging
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from app.extensions import db
from app.inbound.addresses import parse_address
from app.inbound.service import handle_inbound

log = logging.getLogger(__name__)

TRANSPORT = "lmtp"


class InboundLmtpHandler:
    """aiosmtpd handler: RCPT refused (550) unless ours, DATA handed to the service."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]
    ) -> str:
        if parse_address(self.app.config, address) is None:
            return f"550 5.1.1 <{address}>: not an address of this Tickler"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        raw = envelope.original_content or envelope.content
        assert isinstance(raw, bytes)
        try:
            with self.app.app_context():
                try:
                    handle_inbound(db.session, raw, TRANSPORT, list(envelope.rcpt_tos))
                finally:
                    db.session.remove()
        except SQLAlchemyError as error:
            log.warning("inbound lmtp: database failed, asking the MTA to retry: %s", error)
            status = "451 4.3.0 Tickler's database is unavailable; try again later"
        else:
            status = "250 2.0.0 OK"
        # LMTP answers DATA once per accepted recipient (RFC 2033); one message, one outcome.
        return "\r\n".join(status for _ in envelope.rcpt_tos)


class LmtpController(Controller):
    """aiosmtpd's threaded controller serving LMTP instead of SMTP."""

    def factory(self) -> LMTP:
        return LMTP(self.handler, **self.SMTP_kwargs)


def lmtp_controller(app: Flask, host: str | None = None, port: int | None = None) -> Controller:
    config = app.config
    return LmtpController(
        InboundLmtpHandler(app),
        hostname=host or config["INBOUND_LMTP_HOST"],
        port=port or int(config["INBOUND_LMTP_PORT"]),
        data_size_limit=int(config["INBOUND_MAX_MESSAGE_BYTES"]),
    )
