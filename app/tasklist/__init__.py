"""Tasks: the model, who may see them, lists and filters, status changes, archive and cleanup, the
dashboard."""
