"""The email pipeline: render a template pair, write MIME, claim the ledger row, send over SMTP,
mark what the server accepted."""
