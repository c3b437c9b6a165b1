"""What happened that concerns a person: the inbox, event emails and who hears of what.

Public (PUBLIC below): the bell's count as a column of the login query, each person's
channel choices (preferences), giving claimed events back (the Outbox), the jobs that send
digest chunks and batched activity (queued again by Admin and the owed-work sweep), and the
reason an activity email gives in the ledger."""

PUBLIC = (
    "service.unread_count_of_loaded_user",  # the bell's count, loaded with the user
    "service.Channels",  # email and in-app switches of one kind of event
    "service.choices",  # a person's channels for each kind of event
    "service.save_choice",  # save a person's channels for one kind
    "service.release",  # give claimed events back to the batching job
    "jobs.send_digest_chunk",  # send one chunk of a digest (Celery task)
    "jobs.flush_task_notifications",  # send one person's batched activity on a task (Celery task)
    "rules.ACTIVITY_RULE",  # the ledger reason's rule of an activity email
    "service.inbox",  # the REST API (app/api)
    "service.mark_read",  # the REST API (app/api)
)
