"""Running Tickler: task runs, the Jobs page, beat's scheduler, health, metrics, queue depths, the
email outbox.

Public (PUBLIC below): the schedule as edited on the Jobs page, for the digests' arrival
times, and `recorded_run`, which every scheduled job wraps its body in so its task run carries
a summary."""

PUBLIC = (
    "admin_views.admin_required",  # the admin-only gate of other features' admin pages
    "job_runs.recorded_run",  # a scheduled job's summary and outcome on its task run
    "schedule_settings.settings_by_job",  # the Jobs page's saved settings, by job
    "schedule_settings.merged_overrides",  # the schedule's overrides: settings, then page edits
)
