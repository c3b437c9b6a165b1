"""The small core every feature stands on: database base, time zones, errors, queueing after
commit, the email pipeline and the shared web parts."""
