"""Inbound mail's jobs under their fixed names (app/task_catalog.py): polling the mailbox and
answering what was refused."""
