"""review desk: full-text search over documents (SQLite FTS5 + triggers, PostgreSQL GIN)

Revision ID: 0002_review_fulltext
Revises: 0001
Create Date: 2026-11-27

SQLite: an external-content FTS5 table ``documents_fts`` (title, text) kept in step by triggers.
The tokenizer keeps diacritics (``remove_diacritics 0``): the default folds gia/giá/giả together.
Note: a later batch migration that recreates ``documents`` on SQLite drops these triggers; it must
create them again (call ``create_sqlite_fulltext`` from this module) and rebuild the index.

PostgreSQL: a GIN expression index with the 'simple' configuration (no stemming, diacritics
kept); presswatch.storage.queries.PG_DOCUMENT_TSVECTOR must stay the same expression.
"""

from __future__ import annotations

from alembic import op

revision = "0002_review_fulltext"
down_revision = "0001"
branch_labels = None
depends_on = None

SQLITE_UP = (
    """CREATE VIRTUAL TABLE IF NOT EXISTS documents_fts USING fts5(
        title, text, content='documents', content_rowid='id',
        tokenize="unicode61 remove_diacritics 0")""",
    """CREATE TRIGGER IF NOT EXISTS documents_fts_insert AFTER INSERT ON documents BEGIN
        INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS documents_fts_delete AFTER DELETE ON documents BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END""",
    """CREATE TRIGGER IF NOT EXISTS documents_fts_update AFTER UPDATE OF title, text ON documents
    BEGIN
        INSERT INTO documents_fts(documents_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO documents_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END""",
    "INSERT INTO documents_fts(documents_fts) VALUES ('rebuild')",
)
SQLITE_DOWN = (
    "DROP TRIGGER IF EXISTS documents_fts_update",
    "DROP TRIGGER IF EXISTS documents_fts_delete",
    "DROP TRIGGER IF EXISTS documents_fts_insert",
    "DROP TABLE IF EXISTS documents_fts",
)
# Capped so that a huge text cannot exceed PostgreSQL's 1 MB tsvector limit and fail its insert.
PG_TSVECTOR = (
    "to_tsvector('simple', left(coalesce(title, '') || ' ' || coalesce(text, ''), 300000))"
)


def create_sqlite_fulltext() -> None:
    """Create (or re-create after a table rebuild) the FTS5 table and triggers, and fill it."""
    for statement in SQLITE_UP:
        op.execute(statement)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        create_sqlite_fulltext()
    elif op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX IF NOT EXISTS ix_documents_fulltext ON documents "
            f"USING gin ({PG_TSVECTOR})"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_DOWN:
            op.execute(statement)
    elif op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_documents_fulltext")
