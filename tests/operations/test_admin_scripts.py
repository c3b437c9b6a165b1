"""celery_utils.py, test_celery.py and test_email.py, run as a person runs them, as processes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta

import pytest

from app.core.database import utcnow
from app.task_catalog import TASK_ROUTING
from app.tasklist.models import Task, TaskStatus
from tests.processes import ROOT, Running, free_port, running, tickler_env
from tests.services_available import REDIS_HOST, REDIS_PORT, redis_available, require

# A Redis database of its own, so these processes never meet the in-process test worker.
BROKER = f"redis://{REDIS_HOST}:{REDIS_PORT}/13"
WORKER = ["-m", "celery", "-A", "celery_worker", "worker", "--loglevel=info"]
TASKS = "app.tasks.task_management."
GUIDE_TASKS = (
    "generate_task_report",
    "send_task_reminders",
    "fetch_and_print_overdue_tasks",
    "send_weekly_summary_email",
    "cleanup_completed_tasks",
    "update_task_status",
)
BEAT_JOBS = (
    "generate-daily-report",
    "send-task-reminders",
    "check-overdue-tasks-daily",
    "send-weekly-summary",
    "cleanup-completed-tasks",
)


def settings(database_url: str, smtp_port: int, **extra: str) -> dict[str, str]:
    env = tickler_env(
        database_url,
        BROKER,
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(smtp_port),
        MAIL_TIMEOUT="5",
    )
    # The scripts speak the terminal's language: English here unless a test says otherwise,
    # whatever the machine running the tests is set to.
    for name in ("LC_ALL", "LC_MESSAGES"):
        env.pop(name, None)
    env["LANG"] = "C.UTF-8"
    env.update(extra)
    return env


@pytest.fixture
def env(app, database_url, smtp) -> dict[str, str]:
    """The scripts' environment: the test database (emptied after each test), the test mailbox."""
    return settings(database_url, smtp.port)


@pytest.fixture(scope="module")
def worker(base_app, database_url, smtp_server) -> Iterator[Running]:
    """The guide's worker command, as a process, for the tests of this module that need one."""
    require(redis_available(), f"Redis is not reachable at {REDIS_HOST}:{REDIS_PORT}")
    with running(WORKER, settings(database_url, smtp_server.port)) as process:
        process.wait_for("ready.", timeout=60)
        yield process


def run(*args: str, env: dict[str, str], timeout: float = 90) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def line_for(output: str, task: str) -> str:
    return next(line for line in output.splitlines() if line.startswith(task + " "))


def test_list_tasks_shows_every_guide_task_with_its_queue_and_schedule_in_words(env):
    listing = run("celery_utils.py", "--list-tasks", env=env)

    assert listing.returncode == 0, listing.stderr
    for name in GUIDE_TASKS:
        queue = TASK_ROUTING[TASKS + name][0]
        assert f" {queue} " in line_for(listing.stdout, TASKS + name)
    assert " reminders " in line_for(listing.stdout, TASKS + "send_task_reminders")
    assert "At 07:00" in line_for(listing.stdout, TASKS + "generate_task_report")
    assert "generate-daily-report" in line_for(listing.stdout, TASKS + "generate_task_report")
    assert "At 02:00, only on Sunday" in line_for(listing.stdout, TASKS + "cleanup_completed_tasks")
    assert "on demand" in line_for(listing.stdout, TASKS + "update_task_status")
    chunk = line_for(listing.stdout, "app.tasks.notifications.send_digest_chunk")
    assert " notifications " in chunk
    assert "NEXT RUN (UTC)" in listing.stdout
    assert "celery." not in listing.stdout


def test_guide_run_task_command_runs_the_report_inline_and_emails_the_admin(env, make, smtp):
    admin = make.user(email="boss@example.com", is_admin=True)
    make.task(make.project(admin), admin, assignee_id=admin)

    ran = run("celery_utils.py", "--run-task", TASKS + "generate_task_report", env=env)

    assert ran.returncode == 0, ran.stderr
    result = json.loads(ran.stdout)
    assert result["report"]["open"] == 1
    assert result["admins"] == 1
    [email] = smtp.wait_for(1)
    assert email["Subject"].startswith("Daily task report for")
    assert email.envelope_recipients == ["boss@example.com"]
    assert result["note"].startswith("Emailed the report for ")

    again = json.loads(run("celery_utils.py", "--run-task", "generate_task_report", env=env).stdout)
    assert (again["admins"], again["already_emailed"]) == (0, 1)
    assert "was already emailed today to 1 admin; nobody was emailed again" in again["note"]
    # A person whose terminal speaks German reads the note in German.
    german = run(
        "celery_utils.py", "--run-task", "generate_task_report", env={**env, "LANG": "de_DE.UTF-8"}
    )
    assert "wurde heute schon an 1 Admin gesendet" in json.loads(german.stdout)["note"]


def test_run_task_with_the_mail_server_down_exits_1_and_says_what_to_check(env, make, smtp):
    make.user(email="boss@example.com", is_admin=True)
    down = {**env, "MAIL_PORT": str(free_port())}

    ran = run("celery_utils.py", "--run-task", "generate-daily-report", env=down)

    assert ran.returncode == 1
    assert "some emails could not be sent" in ran.stderr
    assert "python test_email.py" in ran.stderr
    assert "Traceback" not in ran.stderr


def test_run_task_by_short_name_sends_a_reminder_for_a_task_due_soon(env, make, smtp):
    person = make.user(email="due@example.com")
    project = make.project(person)
    make.task(project, person, "Ship the release", person, due_at=utcnow() + timedelta(hours=3))

    ran = run("celery_utils.py", "--run-task", "send_task_reminders", env=env)

    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["recipients"] == 1
    [email] = smtp.wait_for(1)
    assert email.envelope_recipients == ["due@example.com"]
    assert "Ship the release" in email.get_body(("plain",)).get_content()


def test_run_task_with_json_args_changes_the_task_status(env, make):
    owner = make.user()
    task = make.task(make.project(owner), owner)

    args = json.dumps([task, "completed"])
    ran = run("celery_utils.py", "--run-task", "update_task_status", "--args", args, env=env)

    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout) == {"task_id": task, "status": "completed", "changed": True}
    assert make.get(Task, task).status == TaskStatus.COMPLETED


def test_unknown_task_name_exits_2_and_suggests_the_close_match(env):
    ran = run("celery_utils.py", "--run-task", "generate_task_reprot", env=env)

    assert ran.returncode == 2
    assert "No task called 'generate_task_reprot'" in ran.stderr
    assert "Did you mean: generate_task_report" in ran.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ('[1, "completed"', "--args is not valid JSON"),
        ('"completed"', "--args must be a JSON list or object"),
        ("[1]", "missing 1 required positional argument: 'new_status'"),
    ],
)
def test_bad_args_exit_2_with_a_clear_message(env, args, message):
    ran = run("celery_utils.py", "--run-task", "update_task_status", "--args", args, env=env)

    assert ran.returncode == 2
    assert message in ran.stderr
    assert "Traceback" not in ran.stderr


def test_schedule_lists_every_beat_job_with_its_description(env):
    ran = run("celery_utils.py", "--schedule", env=env)

    assert ran.returncode == 0, ran.stderr
    for job in BEAT_JOBS:
        assert f"\n{job}\n" in ran.stdout
    assert "Archives tasks completed more than 30 days ago." in ran.stdout


def test_schedule_and_list_speak_the_terminal_language(env):
    german = run("celery_utils.py", "--schedule", env={**env, "LANG": "de_DE.UTF-8"})
    assert german.returncode == 0, german.stderr
    assert "Beat-Zeitplan; Crontabs und nächste Läufe gelten in CELERY_TIMEZONE=" in german.stdout
    assert "\ncleanup-completed-tasks\n" in german.stdout  # the job names stay as they are
    assert "Um 02:00, nur am Sonntag" in german.stdout
    assert "Archiviert Aufgaben, die vor mehr als 30 Tagen erledigt wurden." in german.stdout
    assert re.search(r"nächster Lauf  (Mo|Di|Mi|Do|Fr|Sa|So)\. 20\d\d-", german.stdout)

    japanese = run("celery_utils.py", "--list-tasks", env={**env, "LC_ALL": "ja_JP.UTF-8"})
    assert japanese.returncode == 0, japanese.stderr
    assert "件のタスク。crontab と次回実行は CELERY_TIMEZONE=" in japanese.stdout
    assert TASKS + "generate_task_report" in japanese.stdout and "随時" in japanese.stdout

    french = run(
        "celery_utils.py", "--run-task", "generate_task_reprot", env={**env, "LANG": "fr_FR"}
    )
    assert french.returncode == 2
    assert "erreur : Aucune tâche nommée 'generate_task_reprot'. Vouliez-vous dire" in french.stderr


@pytest.mark.worker
def test_async_queues_the_task_and_the_worker_runs_it(env, make, worker):
    owner = make.user()
    task = make.task(make.project(owner), owner)

    args = json.dumps([task, "in_progress"])
    ran = run(
        "celery_utils.py", "--run-task", "update_task_status", "--args", args, "--async", env=env
    )

    assert ran.returncode == 0, ran.stderr
    job_id = re.search(r"task id\s+([0-9a-f-]{36})", ran.stdout).group(1)
    assert "queue    default" in ran.stdout
    worker.wait_for(f"[{job_id}] succeeded", timeout=30)
    assert make.get(Task, task).status == TaskStatus.IN_PROGRESS


def test_async_with_the_broker_down_exits_2_quickly_and_says_so(env):
    down = {**env, "CELERY_BROKER_URL": f"redis://127.0.0.1:{free_port()}/0"}
    down["CELERY_RESULT_BACKEND"] = down["CELERY_BROKER_URL"]

    started = time.monotonic()
    ran = run("celery_utils.py", "--run-task", "ping", "--async", env=down, timeout=60)

    assert ran.returncode == 2
    assert time.monotonic() - started < 30
    assert "Cannot reach the broker" in ran.stderr
    assert "redis-server" in ran.stderr


@pytest.mark.worker
def test_celery_check_passes_every_step_with_a_worker_running(env, worker):
    ran = run("test_celery.py", env=env)

    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert ran.stdout.count("✓") == 5
    assert "✗" not in ran.stdout
    assert "All checks passed" in ran.stdout


def test_celery_check_with_the_broker_down_fails_fast_and_names_the_fix(env):
    url = f"redis://127.0.0.1:{free_port()}/0"
    down = {**env, "CELERY_BROKER_URL": url, "CELERY_RESULT_BACKEND": url}

    started = time.monotonic()
    ran = run("test_celery.py", env=down, timeout=60)

    assert ran.returncode == 1
    assert time.monotonic() - started < 30
    assert "✓ 1/5 Config" in ran.stdout
    assert "✗ 2/5 Broker" in ran.stdout
    assert "start Redis: redis-server" in ran.stdout
    assert "CELERY_BROKER_URL" in ran.stdout


def test_email_check_delivers_a_multipart_email(env, smtp):
    ran = run("test_email.py", "someone@example.com", env=env)

    assert ran.returncode == 0, ran.stdout + ran.stderr
    [email] = smtp.wait_for(1)
    assert email["Subject"] == "Tickler test email"
    assert email.envelope_recipients == ["someone@example.com"]
    assert {part.get_content_type() for part in email.walk()} >= {"text/plain", "text/html"}
    assert f"127.0.0.1 port {smtp.port}" in ran.stdout
    assert "Look in spam" in ran.stdout


def test_email_check_under_make_run_points_to_the_dev_mailbox(env, smtp, tmp_path):
    # What `make run` hands to commands in other terminals (instance/devstack/runtime.env).
    devstack = {"DEV_MAILBOX_DIR": str(tmp_path), "APP_BASE_URL": "http://127.0.0.1:5123"}
    ran = run("test_email.py", "someone@example.com", env={**env, **devstack})

    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "Read it in the development mailbox: http://127.0.0.1:5123/dev/mail/" in ran.stdout
    assert "spam" not in ran.stdout


def test_email_check_explains_a_refused_recipient(env, smtp):
    smtp.handler.refuse_recipients["someone@example.com"] = "550 5.1.1 No such user"

    ran = run("test_email.py", "someone@example.com", env=env)

    assert ran.returncode == 1
    assert "refused the recipient someone@example.com: 550 5.1.1 No such user" in ran.stdout
    assert smtp.messages == []


def test_email_check_says_nothing_is_listening_on_a_closed_port(env):
    closed = {**env, "MAIL_PORT": str(free_port())}

    ran = run("test_email.py", "someone@example.com", env=closed)

    assert ran.returncode == 1
    assert "nothing is listening at 127.0.0.1:" in ran.stdout
    assert "check MAIL_SERVER and MAIL_PORT" in ran.stdout


@pytest.mark.parametrize("server", ["closed port", "server without login"])
def test_email_check_never_prints_the_password(env, smtp, server):
    port = str(free_port()) if server == "closed port" else str(smtp.port)
    login = {**env, "MAIL_PORT": port, "MAIL_USERNAME": "u", "MAIL_PASSWORD": "s3cret-pw"}

    ran = run("test_email.py", "someone@example.com", env=login)

    assert ran.returncode == 1
    assert "login     as u (password set, not shown)" in ran.stdout
    assert "s3cret-pw" not in ran.stdout + ran.stderr
