"""SpamAssassin's local tests score every email at most 1.0 (5.0 is "spam")."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.email_quality.every_email import SentEmail
from tests.email_quality.kinds import CROWDED, EMAIL_NAMES
from tests.services_available import require

# Debian's spamassassin package: the command, and the Perl library the scorer below uses.
SPAMASSASSIN = shutil.which("spamassassin") or "/usr/bin/spamassassin"
# One Perl process scores many messages, loading the rules once (a `spamassassin -L` run per
# message spends most of its time loading them).
SCORER = Path(__file__).with_name("spam_scores.pl")
MAX_SCORE = 1.0


@dataclass(frozen=True)
class Verdict:
    score: float
    rules: str


def score_files(paths: list[Path], home: str) -> subprocess.Popen[str]:
    # HOME is a fresh directory, so no run reads or writes anyone's ~/.spamassassin.
    return subprocess.Popen(
        ["perl", str(SCORER), *map(str, paths)],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "HOME": home},
    )


def read_verdicts(process: subprocess.Popen[str]) -> dict[str, Verdict]:
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 0, output
    verdicts = {}
    for line in output.splitlines():
        path, score, rules = line.split("\t")
        verdicts[Path(path).stem] = Verdict(float(score), rules)
    return verdicts


@pytest.fixture(scope="session")
def verdicts(sent_emails: dict[str, SentEmail]) -> dict[str, Verdict]:
    """Every email scored once, the 500-task digests in a second process alongside."""
    require(
        os.path.exists(SPAMASSASSIN),
        "SpamAssassin is not installed (apt-get install spamassassin)",
    )
    with tempfile.TemporaryDirectory(prefix="tickler-spamassassin-") as home:
        folder = Path(home)
        for name, email in sent_emails.items():
            (folder / f"{name}.eml").write_bytes(email.raw)
        crowded = [folder / f"{name}.eml" for name in sent_emails if name in CROWDED]
        small = [folder / f"{name}.eml" for name in sent_emails if name not in CROWDED]
        processes = [score_files(crowded, home), score_files(small, home)]
        return {name: v for p in processes for name, v in read_verdicts(p).items()}


@pytest.mark.parametrize("name", EMAIL_NAMES)
def test_spam_score_is_at_most_one(verdicts: dict[str, Verdict], name: str) -> None:
    verdict = verdicts[name]
    assert verdict.score <= MAX_SCORE, f"{name} scores {verdict.score}: {verdict.rules}"
