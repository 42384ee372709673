"""administration from the app: audit by team, revocation reasons, enrolment codes,
break-the-glass access requests

Revision ID: c19a0d3e5f21
Revises: c4e8a2f1d903
Create Date: 2026-12-02 01:15:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'c19a0d3e5f21'
down_revision = 'c4e8a2f1d903'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('team_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_audit_event_team_id'), ['team_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_audit_event_team_id_team'), 'team',
                                    ['team_id'], ['id'])
    with op.batch_alter_table('device', schema=None) as batch_op:
        batch_op.add_column(sa.Column('revoked_reason', sa.String(length=20), nullable=True))
    op.create_table('enrolment',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('code_hash', sa.String(length=64), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('team_slugs', sa.JSON(), nullable=False),
    sa.Column('created_by', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('used_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('user_id', sa.String(length=36), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                            name=op.f('fk_enrolment_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['created_by'], ['user.id'], name=op.f('fk_enrolment_created_by_user')),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_enrolment_user_id_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrolment')),
    sa.UniqueConstraint('code_hash', name=op.f('uq_enrolment_code_hash'))
    )
    op.create_table('access_request',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('requester_id', sa.String(length=36), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('reference', sa.String(length=100), nullable=False),
    sa.Column('hours', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by', sa.String(length=36), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('grants', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                            name=op.f('fk_access_request_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_access_request_team_id_team')),
    sa.ForeignKeyConstraint(['requester_id'], ['user.id'],
                            name=op.f('fk_access_request_requester_id_user')),
    sa.ForeignKeyConstraint(['decided_by'], ['user.id'],
                            name=op.f('fk_access_request_decided_by_user')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_access_request'))
    )
    with op.batch_alter_table('access_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_access_request_team_id'), ['team_id'], unique=False)


def downgrade():
    with op.batch_alter_table('access_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_access_request_team_id'))
    op.drop_table('access_request')
    op.drop_table('enrolment')
    # A plain DROP COLUMN (SQLite >= 3.35): a batch rebuild of `device` would drop a table that
    # tokens and envelopes point to, which SQLite's foreign keys refuse once it holds rows.
    op.drop_column('device', 'revoked_reason')
    with op.batch_alter_table('audit_event', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_audit_event_team_id_team'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_audit_event_team_id'))
        batch_op.drop_column('team_id')
