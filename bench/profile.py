"""`python -m bench.profile [--users N] [--part render|chunk]`: where a digest email's time goes.

Builds a small database of its own (dropped afterwards), then runs pyinstrument over rendering
the sample's digests (compose + MIME bytes), or over whole chunk jobs run in this process."""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path

from pyinstrument import Profiler

from bench import stack
from bench.cli import configure_environment


def render_part(app, user_ids: list[int]) -> None:  # noqa: ANN001
    from app.email.digests import compose
    from app.email.send import new_message_id, to_mime
    from app.extensions import db
    from app.models import utcnow
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


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("--users", type=int, default=300)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="tickler-profile-"))
    with stack.postgres_database(f"tickler_profile_{os.getpid()}") as url:
        configure_environment(url, "redis://127.0.0.1:1/0", 25, workdir)
        from app import create_app
        from bench.phases import prepare_database

        app = create_app()
        prepare_database(app, args.users)
        render_part(app, list(range(1, args.users + 1)))


if __name__ == "__main__":
    main()
