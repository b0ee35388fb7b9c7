"""petition: the one-stop centre's case code on a petition routed by the centre

Revision ID: 5e1c0c3a7d21
Revises: 4288d3133d94
Create Date: 2026-12-06 05:10:00
"""
from alembic import op
import sqlalchemy as sa


revision = '5e1c0c3a7d21'
down_revision = '4288d3133d94'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('petition_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('centre_code', sa.String(length=30), nullable=True))
        batch_op.create_index(batch_op.f('ix_petition_case_centre_code'), ['centre_code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('petition_case', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_petition_case_centre_code'))
        batch_op.drop_column('centre_code')
