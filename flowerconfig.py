"""Flower's settings, read by `celery -A celery_worker flower` from the project folder.

Flower can revoke and inspect tasks, so by default it listens on 127.0.0.1 only and asks for a
login. FLOWER_ADDRESS and FLOWER_BASIC_AUTH (user:password[,user:password]) choose otherwise;
FLOWER_BASIC_AUTH=none turns the login off. Command-line options (--address, --basic-auth) win.
"""

import os
import secrets
import sys
from pathlib import Path

# Flower reads its FLOWER_* variables before this file, and this file wins: read them here.
address = os.environ.get("FLOWER_ADDRESS", "127.0.0.1")
CREDENTIALS_FILE = Path(
    os.environ.get("FLOWER_CREDENTIALS_FILE")
    or Path(__file__).resolve().parent / "instance" / "flower-credentials"
)


def generated_login(path: Path) -> str:
    """admin:<random password>, made once and kept in a file only its owner can read."""
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    login = f"admin:{secrets.token_urlsafe(18)}"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(login + "\n")
    return login


def chosen_logins(value: str | None) -> list[str]:
    if value and value.strip().lower() == "none":
        return []
    if value:
        return [login.strip() for login in value.split(",") if login.strip()]
    # The password itself never goes to the log: only where to read it.
    print(
        f"Flower asks for a login: user admin, password in {CREDENTIALS_FILE} "
        "(FLOWER_BASIC_AUTH=user:password chooses one; FLOWER_BASIC_AUTH=none turns it off).",
        file=sys.stderr,
    )
    return [generated_login(CREDENTIALS_FILE)]


basic_auth = chosen_logins(os.environ.get("FLOWER_BASIC_AUTH"))
