"""mediation court-linked (诉调对接, issue 21): court batches and cases, parties, hand-back records, the
mediator roster, the case-file review checklist and reviews, monthly subsidy reports.

Revision ID: 5c1d2e3f4a5b
Revises: 6f2d1b4c8e32
Create Date: 2026-12-06 05:20:00
"""
from alembic import op
import sqlalchemy as sa


revision = '5c1d2e3f4a5b'
down_revision = '6f2d1b4c8e32'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('mediation_court_batch',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('court', sa.String(length=100), nullable=False),
        sa.Column('filename', sa.String(length=200), nullable=False),
        sa.Column('rows', sa.Integer(), nullable=False),
        sa.Column('imported_at', sa.DateTime(), nullable=False),
        sa.Column('imported_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['imported_by_id'], ['core_user.id'], name='fk_mediation_court_batch_imported_by_id_core_user'),
        sa.PrimaryKeyConstraint('id', name='pk_mediation_court_batch'))
    op.create_table('mediation_court_case',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('reference', sa.String(length=40), nullable=False),
        sa.Column('batch_id', sa.Integer(), nullable=True),
        sa.Column('region_id', sa.Integer(), nullable=False),
        sa.Column('court', sa.String(length=100), nullable=False),
        sa.Column('court_case_no', sa.String(length=60), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('procedure', sa.String(length=10), nullable=False),
        sa.Column('category', sa.String(length=40), nullable=False),
        sa.Column('claim', sa.Text(), nullable=False),
        sa.Column('judge_name', sa.String(length=60), nullable=False),
        sa.Column('judge_phone', sa.String(length=30), nullable=False),
        sa.Column('received_at', sa.DateTime(), nullable=False),
        sa.Column('file_note', sa.String(length=500), nullable=False),
        sa.Column('state', sa.String(length=12), nullable=False),
        sa.Column('committee_id', sa.Integer(), nullable=True),
        sa.Column('mediator_id', sa.Integer(), nullable=True),
        sa.Column('assignment_reason', sa.Text(), nullable=False),
        sa.Column('receipt_on', sa.Date(), nullable=True),
        sa.Column('extended_on', sa.Date(), nullable=True),
        sa.Column('ended_on', sa.Date(), nullable=True),
        sa.Column('mediation_days', sa.Integer(), nullable=True),
        sa.Column('outcome', sa.Text(), nullable=False),
        sa.Column('agreement_terms', sa.Text(), nullable=False),
        sa.Column('agreement_signed_on', sa.Date(), nullable=True),
        sa.Column('ruling', sa.String(length=12), nullable=True),
        sa.Column('ruling_no', sa.String(length=60), nullable=False),
        sa.Column('ruling_on', sa.Date(), nullable=True),
        sa.Column('handed_back_on', sa.Date(), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['batch_id'], ['mediation_court_batch.id'], name='fk_mediation_court_case_batch_id_mediation_court_batch'),
        sa.ForeignKeyConstraint(['region_id'], ['core_region.id'], name='fk_mediation_court_case_region_id_core_region'),
        sa.ForeignKeyConstraint(['committee_id'], ['mediation_committee.id'], name='fk_mediation_court_case_committee_id_mediation_committee'),
        sa.ForeignKeyConstraint(['mediator_id'], ['core_user.id'], name='fk_mediation_court_case_mediator_id_core_user'),
        sa.PrimaryKeyConstraint('id', name='pk_mediation_court_case'),
        sa.UniqueConstraint('reference', name='uq_mediation_court_case_reference'),
        sa.UniqueConstraint('court', 'court_case_no', name='uq_mediation_court_case_no'))
    with op.batch_alter_table('mediation_court_case', schema=None) as batch_op:
        batch_op.create_index('ix_mediation_court_case_batch_id', ['batch_id'], unique=False)
        batch_op.create_index('ix_mediation_court_case_region_id', ['region_id'], unique=False)
        batch_op.create_index('ix_mediation_court_case_state', ['state'], unique=False)
        batch_op.create_index('ix_mediation_court_case_mediator_id', ['mediator_id'], unique=False)
    op.create_table('mediation_court_party',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('person_id', sa.Integer(), nullable=False),
        sa.Column('role', sa.String(length=12), nullable=False),
        sa.Column('service_address', sa.String(length=300), nullable=False),
        sa.Column('address_confirmed', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['mediation_court_case.id'], name='fk_mediation_court_party_case_id_mediation_court_case'),
        sa.ForeignKeyConstraint(['person_id'], ['core_person.id'], name='fk_mediation_court_party_person_id_core_person'),
        sa.PrimaryKeyConstraint('id', name='pk_mediation_court_party'))
    with op.batch_alter_table('mediation_court_party', schema=None) as batch_op:
        batch_op.create_index('ix_mediation_court_party_case_id', ['case_id'], unique=False)
        batch_op.create_index('ix_mediation_court_party_person_id', ['person_id'], unique=False)
    op.create_table('mediation_court_handback',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('undisputed_facts', sa.Text(), nullable=False),
        sa.Column('facts_signed_on', sa.Date(), nullable=True),
        sa.Column('disputed_points', sa.Text(), nullable=False),
        sa.Column('evidence', sa.Text(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['case_id'], ['mediation_court_case.id'], name='fk_mediation_court_handback_case_id_mediation_court_case'),
        sa.PrimaryKeyConstraint('id', name='pk_mediation_court_handback'),
        sa.UniqueConstraint('case_id', name='uq_mediation_court_handback_case_id'))
    op.create_table('mediation_mediator_profile',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('specialties', sa.JSON(), nullable=False),
        sa.Column('languages', sa.String(length=200), nullable=False),
        sa.Column('committee_id', sa.Integer(), nullable=True),
        sa.Column('qualifications', sa.String(length=300), nullable=False),
        sa.Column('training_hours', sa.Integer(), nullable=False),
        sa.Column('available', sa.Boolean(), nullable=False),
        sa.Column('max_load', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name='fk_mediation_mediator_profile_user_id_core_user'),
        sa.ForeignKeyConstraint(['committee_id'], ['mediation_committee.id'], name='fk_mediation_mediator_profile_committee_id_mediation_committee'),
        sa.PrimaryKeyConstraint('id', name='pk_mediation_mediator_profile'),
        sa.UniqueConstraint('user_id', name='uq_mediation_mediator_profile_user_id'))
    op.create_table('mediation_review_item',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('grade', sa.String(length=12), nullable=False),
        sa.Column('code', sa.String(length=40), nullable=False),
        sa.Column('label', sa.String(length=200), nullable=False),
        sa.Column('points', sa.Integer(), nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id', name='pk_mediation_review_item'),
        sa.UniqueConstraint('grade', 'code', name='uq_mediation_review_item_grade_code'))
    op.create_table('mediation_case_review',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('case_id', sa.Integer(), nullable=False),
        sa.Column('grade', sa.String(length=12), nullable=False),
        sa.Column('scores', sa.JSON(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=False),
        sa.Column('max_total', sa.Integer(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('reviewer_id', sa.Integer(), nullable=True),
        sa.Column('reviewed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['case_id'], ['mediation_court_case.id'], name='fk_mediation_case_review_case_id_mediation_court_case'),
        sa.ForeignKeyConstraint(['reviewer_id'], ['core_user.id'], name='fk_mediation_case_review_reviewer_id_core_user'),
        sa.PrimaryKeyConstraint('id', name='pk_mediation_case_review'),
        sa.UniqueConstraint('case_id', name='uq_mediation_case_review_case_id'))
    op.create_table('mediation_subsidy_report',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('region_id', sa.Integer(), nullable=False),
        sa.Column('month', sa.String(length=7), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('total', sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column('submitted_by_id', sa.Integer(), nullable=True),
        sa.Column('submitted_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['region_id'], ['core_region.id'], name='fk_mediation_subsidy_report_region_id_core_region'),
        sa.ForeignKeyConstraint(['submitted_by_id'], ['core_user.id'], name='fk_mediation_subsidy_report_submitted_by_id_core_user'),
        sa.PrimaryKeyConstraint('id', name='pk_mediation_subsidy_report'),
        sa.UniqueConstraint('region_id', 'month', name='uq_mediation_subsidy_report_region_month'))
    with op.batch_alter_table('mediation_subsidy_report', schema=None) as batch_op:
        batch_op.create_index('ix_mediation_subsidy_report_region_id', ['region_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('mediation_subsidy_report', schema=None) as batch_op:
        batch_op.drop_index('ix_mediation_subsidy_report_region_id')
    op.drop_table('mediation_subsidy_report')
    op.drop_table('mediation_case_review')
    op.drop_table('mediation_review_item')
    op.drop_table('mediation_mediator_profile')
    op.drop_table('mediation_court_handback')
    with op.batch_alter_table('mediation_court_party', schema=None) as batch_op:
        batch_op.drop_index('ix_mediation_court_party_person_id')
        batch_op.drop_index('ix_mediation_court_party_case_id')
    op.drop_table('mediation_court_party')
    with op.batch_alter_table('mediation_court_case', schema=None) as batch_op:
        batch_op.drop_index('ix_mediation_court_case_mediator_id')
        batch_op.drop_index('ix_mediation_court_case_state')
        batch_op.drop_index('ix_mediation_court_case_region_id')
        batch_op.drop_index('ix_mediation_court_case_batch_id')
    op.drop_table('mediation_court_case')
