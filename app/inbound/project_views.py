"""Inbound mail's pages: a project's mail-in address, shown and regenerated."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("inbound_project", __name__)
