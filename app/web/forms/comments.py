"""The comment form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from app.models.comment import COMMENT_MAX_LENGTH
from app.web.forms.validators import no_control_characters, strip_whitespace


class CommentForm(FlaskForm):
    body = TextAreaField(
        "Comment",
        filters=[strip_whitespace],
        validators=[
            DataRequired("Write something before posting."),
            Length(max=COMMENT_MAX_LENGTH),
            no_control_characters,
        ],
        description="Mention a teammate with @name or @email. Links become clickable.",
    )
