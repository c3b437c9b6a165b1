"""The "your export is ready" email: the download link, and until when the file is kept."""

from __future__ import annotations

from flask_babel import gettext

from app.accounts.models import User
from app.core.email.render import absolute_url, render_email
from app.core.email.send import OutgoingEmail
from app.core.i18n import in_language
from app.core.timezones import format_local
from app.exports.models import Export


def export_subject(export: Export) -> str:
    if export.project is not None:
        return gettext("Your export of %(name)s is ready", name=export.project.name)
    return gettext("Your export of my tasks is ready")


def compose_export_ready(export: Export, user: User) -> OutgoingEmail:
    """The email telling `user` their finished `export` can be downloaded until it expires,
    written in their language."""
    with in_language(user.language):
        content = render_email(
            "export_ready",
            export_subject(export),
            user=user,
            export=export,
            expires=format_local(export.expires_at, user.timezone),
            download_url=absolute_url("exports.download", export_id=export.id),
            page_url=absolute_url("exports.show", export_id=export.id),
        )
    return OutgoingEmail(key=user.id, to_address=user.email, to_name=user.name, content=content)
