"""A private Dovecot IMAP server for tests: its own config, certificate, users and Maildirs in a
temporary folder, on a free port, TLS only, stopped by PID at the end."""

from __future__ import annotations

import datetime
import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.services_available import require

# OpenSSL checks certificates against the real clock, while a shifted test run (make
# test-clock) dates them on its own: ten years either way covers both.
CERTIFICATE_REACH = datetime.timedelta(days=3650)

DOVECOT = "/usr/sbin/dovecot"
USER = "tickler"
PASSWORD = "imap-test-password"


def dovecot_installed() -> bool:
    return os.access(DOVECOT, os.X_OK) and _has_user("dovecot") and _has_user("dovenull")


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_ca_and_cert(folder: Path, name: str = "localhost") -> tuple[Path, Path, Path]:
    """A throwaway CA and a server certificate for `name` signed by it: (ca, cert, key)."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"Tickler test CA {name}")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CERTIFICATE_REACH)
        .not_valid_after(now + CERTIFICATE_REACH)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CERTIFICATE_REACH)
        .not_valid_after(now + CERTIFICATE_REACH)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .add_extension(x509.ExtendedKeyUsage([x509.OID_SERVER_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    paths = folder / f"{name}-ca.pem", folder / f"{name}-cert.pem", folder / f"{name}-key.pem"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    paths[2].chmod(0o600)
    return paths


@dataclass
class Dovecot:
    folder: Path
    port: int
    ca_file: Path
    process: subprocess.Popen[bytes]

    @property
    def log(self) -> str:
        path = self.folder / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def settings(self, **overrides: object) -> dict[str, object]:
        """The INBOUND_IMAP_* settings reaching this server as the test user."""
        return {
            "INBOUND_IMAP_HOST": "localhost",
            "INBOUND_IMAP_PORT": self.port,
            "INBOUND_IMAP_USERNAME": USER,
            "INBOUND_IMAP_PASSWORD": PASSWORD,
            "INBOUND_IMAP_SECURITY": "ssl",
            "INBOUND_IMAP_CA_FILE": str(self.ca_file),
            "INBOUND_IMAP_FOLDER": "INBOX",
            "INBOUND_IMAP_DONE_FOLDER": "Tickler/Processed",
            **overrides,
        }

    def mailbox(self):  # noqa: ANN201 (an imap_tools MailBox)
        """A logged-in imap-tools client, for putting messages in and looking."""
        import ssl

        from imap_tools import MailBox

        context = ssl.create_default_context(cafile=str(self.ca_file))
        return MailBox("localhost", self.port, ssl_context=context).login(USER, PASSWORD)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def _config(folder: Path, port: int, cert: Path, key: Path, uid: int, gid: int) -> str:
    return f"""
base_dir = {folder}/run
state_dir = {folder}/state
instance_name = tickler-test-{port}
log_path = {folder}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = required
ssl_cert = <{cert}
ssl_key = <{key}
disable_plaintext_auth = yes
auth_mechanisms = plain
first_valid_uid = 0
mail_location = maildir:{folder}/mail/%u
mail_uid = {uid}
mail_gid = {gid}
default_internal_user = dovecot
default_login_user = dovenull
namespace inbox {{
  inbox = yes
  separator = /
}}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {folder}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={folder}/mail/%u
}}
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""


@contextmanager
def private_dovecot(folder: Path) -> Iterator[Dovecot]:
    """Start a Dovecot of this test's own; skip (fail under CI=true) when none is installed."""
    require(dovecot_installed(), "Dovecot is not installed (apt-get install dovecot-imapd)")
    folder.mkdir(parents=True, exist_ok=True)
    for sub in ("run", "state", "mail"):
        (folder / sub).mkdir(exist_ok=True)
    ca, cert, key = write_ca_and_cert(folder)
    owner = pwd.getpwnam("nobody") if os.geteuid() == 0 else pwd.getpwuid(os.geteuid())
    uid, gid = owner.pw_uid, owner.pw_gid
    if os.geteuid() == 0:
        os.chmod(folder, 0o755)
        shutil.chown(folder / "mail", uid, gid)
    (folder / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    port = _free_port()
    conf = folder / "dovecot.conf"
    conf.write_text(_config(folder, port, cert, key, uid, gid))
    process = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    server = Dovecot(folder, port, ca, process)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"Dovecot did not start:\n{server.log}") from None
                time.sleep(0.1)
        yield server
    finally:
        server.stop()
