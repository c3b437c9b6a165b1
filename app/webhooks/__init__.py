"""Everything about webhooks: subscriptions, signing, the SSRF-safe client, delivery and its log.

Public (PUBLIC below): the deliveries due again and the job that delivers one (the
owed-work sweep queues them)."""

PUBLIC = (
    "delivery.due_for_retry",  # the ids of deliveries whose retry time has come
    "jobs.deliver_webhook",  # deliver one webhook (Celery task)
)
