"""Recurring tasks: repeat rules, series and their occurrences."""
