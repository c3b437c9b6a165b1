"""Inbound mail's jobs under their fixed names (app/task_catalog.py): polling the mailbox and
answering what was refused."""

from app.inbound.answer_jobs import send_inbound_answer

__all__ = ["send_inbound_answer"]
