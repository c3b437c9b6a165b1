"""The REST API under /api/v1: personal access tokens, problem+json errors, cursor paging,
ETags, and resources that call the same services as the pages (flask-smorest, OpenAPI 3.1)."""

PUBLIC = ()
