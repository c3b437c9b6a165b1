"""The REST API under /api/v1: personal access tokens, problem+json errors, cursor paging,
ETags, and resources that call the same services as the pages (flask-smorest, OpenAPI 3.1)."""

from app.api.parsing import use_strict_parser

PUBLIC = ()

# Before any resource module under app/api is imported: flask-smorest binds the parser when
# @blp.arguments decorates a view, at import time.
use_strict_parser()
