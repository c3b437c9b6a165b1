"""Account emails: a password reset link or an address confirmation, each signed for one use,
and the notices that carry no such link (a taken address, a changed password)."""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.accounts import tokens
from app.accounts.models import User
from app.core.email.render import absolute_url, render_email
from app.core.email.send import OutgoingEmail
from app.core.i18n import in_language

SUBJECTS = {
    tokens.PASSWORD_RESET: _l("Reset your Tickler password"),
    tokens.EMAIL_VERIFICATION: _l("Confirm your email address for Tickler"),
    tokens.ALREADY_REGISTERED: _l("You already have a Tickler account"),
    tokens.PASSWORD_CHANGED: _l("Your Tickler password was changed"),
    tokens.ADDRESS_RESUME: _l("Confirm your address to get Tickler emails again"),
}
# The hidden line inbox lists show after the subject.
PREHEADERS = {
    tokens.PASSWORD_RESET: _l(
        "Someone asked to reset your password; if it was not you, ignore this."
    ),
    tokens.EMAIL_VERIFICATION: _l("One click confirms that this address is yours."),
    tokens.ALREADY_REGISTERED: _l("Someone tried to sign up with this address; log in as usual."),
    tokens.PASSWORD_CHANGED: _l("If you did not change it, reset it now and check your account."),
    tokens.ADDRESS_RESUME: _l("Mail to this address bounced; one click says it works again."),
}
ENDPOINTS = {
    tokens.PASSWORD_RESET: "account.reset_password",
    tokens.EMAIL_VERIFICATION: "account.verify_email",
    tokens.ADDRESS_RESUME: "account.resume_address",
}
TEMPLATES = {
    tokens.PASSWORD_RESET: "password_reset",
    tokens.EMAIL_VERIFICATION: "email_verification",
    tokens.ALREADY_REGISTERED: "already_registered",
    tokens.PASSWORD_CHANGED: "password_changed",
    tokens.ADDRESS_RESUME: "address_resume",
}
# Notices with no link that acts: the person logs in, or asks for a reset link, as anyway.
NOTICES = (tokens.ALREADY_REGISTERED, tokens.PASSWORD_CHANGED)


def compose_account_email(purpose: str, user: User) -> OutgoingEmail:
    """The email with a fresh token: tokens are made here, so none travels through the broker."""
    if purpose in NOTICES:
        links = {
            "login_url": absolute_url("auth.login"),
            "reset_url": absolute_url("account.forgot_password"),
        }
    else:
        token = tokens.issue(current_app.config["SECRET_KEY"], purpose, user)
        links = {"action_url": absolute_url(ENDPOINTS[purpose], token=token)}
    # Written in the recipient's language, whoever's request or job this is.
    with in_language(user.language):
        content = render_email(
            TEMPLATES[purpose], str(SUBJECTS[purpose]), str(PREHEADERS[purpose]), user=user, **links
        )
    return OutgoingEmail(key=user.id, to_address=user.email, to_name=user.name, content=content)
