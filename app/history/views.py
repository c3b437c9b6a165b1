"""History: its pages (issue 19)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("history", __name__)
