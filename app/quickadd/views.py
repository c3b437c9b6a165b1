"""Quickadd: its pages (issue 19)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("quickadd", __name__)
