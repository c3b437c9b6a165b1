"""Everything about webhooks: subscriptions, signing, the SSRF-safe client, delivery and its log.

Public (PUBLIC below): the deliveries due again and the job that delivers one (the
owed-work sweep queues them), and task.created for many tasks at once (recurring occurrences:
one statement for all, where an event per task would cost a query each), and the event and
header names the API's OpenAPI document describes."""

PUBLIC = (
    "delivery.due_for_retry",  # the ids of deliveries whose retry time has come
    "jobs.deliver_webhook",  # deliver one webhook (Celery task)
    "service.record_tasks_created",  # task.created deliveries for many new tasks at once
    "service.create_subscription",  # the REST API (app/api)
    "service.get_subscription",  # the REST API (app/api)
    "service.subscriptions_of",  # the REST API (app/api)
    "url_safety.parse_allowed_hosts",  # the REST API (app/api)
    # What the OpenAPI document's `webhooks` name (app/api/webhook_docs.py).
    "service.PING",
    "signing.SIGNATURE_HEADER",
    "signing.STANDARD_ID_HEADER",
    "signing.STANDARD_TIMESTAMP_HEADER",
    "signing.STANDARD_SIGNATURE_HEADER",
)
