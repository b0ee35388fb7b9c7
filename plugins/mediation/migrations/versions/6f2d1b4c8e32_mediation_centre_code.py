"""mediation: the one-stop centre's case code on a dispute routed by the centre

Revision ID: 6f2d1b4c8e32
Revises: 0b5dd5737fc6
Create Date: 2026-12-06 05:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '6f2d1b4c8e32'
down_revision = '0b5dd5737fc6'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('mediation_dispute', schema=None) as batch_op:
        batch_op.add_column(sa.Column('centre_code', sa.String(length=30), nullable=True))
        batch_op.create_index(batch_op.f('ix_mediation_dispute_centre_code'), ['centre_code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('mediation_dispute', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mediation_dispute_centre_code'))
        batch_op.drop_column('centre_code')
