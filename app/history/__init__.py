"""History: a task's activity (who changed what and when), written from the domain events that
notifications and webhooks use."""

PUBLIC = ()
