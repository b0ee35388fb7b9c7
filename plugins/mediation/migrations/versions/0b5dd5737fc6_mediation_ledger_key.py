"""mediation ledger key: the five ledger codes a dispute is counted by (category, source, risk level,
state, handling level) packed in one integer (plugins/mediation/ledger_key.py), set by the application on
every insert and update and filled here for the rows there are. The (region_id, found_at) index gains the
key as a third column, so that the monthly roll-up reads the index alone (an index-only scan).

Revision ID: 0b5dd5737fc6
Revises: 0a7ede4996a9
Create Date: 2026-11-23 12:31:49.928978
"""
from alembic import op
import sqlalchemy as sa


revision = '0b5dd5737fc6'
down_revision = '0a7ede4996a9'
branch_labels = None
depends_on = None

# ledger_key.EXPRESSION as it was when the column was made (the digits never change)
EXPRESSION = "(CASE category WHEN 'marriage_family' THEN 1 WHEN 'neighbour' THEN 2 WHEN 'housing_homestead' THEN 3 WHEN 'contract' THEN 4 WHEN 'production_business' THEN 5 WHEN 'damages' THEN 6 WHEN 'forest_land' THEN 7 WHEN 'land_acquisition_demolition' THEN 8 WHEN 'environment' THEN 9 WHEN 'labour' THEN 10 WHEN 'consumer' THEN 11 WHEN 'medical' THEN 12 WHEN 'traffic' THEN 13 WHEN 'property_management' THEN 14 WHEN 'other' THEN 15 ELSE 0 END) * 10000 + (CASE source WHEN 'patrol' THEN 1 WHEN 'application' THEN 2 WHEN 'court' THEN 3 WHEN 'police' THEN 4 ELSE 0 END) * 1000 + (CASE risk_level WHEN 'red' THEN 1 WHEN 'orange' THEN 2 WHEN 'yellow' THEN 3 WHEN 'green' THEN 4 ELSE 0 END) * 100 + (CASE state WHEN 'registered' THEN 1 WHEN 'mediating' THEN 2 WHEN 'resolved' THEN 3 WHEN 'failed' THEN 4 WHEN 'escalated' THEN 5 WHEN 'refused' THEN 6 WHEN 'closed' THEN 7 ELSE 0 END) * 10 + (CASE handling_level WHEN 'village' THEN 1 WHEN 'town' THEN 2 WHEN 'district' THEN 3 ELSE 0 END) * 1"


def upgrade() -> None:
    with op.batch_alter_table('mediation_dispute', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ledger_key', sa.Integer(), nullable=True))
    op.execute(f"UPDATE mediation_dispute SET ledger_key = {EXPRESSION}")
    with op.batch_alter_table('mediation_dispute', schema=None) as batch_op:
        batch_op.drop_index('ix_mediation_dispute_region_found')
        batch_op.create_index('ix_mediation_dispute_region_found_key', ['region_id', 'found_at', 'ledger_key'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('mediation_dispute', schema=None) as batch_op:
        batch_op.drop_index('ix_mediation_dispute_region_found_key')
        batch_op.create_index('ix_mediation_dispute_region_found', ['region_id', 'found_at'], unique=False)
    with op.batch_alter_table('mediation_dispute', schema=None) as batch_op:
        batch_op.drop_column('ledger_key')
