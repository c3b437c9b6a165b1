"""People and signing in: registration, login sessions, passwords, profile, account emails.

Public to the other features (PUBLIC below): how an address is written and looked up, a
person's name for lists, and the per-address throttle on emails a page sends."""

PUBLIC = (
    "service.normalise_email",  # an address as stored: lookups, invitations
    "service.find_user_by_email",  # the account at an address, in any case, or None
    "service.name_of",  # a person's name as a subquery, so a list never joins users
    "service.undeliverable_people",  # addresses that bounced for good, for admins' lists
    "throttle.ACCOUNT_EMAILS",  # the setting that limits emails sent to one address
    "throttle.count_for_account",  # count one email to an address; False when over the limit
    "throttle.minutes_of",  # the limit's window in minutes, for the message
)
