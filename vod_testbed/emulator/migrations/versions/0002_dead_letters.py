"""The dead-letter list: when a delivery was queued, and when and why it was given up.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        # Rows queued before this revision have no known queueing time: 0 stands for it.
        batch.add_column(sa.Column("created_at", sa.Float(), server_default="0", nullable=False))
        batch.add_column(sa.Column("dead_at", sa.Float(), nullable=True))
        batch.add_column(sa.Column("dead_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        for column in ("dead_reason", "dead_at", "created_at"):
            batch.drop_column(column)
