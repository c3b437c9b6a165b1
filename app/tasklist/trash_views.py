"""Trash: its pages (issue 19)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("trash", __name__)
