"""Running Tickler: task runs, the Jobs page, beat's scheduler, health, metrics, queue depths, the
email outbox."""
