"""The pipeline database's schema history (Alembic); see docs/migrations.md."""
