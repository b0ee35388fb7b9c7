"""mediation dispute list order: an index on (found_at, id), so the newest 25 of 100,000 disputes are read
from the index instead of sorting the table on every list page (issue 22).

Revision ID: b22a0f1d5e01
Revises: 7d2e9a1b4c60
Create Date: 2026-12-06 06:00:00
"""
from alembic import op


revision = 'b22a0f1d5e01'
down_revision = '7d2e9a1b4c60'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_mediation_dispute_found_id', 'mediation_dispute', ['found_at', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_mediation_dispute_found_id', table_name='mediation_dispute')
