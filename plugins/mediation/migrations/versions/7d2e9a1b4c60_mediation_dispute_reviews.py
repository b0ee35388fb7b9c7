"""mediation dispute reviews: a case-file review (卷宗评查) may score a closed dispute as well as a court case,
so that 以案定补 covers the committee's own cases.

Revision ID: 7d2e9a1b4c60
Revises: 3e8a4f1c2b7d
Create Date: 2026-12-06 05:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '7d2e9a1b4c60'
down_revision = '3e8a4f1c2b7d'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('mediation_case_review', schema=None) as batch_op:
        batch_op.add_column(sa.Column('dispute_id', sa.Integer(), nullable=True))
        batch_op.alter_column('case_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key('fk_mediation_case_review_dispute_id_mediation_dispute', 'mediation_dispute',
                                    ['dispute_id'], ['id'])
        batch_op.create_unique_constraint('uq_mediation_case_review_dispute_id', ['dispute_id'])


def downgrade() -> None:
    op.execute("DELETE FROM mediation_case_review WHERE case_id IS NULL")
    with op.batch_alter_table('mediation_case_review', schema=None) as batch_op:
        batch_op.drop_constraint('uq_mediation_case_review_dispute_id', type_='unique')
        batch_op.drop_constraint('fk_mediation_case_review_dispute_id_mediation_dispute', type_='foreignkey')
        batch_op.alter_column('case_id', existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column('dispute_id')
