"""People and signing in: registration, login sessions, passwords, profile, account emails."""
