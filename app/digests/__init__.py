"""The scheduled digests (reminders, overdue alerts, weekly summary) and the daily report.

Public (PUBLIC below): the steps of a digest chunk (the chunk job lives in
app/notifications/jobs.py under its fixed name), when each digest arrives on a person's clock
(preferences), the daily reports (Admin) and the chunking of recipients (the owed-work sweep)."""

PUBLIC = (
    "delivery.digest_rules",  # each digest's rule, from the settings
    "delivery.describe_rule",  # a rule in words, for the ledger's reason
    "delivery.prepare_chunk",  # claim and render one chunk of recipients
    "delivery.settle_chunk",  # record a chunk's outcomes in the ledger
    "delivery.TURNED_OFF_REASON",  # the ledger's reason for an email its person turned off
    "delivery.UNDELIVERABLE_REASON",  # ... and for one whose address bounced since
    "delivery.retry_pairs",  # which recipients of a chunk to try again
    "delivery.tally",  # a chunk's outcomes counted, for the job's result
    "emails.compose",  # one digest email from a prepared recipient
    "times.digest_arrivals",  # when each digest reaches a person, on their clock
    "reports.recent_reports",  # the latest daily reports, for Admin
    "rules.chunked",  # a list cut into chunks of a size
    "jobs.send_task_reminders",  # the reminder digest, for Admin's "Send reminders now"
)
