"""Recurring tasks: repeat rules, series and their occurrences.

Public (PUBLIC below): the series services the REST API calls; otherwise the feature is reached
by its pages and its jobs."""

PUBLIC = (
    "rules.normalise_rule",  # the REST API (app/api)
    "rules.check_start",  # the REST API (app/api): a first date within the bound
    "rules.FIRST_DATE_WITHIN_YEARS",  # the REST API (app/api): the bound, in its message
    "service.TemplateFields",  # the REST API (app/api)
    "service.create_series",  # the REST API (app/api)
    "service.series_of_project",  # the REST API (app/api)
    "service.upcoming",  # the REST API (app/api)
)
