"""The emulator store's schema history (Alembic); see docs/migrations.md."""
