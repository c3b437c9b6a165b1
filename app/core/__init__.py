"""The small core every feature stands on: database base, time zones, errors, domain events and
the one after-commit outbox, the email pipeline and the shared web parts."""
