"""example suggestion box

Revision ID: e1a0c0de0001
Revises:
Create Date: 2026-12-06 05:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = 'e1a0c0de0001'
down_revision = None
branch_labels = ('example',)
depends_on = ['core']


def upgrade() -> None:
    op.create_table('example_suggestion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('text', sa.String(length=500), nullable=False),
    sa.Column('state', sa.String(length=20), nullable=False),
    sa.Column('region_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['region_id'], ['core_region.id'], name=op.f('fk_example_suggestion_region_id_core_region')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_example_suggestion'))
    )
    with op.batch_alter_table('example_suggestion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_example_suggestion_region_id'), ['region_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('example_suggestion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_example_suggestion_region_id'))
    op.drop_table('example_suggestion')
