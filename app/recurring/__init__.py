"""Recurring tasks: repeat rules, series and their occurrences.

Public (PUBLIC below): the series services the REST API calls; otherwise the feature is reached
by its pages and its jobs."""

PUBLIC = (
    "rules.normalise_rule",  # the REST API (app/api)
    "service.TemplateFields",  # the REST API (app/api)
    "service.create_series",  # the REST API (app/api)
    "service.series_of_project",  # the REST API (app/api)
    "service.upcoming",  # the REST API (app/api)
)
