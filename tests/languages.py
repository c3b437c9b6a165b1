"""Test help for languages: a stored person who reads Tickler in a given language."""

from __future__ import annotations

from flask import Flask

from app.accounts.models import User
from app.extensions import db


def speaks(app: Flask, user_id: int, language: str) -> None:
    """Person `user_id` reads pages and emails in `language` from now on."""
    with app.app_context():
        db.session.get(User, user_id).language = language
        db.session.commit()
