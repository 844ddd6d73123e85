"""An event for a video whose job is not recorded yet is held (its change kept) until the
trigger records the job (docs/ARCHITECTURE.md, "A job belongs to its asset").

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04 18:46:50.060202
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("processed_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("held_change", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("processed_events", schema=None) as batch_op:
        batch_op.drop_column("held_change")
