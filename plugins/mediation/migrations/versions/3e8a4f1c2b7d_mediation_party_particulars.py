"""mediation: each party's particulars for the 调解协议书 (人民调解法 Art 29)

Revision ID: 3e8a4f1c2b7d
Revises: 5c1d2e3f4a5b
Create Date: 2026-12-06 05:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '3e8a4f1c2b7d'
down_revision = '5c1d2e3f4a5b'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('mediation_dispute_party', schema=None) as batch_op:
        batch_op.add_column(sa.Column('gender', sa.String(length=10), nullable=True))
        batch_op.add_column(sa.Column('ethnicity', sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column('birth_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('occupation', sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('mediation_dispute_party', schema=None) as batch_op:
        batch_op.drop_column('occupation')
        batch_op.drop_column('birth_date')
        batch_op.drop_column('ethnicity')
        batch_op.drop_column('gender')
