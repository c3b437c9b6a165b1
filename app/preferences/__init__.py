"""Which emails each person wants, and one-click unsubscribe.

Public (PUBLIC below): the unsubscribe link every email carries."""

PUBLIC = (
    "service.unsubscribe_token",  # the signed token of an unsubscribe link
    "service.ACTIVITY",  # the unsubscribe kind of the activity emails
)
