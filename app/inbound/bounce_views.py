"""Inbound mail's pages: an undeliverable address confirmed again."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("inbound_bounces", __name__)
