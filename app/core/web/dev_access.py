"""The development tools answer only this machine: `make run` binds 127.0.0.1, and should the
server be started on another address, /dev/mail and /dev/webhooks still stay personal."""

from __future__ import annotations

import ipaddress

from flask import abort, request


def refuse_other_machines() -> None:
    """404 (as if the tool did not exist) for a request from anywhere but loopback."""
    try:
        local = ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        local = False
    if not local:
        abort(404)
