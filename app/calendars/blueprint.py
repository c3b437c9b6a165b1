"""The calendar blueprint, shared by its page views and its feed views."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("calendar", __name__)
