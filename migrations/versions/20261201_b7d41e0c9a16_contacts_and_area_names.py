"""household-facing contacts: team phone, organisation contact, area names per locale

Revision ID: b7d41e0c9a16
Revises: 5e9a1c7d2b40
Create Date: 2026-12-01 22:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'b7d41e0c9a16'
down_revision = '5e9a1c7d2b40'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.add_column(sa.Column('phone', sa.String(length=40), nullable=True))
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('contact_phone', sa.String(length=40), nullable=True))
        batch_op.add_column(sa.Column('contact_email', sa.String(length=200), nullable=True))
    with op.batch_alter_table('area', schema=None) as batch_op:
        batch_op.add_column(sa.Column('names', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('area', schema=None) as batch_op:
        batch_op.drop_column('names')
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('contact_email')
        batch_op.drop_column('contact_phone')
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.drop_column('phone')
