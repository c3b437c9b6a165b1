"""One-purpose action links in emails (mark done, remind me tomorrow).

Public (PUBLIC below): the signed links an email offers beside a task."""

PUBLIC = (
    "urls.action_urls",  # the action links of one task for one person, for any email
)
