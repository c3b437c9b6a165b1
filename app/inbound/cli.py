"""`flask inbound poll | idle | lmtp`: the inbound transports as operators run them."""

from __future__ import annotations

import signal
import threading
from types import FrameType

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import gettext

from app.core.terminal_language import speaks_terminal_language
from app.inbound.addresses import inbound_enabled
from app.inbound.idle import run_idle, server_offers_idle
from app.inbound.jobs import recorded_poll
from app.inbound.lmtp import lmtp_controller
from app.inbound.poll import describe_transports, off_message, transports_configured
from app.inbound.transports import InboundMailError

inbound_cli = AppGroup("inbound", help="Read inbound mail: poll now, IMAP IDLE, or LMTP.")


def stop_on_signals(stop: threading.Event) -> None:
    """SIGTERM/SIGINT set `stop` and break a blocking wait (the handler raises in it)."""

    def handler(signum: int, frame: FrameType | None) -> None:
        stop.set()
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


@inbound_cli.command("poll")
@speaks_terminal_language
def poll_command() -> None:
    """Poll every configured inbound mailbox once and say what was done."""
    config = current_app.config
    if not transports_configured(config):
        click.echo(off_message())
        return
    for line in describe_transports(config):
        click.echo(gettext("Reading %(transport)s.", transport=line))
    try:
        result = recorded_poll(config, None)
    except InboundMailError as error:
        raise click.ClickException(str(error)) from None
    click.echo(str(result["result"]))


@inbound_cli.command("idle")
@speaks_terminal_language
def idle_command() -> None:
    """Stay connected to INBOUND_IMAP_HOST and handle mail as it arrives (IMAP IDLE)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not app.config.get("INBOUND_IMAP_HOST"):
        # Exit 0: a service manager set to restart on failure leaves it stopped.
        click.echo(gettext("INBOUND_IMAP_HOST is not set: there is no mailbox to IDLE on."))
        return
    try:
        offers_idle = server_offers_idle(app)
    except InboundMailError as error:
        raise click.ClickException(str(error)) from None
    if not offers_idle:
        click.echo(
            gettext(
                "The IMAP server does not offer IDLE; the beat job's poll every minute covers it."
            )
        )
        return
    stop = threading.Event()
    stop_on_signals(stop)
    try:
        run_idle(app, stop, say=click.echo)
    except KeyboardInterrupt:
        pass
    click.echo(gettext("Stopped."))


@inbound_cli.command("lmtp")
@click.option("--host", default=None, help="Listen address (INBOUND_LMTP_HOST).")
@click.option("--port", default=None, type=int, help="Listen port (INBOUND_LMTP_PORT).")
@speaks_terminal_language
def lmtp_command(host: str | None, port: int | None) -> None:
    """Receive mail from the MTA over LMTP, for plus-addresses of INBOUND_ADDRESS only."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not inbound_enabled(app.config):
        raise click.ClickException(
            gettext("INBOUND_ADDRESS is not set: no address would be accepted.")
        )
    controller = lmtp_controller(app, host, port)
    controller.start()
    click.echo(
        gettext(
            "LMTP on %(host)s:%(port)s for %(address)s.",
            host=controller.hostname,
            port=controller.port,
            address=app.config["INBOUND_ADDRESS"],
        )
    )
    stop = threading.Event()
    stop_on_signals(stop)
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        controller.stop()
    click.echo(gettext("Stopped."))
