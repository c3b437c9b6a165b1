"""Run as a process of its own: build the app from JSON settings, try to log in N times, print the
status codes as JSON. Two of these share a login limit only through Redis."""

from __future__ import annotations

import json
import sys

from app import create_app


def attempt_logins(settings: dict, attempts: int) -> list[int]:
    client = create_app(settings).test_client()
    form = {"email": "nobody@example.com", "password": "not the password"}
    return [client.post("/login", data=form).status_code for _ in range(attempts)]


if __name__ == "__main__":
    print(json.dumps(attempt_logins(json.loads(sys.argv[1]), int(sys.argv[2]))))
