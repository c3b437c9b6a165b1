"""Exports of task lists to CSV or XLSX, written in the background with progress."""
