"""Search: one box in the top bar over the tasks (titles, descriptions, comments) of every
project the person belongs to; PostgreSQL full-text search, SQLite FTS5.

`rules.py` (pure: a query read as plain words, highlights, snippets), `filters.py` (pure: the
filters from the query string, the due range in the person's zone), `engines.py` (each
database's match and rank), `queries.py` (a page of results in fixed statements), `schema.py`
(what migration 0024 keeps outside the models, and Alembic's include_object for it),
`views.py` (GET /search). Nothing here is imported by a sibling."""

PUBLIC = (
    "filters.parse_search_filters",  # the REST API (app/api)
    "queries.SearchResult",  # the REST API (app/api)
    "queries.filter_choices",  # the REST API (app/api)
    "queries.search_page",  # the REST API (app/api)
    "rules.Part",  # the REST API (app/api)
    "rules.parse_query",  # the REST API (app/api)
)
