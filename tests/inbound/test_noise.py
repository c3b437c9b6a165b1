"""Machine-made mail is recognised from its headers alone (pure rules)."""

from __future__ import annotations

from email.message import EmailMessage

import pytest
from flask import Flask

from app.inbound.noise import auto_reply_reason, is_out_of_office_subject, ours_from

OURS = ours_from(["Tickler <noreply@tickler.example>", "tickler@example.com"])


def message(**headers: str) -> EmailMessage:
    found = EmailMessage()
    found["From"] = headers.pop("From", "ann@example.com")
    found["Subject"] = headers.pop("Subject", "Re: Paint the shed")
    found["Message-ID"] = headers.pop("Message_ID", "<abc@mail.example.org>")
    for name, value in headers.items():
        found[name.replace("_", "-")] = value
    return found


def test_a_persons_reply_is_not_noise() -> None:
    assert auto_reply_reason(message(Auto_Submitted="no"), OURS) is None


def test_a_colleague_on_tickler_s_own_domain_is_not_noise() -> None:
    # Tickler at tickler@example.com, the team at @example.com on the same mail server: their
    # Message-IDs share the domain, and their replies must still become comments.
    reply = message(From="ana@tickler.example", Message_ID="<CAF1701.abc@tickler.example>")
    assert auto_reply_reason(reply, OURS) is None


def test_every_message_id_tickler_makes_says_it_is_tickler_s(app: Flask) -> None:
    from app.core.email.send import new_message_id

    with app.app_context():
        made = message(Message_ID=new_message_id())
    assert auto_reply_reason(made, OURS)


@pytest.mark.parametrize(
    "headers",
    [
        {"Auto_Submitted": "auto-replied"},
        {"Auto_Submitted": "auto-generated; owner-email=x@example.com"},
        {"X_Autoreply": "yes"},
        {"X_Autorespond": "1"},
        {"X_Auto_Response_Suppress": "All"},
        {"Precedence": "bulk"},
        {"Precedence": "auto_reply"},
        {"List_Id": "<team.lists.example.org>"},
        {"List_Unsubscribe": "<mailto:x@example.org>"},
        {"Return_Path": "<>"},
        {"Message_ID": "<tickler.delivery.42@tickler.example>"},
        {"Message_ID": "<tickler.mail.1701.42.99@tickler.example>"},
        {"From": "Tickler <NOREPLY@tickler.example>"},
        {"In_Reply_To": "<tickler.answer.7.ab12cd34@tickler.example>"},
    ],
)
def test_machine_made_mail_is_noise(headers: dict[str, str]) -> None:
    assert auto_reply_reason(message(**headers), OURS)


@pytest.mark.parametrize(
    "subject",
    [
        "Out of Office: Paint the shed",
        "Automatic reply: Paint the shed",
        "AW: Abwesenheitsnotiz",
        "Réponse automatique : absent",
        "Respuesta automática: Paint",
        "自動応答: Paint the shed",
    ],
)
def test_out_of_office_subjects_in_several_languages(subject: str) -> None:
    assert is_out_of_office_subject(subject)
    assert auto_reply_reason(message(Subject=subject), OURS)


def test_an_ordinary_subject_is_not_out_of_office() -> None:
    assert not is_out_of_office_subject("Re: Office move on Friday")
