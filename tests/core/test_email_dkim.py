"""DKIM: a configured key signs every message, and dkimpy's own verifier accepts it."""

from __future__ import annotations

import base64
from pathlib import Path

import dkim
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from app.core.email.dkim_signing import signer_from_config
from app.core.email.render import RenderedEmail
from app.core.email.send import OutgoingEmail, send_batch, to_mime
from config import Settings, dkim_problems

SENDER = "Tickler <tickler@example.com>"


@pytest.fixture(scope="module")
def key_pair() -> tuple[bytes, bytes]:
    """A fresh RSA key (PEM) and the DNS TXT record that publishes its public half."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    public = key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return private, b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)


def dns_for(record: bytes, name: bytes = b"tickler1._domainkey.example.com."):
    def lookup(asked: bytes, timeout: int = 5) -> bytes | None:
        return record if asked == name else None

    return lookup


def message() -> bytes:
    content = RenderedEmail("Ana assigned you “Fix login”", "<p>Hello ✓</p>", "Hello ✓\n")
    email = OutgoingEmail(
        1,
        "bob@example.org",
        "Bob",
        content,
        headers={"List-Unsubscribe": "<https://tickler.example.com/u/x>"},
        kind="task_activity",
        actor_name="Ana",
    )
    return to_mime(email, SENDER, "<1@example.com>")


def configured(tmp_path: Path, private: bytes) -> dict[str, str]:
    path = tmp_path / "dkim.pem"
    path.write_bytes(private)
    return {
        "DKIM_PRIVATE_KEY_PATH": str(path),
        "DKIM_SELECTOR": "tickler1",
        "MAIL_DEFAULT_SENDER": SENDER,
    }


def test_a_signed_message_verifies_with_the_published_key(tmp_path, key_pair):
    private, record = key_pair
    signer = signer_from_config(configured(tmp_path, private))
    assert signer is not None and signer.domain == "example.com", "From's domain, for DMARC"
    signed = signer.sign(message())
    assert signed.startswith(b"DKIM-Signature: ")
    assert dkim.verify(signed, dnsfunc=dns_for(record))


def test_a_changed_subject_or_link_breaks_the_signature(tmp_path, key_pair):
    private, record = key_pair
    signed = signer_from_config(configured(tmp_path, private)).sign(message())
    unsubscribe = b"<https://tickler.example.com/u/x>"
    tampered = signed.replace(unsubscribe, b"<https://evil.example/u/x>")
    assert tampered != signed
    assert not dkim.verify(tampered, dnsfunc=dns_for(record))


def test_another_key_does_not_verify(tmp_path, key_pair):
    private, _ = key_pair
    _, other_record = rsa_record()
    signed = signer_from_config(configured(tmp_path, private)).sign(message())
    assert not dkim.verify(signed, dnsfunc=dns_for(other_record))


def rsa_record() -> tuple[None, bytes]:
    public = (
        rsa.generate_private_key(public_exponent=65537, key_size=2048)
        .public_key()
        .public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    return None, b"v=DKIM1; k=rsa; p=" + base64.b64encode(public)


def test_no_key_no_signature():
    assert signer_from_config({"MAIL_DEFAULT_SENDER": SENDER}) is None


def test_the_sender_signs_what_it_sends(app, smtp, tmp_path, key_pair, monkeypatch):
    """Through send_batch to a real SMTP server: the message as received verifies."""
    private, record = key_pair
    for name, value in configured(tmp_path, private).items():
        monkeypatch.setitem(app.config, name, value)
    content = RenderedEmail("Hello", "<p>Hi</p>", "Hi\n")
    with app.app_context():
        send_batch([OutgoingEmail(1, "bob@example.org", "Bob", content, kind="task_reminder")])
    [received] = smtp.messages
    assert received["DKIM-Signature"] is not None
    assert dkim.verify(received.raw, dnsfunc=dns_for(record))


def settings_from(monkeypatch: pytest.MonkeyPatch, **variables: str) -> Settings:
    """Settings read as start-up reads them: from the environment only."""
    for name in ("DKIM_PRIVATE_KEY_PATH", "DKIM_SELECTOR", "DKIM_DOMAIN"):
        monkeypatch.delenv(name, raising=False)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return Settings()


def test_start_up_checks_the_key_and_selector(monkeypatch, tmp_path, key_pair):
    private, _ = key_pair
    assert dkim_problems(settings_from(monkeypatch, **configured(tmp_path, private))) == []
    assert dkim_problems(settings_from(monkeypatch)) == [], "no key: no signing, no problem"
    missing = dkim_problems(
        settings_from(monkeypatch, DKIM_PRIVATE_KEY_PATH=str(tmp_path / "none.pem"))
    )
    assert len(missing) == 2
    assert "DKIM_SELECTOR is not set" in missing[0] and "cannot be read" in missing[1]
    (tmp_path / "public.txt").write_text("not a key")
    wrong = dkim_problems(
        settings_from(
            monkeypatch, DKIM_PRIVATE_KEY_PATH=str(tmp_path / "public.txt"), DKIM_SELECTOR="s"
        )
    )
    assert len(wrong) == 1 and "is not a PEM private key" in wrong[0]
