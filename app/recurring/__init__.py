"""Recurring tasks: repeat rules, series and their occurrences.

Public (PUBLIC below): nothing; the feature is reached by its pages and its jobs."""

PUBLIC: tuple[str, ...] = ()
