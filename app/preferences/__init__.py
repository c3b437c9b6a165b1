"""Which emails each person wants (every choice in one model, EmailChoice), and one-click
unsubscribe.

Public (PUBLIC below): the unsubscribe link every email carries, and the choices read again
when an email is sent (digest chunks and batched task emails)."""

PUBLIC = (
    "service.unsubscribe_token",  # the signed token of an unsubscribe link
    "service.ACTIVITY",  # the kind of old task-email links: every kind of task email
    "service.emails_turned_off",  # who turned which kinds off, for a whole chunk at once
    "service.turned_off_now",  # the same, as a column of the statement loading the people
    "service.is_turned_off",  # whether one person's choices stop one email
)
