"""review desk: analysts' label corrections (relevance, topics, tone) as training data

Revision ID: 0003_label_corrections
Revises: 0002_review_fulltext
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_label_corrections"
down_revision = "0002_review_fulltext"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "label_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("relevance", sa.Integer(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("tone", sa.String(length=20), nullable=False),
        sa.Column("reviewer", sa.String(length=100), nullable=False),
        sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"],
            name=op.f("fk_label_corrections_document_id_documents"), ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_label_corrections")),
    )
    with op.batch_alter_table("label_corrections", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_label_corrections_document_id"), ["document_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("label_corrections", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_label_corrections_document_id"))
    op.drop_table("label_corrections")
