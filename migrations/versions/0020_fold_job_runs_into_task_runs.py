"""Fold job_runs into task_runs: a job's summary becomes task_runs.summary; job_runs goes

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 16:00:00

Each job run already had a task run of the same Celery id (the worker's signals write one for
every task): that row takes the job's summary, and its "interrupted" end. A job run with no
task run (run outside a worker, or its task run already pruned) becomes a task run of its own,
under the id "job-run-<id>" when it had none. Downgrade rebuilds job_runs from the task runs
that carry a summary or were interrupted, and removes the rows the upgrade made.
"""
from alembic import op
import sqlalchemy as sa

from app.core.database import UTCDateTime


# revision identifiers, used by Alembic.
revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

# The newest job run of each Celery id (a retried job wrote one per attempt).
NEWEST_JOB_RUN = """
    SELECT j.summary FROM job_runs j WHERE j.celery_id = task_runs.celery_id
    ORDER BY j.id DESC LIMIT 1
"""
MADE_ID = "'job-run-' || CAST(j.id AS VARCHAR(20))"
# Ids of runs with no Celery id: made here, or by recorded_run for a job run outside a worker.
NO_CELERY_ID = "(t.celery_id LIKE 'job-run-%' OR t.celery_id LIKE 'local-%')"


def upgrade():
    with op.batch_alter_table("task_runs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("summary", sa.Text(), nullable=True))

    op.execute(
        f"""
        UPDATE task_runs SET summary = ({NEWEST_JOB_RUN})
        WHERE EXISTS (SELECT 1 FROM job_runs j WHERE j.celery_id = task_runs.celery_id)
        """
    )
    # A run the sweep ended as interrupted is still "started" in task_runs: end it there too.
    op.execute(
        """
        UPDATE task_runs SET
          state = 'interrupted',
          finished_at = (SELECT MAX(j.finished_at) FROM job_runs j
                         WHERE j.celery_id = task_runs.celery_id)
        WHERE state = 'started' AND EXISTS (
          SELECT 1 FROM job_runs j
          WHERE j.celery_id = task_runs.celery_id AND j.outcome = 'interrupted')
        """
    )
    op.execute(
        f"""
        INSERT INTO task_runs
          (celery_id, name, state, created_at, started_at, finished_at, retries, error, summary)
        SELECT
          COALESCE(j.celery_id, {MADE_ID}),
          j.job,
          CASE j.outcome WHEN 'running' THEN 'started' ELSE j.outcome END,
          j.started_at, j.started_at, j.finished_at, 0,
          CASE WHEN j.outcome = 'failed' THEN j.summary END,
          j.summary
        FROM job_runs j
        WHERE NOT EXISTS (SELECT 1 FROM task_runs t WHERE t.celery_id = j.celery_id)
          AND (j.celery_id IS NULL
               OR j.id = (SELECT MAX(k.id) FROM job_runs k WHERE k.celery_id = j.celery_id))
        """
    )

    with op.batch_alter_table("job_runs", schema=None) as batch_op:
        batch_op.drop_index("ix_job_runs_celery_id")
        batch_op.drop_index("ix_job_runs_job_started")
    op.drop_table("job_runs")


def downgrade():
    op.create_table(
        "job_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(length=128), nullable=False),
        sa.Column("celery_id", sa.String(length=64), nullable=True),
        sa.Column("started_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_job_runs")),
    )
    with op.batch_alter_table("job_runs", schema=None) as batch_op:
        batch_op.create_index("ix_job_runs_job_started", ["job", "started_at"], unique=False)
        batch_op.create_index("ix_job_runs_celery_id", ["celery_id"], unique=False)

    op.execute(
        f"""
        INSERT INTO job_runs (job, celery_id, started_at, finished_at, outcome, summary)
        SELECT
          SUBSTR(t.name, 1, 128),
          CASE WHEN {NO_CELERY_ID} THEN NULL ELSE t.celery_id END,
          t.started_at, t.finished_at,
          CASE t.state WHEN 'started' THEN 'running' ELSE t.state END,
          t.summary
        FROM task_runs t
        WHERE t.started_at IS NOT NULL
          AND (t.summary IS NOT NULL OR t.state = 'interrupted')
        ORDER BY t.started_at, t.id
        """
    )
    # Before this revision task_runs knew no "interrupted" (job_runs did) nor rows of its own
    # for job runs without a task run.
    op.execute(
        f"DELETE FROM task_runs WHERE id IN (SELECT t.id FROM task_runs t WHERE {NO_CELERY_ID})"
    )
    op.execute("UPDATE task_runs SET state = 'started' WHERE state = 'interrupted'")
    with op.batch_alter_table("task_runs", schema=None) as batch_op:
        batch_op.drop_column("summary")
