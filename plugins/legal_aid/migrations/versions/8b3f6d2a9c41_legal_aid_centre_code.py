"""legal_aid: the one-stop centre's case code on a legal-aid application opened by the centre

Revision ID: 8b3f6d2a9c41
Revises: 3953c5f29d8e
Create Date: 2026-12-06 06:00:00
"""
from alembic import op
import sqlalchemy as sa


revision = '8b3f6d2a9c41'
down_revision = '3953c5f29d8e'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('legal_aid_application', schema=None) as batch_op:
        batch_op.add_column(sa.Column('centre_code', sa.String(length=30), nullable=True))
        batch_op.create_index(batch_op.f('ix_legal_aid_application_centre_code'), ['centre_code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('legal_aid_application', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_legal_aid_application_centre_code'))
        batch_op.drop_column('centre_code')
