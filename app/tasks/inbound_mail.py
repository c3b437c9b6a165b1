"""Inbound mail's jobs under their fixed names (app/task_catalog.py): polling the mailbox and
answering what was refused."""

from app.inbound.answer_jobs import send_inbound_answer
from app.inbound.jobs import poll_inbound_mail

__all__ = ["poll_inbound_mail", "send_inbound_answer"]
