"""Reminders a person sets on a task, and per-task deadline alerts."""
