"""The scheduled digests (reminders, overdue alerts, weekly summary) and the daily report."""
