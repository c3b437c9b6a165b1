"""Inbound mail's pages: Admin › Inbound mail, what came in and what became of it."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("inbound_admin", __name__)
