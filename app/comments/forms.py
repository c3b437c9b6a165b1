"""The comment and reminder forms on a task's page."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired

from app.comments.models import COMMENT_MAX_LENGTH
from app.core.web.form_messages import length
from app.core.web.forms import WebForm
from app.core.web.validators import no_control_characters, strip_whitespace


class CommentForm(WebForm):
    body = TextAreaField(
        _l("Comment"),
        filters=[strip_whitespace],
        validators=[
            DataRequired(_l("Write something before posting.")),
            length(COMMENT_MAX_LENGTH, what=_l("a comment")),
            no_control_characters,
        ],
        description=_l(
            "Markdown works: **bold**, *italic*, `code`, lists and links. Mention a teammate"
            " with @name or @email."
        ),
    )
