"""`python -m bench.profile [--users N] [--part render|pages]`: where a digest email's time goes.

Builds a database of its own (dropped afterwards), then runs pyinstrument over rendering the
sample's digests (compose + MIME bytes), or over requests to each benchmarked page."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from pyinstrument import Profiler

from bench import stack
from bench.cli import configure_environment


def render_part(app, user_ids: list[int]) -> None:  # noqa: ANN001
    from app.core.database import utcnow
    from app.core.email.send import new_message_id, to_mime
    from app.digests.emails import compose
    from app.extensions import db
    from bench.samples import prepared_sample

    with app.app_context():
        prepared = prepared_sample(db.session, user_ids, utcnow())
        sender = app.config["MAIL_DEFAULT_SENDER"]
        profiler = Profiler(interval=0.0005)
        with profiler:
            for item in prepared:
                to_mime(compose(item), sender, new_message_id())
        db.session.remove()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


def pages_part(app, paths: dict[str, str], repeat: int = 30) -> None:  # noqa: ANN001
    from bench.pages import session_cookie

    cookie = session_cookie(app, 1)
    client = app.test_client()
    client.set_cookie("session", cookie.split("=", 1)[1], domain="localhost")
    for name, path in paths.items():
        client.get(path, base_url="https://localhost")
        profiler = Profiler(interval=0.0005)
        with profiler:
            for _ in range(repeat):
                answer = client.get(path, base_url="https://localhost")
        assert answer.status_code == 200, (path, answer.status_code)
        print(f"=== {name} {path}: {repeat} requests")
        print(profiler.output_text(unicode=True, color=False, show_all=False))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--part", choices=("render", "pages"), default="render")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="tickler-profile-"))
    with stack.postgres_database(f"tickler_profile_{os.getpid()}") as url:
        configure_environment(url, "redis://127.0.0.1:1/0", 25, workdir)
        from app import create_app
        from bench.phases import prepare_database

        app = create_app()
        prepare_database(app, args.users)
        if args.part == "render":
            render_part(app, list(range(1, args.users + 1)))
        else:
            from bench.phases import page_paths

            pages_part(app, page_paths(app))


if __name__ == "__main__":
    main()
