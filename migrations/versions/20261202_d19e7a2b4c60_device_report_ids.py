"""audit events: the id a phone gives its report, recorded once per device

Revision ID: d19e7a2b4c60
Revises: b7c1d2e3f4a5
Create Date: 2026-12-02 04:40:00

A phone that did an access export offline reports it when the signal returns; a retry of a
report whose answer was lost carries the same id and is not logged a second time.
"""
import sqlalchemy as sa
from alembic import op

revision = 'd19e7a2b4c60'
down_revision = 'b7c1d2e3f4a5'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('audit_event') as batch_op:
        batch_op.add_column(sa.Column('report_id', sa.String(length=36), nullable=True))
        batch_op.create_unique_constraint('uq_audit_event_device_report',
                                          ['device_id', 'report_id'])


def downgrade() -> None:
    with op.batch_alter_table('audit_event') as batch_op:
        batch_op.drop_constraint('uq_audit_event_device_report', type_='unique')
        batch_op.drop_column('report_id')
