"""Errors the rules raise; the web layer turns them into 404s, 403s and form messages."""


class NotFound(LookupError):
    """The object does not exist, or the person may not know that it does."""


class Forbidden(PermissionError):
    """The person can see the object but may not do this to it."""


class RuleViolation(ValueError):
    """The request breaks a rule; the message is meant for the person who made it."""
