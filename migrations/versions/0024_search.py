"""Issue 19, search: full-text search over task titles, descriptions and comments

PostgreSQL: a generated tsvector column on tasks (title weight A, description weight B) and one
on comments, each with a GIN index. GENERATED ... STORED keeps writes simple: the database
computes the vector on every insert and update, no trigger, no application code; ranking reads
the stored vector instead of re-parsing the text of every matching row.

SQLite: external-content FTS5 tables over the same text, kept in step by triggers, and filled
once from the rows already there. Both use the same tokens: words lowercased, no stemming, no
stop words (PostgreSQL's 'simple' configuration, FTS5's unicode61 keeping diacritics).

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 18:30:00

"""

from alembic import op

# revision identifiers, used by Alembic.
revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

POSTGRES_UP = [
    "ALTER TABLE tasks ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    " setweight(to_tsvector('simple'::regconfig, coalesce(title, '')), 'A')"
    " || setweight(to_tsvector('simple'::regconfig, coalesce(description, '')), 'B')) STORED",
    "CREATE INDEX ix_tasks_search_vector ON tasks USING gin (search_vector)",
    "ALTER TABLE comments ADD COLUMN search_vector tsvector GENERATED ALWAYS AS ("
    " to_tsvector('simple'::regconfig, coalesce(body, ''))) STORED",
    "CREATE INDEX ix_comments_search_vector ON comments USING gin (search_vector)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS ix_comments_search_vector",
    "ALTER TABLE comments DROP COLUMN IF EXISTS search_vector",
    "DROP INDEX IF EXISTS ix_tasks_search_vector",
    "ALTER TABLE tasks DROP COLUMN IF EXISTS search_vector",
]

TOKENIZER = "unicode61 remove_diacritics 0"
SQLITE_UP = [
    "CREATE VIRTUAL TABLE tasks_fts USING fts5(title, description,"
    f" content='tasks', content_rowid='id', tokenize='{TOKENIZER}')",
    "CREATE TRIGGER tasks_fts_insert AFTER INSERT ON tasks BEGIN"
    " INSERT INTO tasks_fts(rowid, title, description)"
    " VALUES (new.id, new.title, new.description); END",
    "CREATE TRIGGER tasks_fts_delete AFTER DELETE ON tasks BEGIN"
    " INSERT INTO tasks_fts(tasks_fts, rowid, title, description)"
    " VALUES ('delete', old.id, old.title, old.description); END",
    # Only a change of the searched text touches the index: a status change costs nothing.
    "CREATE TRIGGER tasks_fts_update AFTER UPDATE OF title, description ON tasks BEGIN"
    " INSERT INTO tasks_fts(tasks_fts, rowid, title, description)"
    " VALUES ('delete', old.id, old.title, old.description);"
    " INSERT INTO tasks_fts(rowid, title, description)"
    " VALUES (new.id, new.title, new.description); END",
    "INSERT INTO tasks_fts(tasks_fts) VALUES ('rebuild')",
    "CREATE VIRTUAL TABLE comments_fts USING fts5(body,"
    f" content='comments', content_rowid='id', tokenize='{TOKENIZER}')",
    "CREATE TRIGGER comments_fts_insert AFTER INSERT ON comments BEGIN"
    " INSERT INTO comments_fts(rowid, body) VALUES (new.id, new.body); END",
    "CREATE TRIGGER comments_fts_delete AFTER DELETE ON comments BEGIN"
    " INSERT INTO comments_fts(comments_fts, rowid, body) VALUES ('delete', old.id, old.body);"
    " END",
    "CREATE TRIGGER comments_fts_update AFTER UPDATE OF body ON comments BEGIN"
    " INSERT INTO comments_fts(comments_fts, rowid, body) VALUES ('delete', old.id, old.body);"
    " INSERT INTO comments_fts(rowid, body) VALUES (new.id, new.body); END",
    "INSERT INTO comments_fts(comments_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS comments_fts_update",
    "DROP TRIGGER IF EXISTS comments_fts_delete",
    "DROP TRIGGER IF EXISTS comments_fts_insert",
    "DROP TABLE IF EXISTS comments_fts",
    "DROP TRIGGER IF EXISTS tasks_fts_update",
    "DROP TRIGGER IF EXISTS tasks_fts_delete",
    "DROP TRIGGER IF EXISTS tasks_fts_insert",
    "DROP TABLE IF EXISTS tasks_fts",
]


def statements(up: bool) -> list[str]:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        return POSTGRES_UP if up else POSTGRES_DOWN
    if dialect == "sqlite":
        return SQLITE_UP if up else SQLITE_DOWN
    raise NotImplementedError(f"search has no schema for {dialect}")


def upgrade():
    for statement in statements(up=True):
        op.execute(statement)


def downgrade():
    for statement in statements(up=False):
        op.execute(statement)
