"""Analytics numbers, their cache and charts.

Public (PUBLIC below): nothing; the feature is reached by its pages and its jobs."""

PUBLIC: tuple[str, ...] = ()
