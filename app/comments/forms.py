"""The comment and reminder forms on a task's page."""

from __future__ import annotations

from wtforms import TextAreaField
from wtforms.validators import DataRequired

from app.comments.models import COMMENT_MAX_LENGTH
from app.core.web.form_messages import length
from app.core.web.forms import WebForm
from app.core.web.validators import no_control_characters, strip_whitespace


class CommentForm(WebForm):
    body = TextAreaField(
        "Comment",
        filters=[strip_whitespace],
        validators=[
            DataRequired("Write something before posting."),
            length(COMMENT_MAX_LENGTH, what="a comment"),
            no_control_characters,
        ],
        description=(
            "Markdown works: **bold**, *italic*, `code`, lists and links. Mention a teammate"
            " with @name or @email."
        ),
    )
