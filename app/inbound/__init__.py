"""Inbound mail: replies become comments, mail to a project's address becomes a task, and
bounces and auto-replies are recognised, over IMAP, a Maildir or an LMTP receiver."""

PUBLIC = (
    "addresses",
    "outgoing",
    "jobs.poll_inbound_mail",  # /dev/mail asks for a poll at once after a reply or bounce
)
