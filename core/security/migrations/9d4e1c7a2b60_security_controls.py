"""等保 identity controls: session epoch, forced password change, password history, TOTP secret;
the audit log's append-only trigger lets a purge remove rows older than the 180-day floor, nothing younger

Revision ID: 9d4e1c7a2b60
Revises:
Create Date: 2026-12-06 05:00:00
"""
from alembic import op
import sqlalchemy as sa

revision = '9d4e1c7a2b60'
down_revision = None
branch_labels = ('core_security',)
depends_on = ('core', 'core_audit')

# PostgreSQL: UPDATE and TRUNCATE stay refused; DELETE only of rows at least 180 days old (网络安全法 Art 21)
RETENTION_FLOOR = """
CREATE OR REPLACE FUNCTION core_audit_log_append_only() RETURNS trigger AS $$
BEGIN
    -- one day more than the floor: "at" is local wall time, the server's zone may differ by hours
    IF TG_OP = 'DELETE' AND OLD.at < localtimestamp - interval '181 days' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'core_audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""
APPEND_ONLY = """
CREATE OR REPLACE FUNCTION core_audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'core_audit_log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def upgrade() -> None:
    with op.batch_alter_table('core_user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_epoch', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('must_change_password', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('password_changed_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
    op.create_table('core_password_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['core_user.id'], name=op.f('fk_core_password_history_user_id_core_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_core_password_history'))
    )
    with op.batch_alter_table('core_password_history', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_core_password_history_user_id'), ['user_id'], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(RETENTION_FLOOR)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(APPEND_ONLY)
    with op.batch_alter_table('core_password_history', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_core_password_history_user_id'))
    op.drop_table('core_password_history')
    with op.batch_alter_table('core_user', schema=None) as batch_op:
        batch_op.drop_column('totp_secret')
        batch_op.drop_column('password_changed_at')
        batch_op.drop_column('must_change_password')
        batch_op.drop_column('session_epoch')
