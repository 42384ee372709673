"""team_presence: the presence phase's schedule per team (issue 15)

Revision ID: d2a7c5e91b08
Revises: d19e7a2b4c60
Create Date: 2026-12-02 04:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'd2a7c5e91b08'
down_revision = 'd19e7a2b4c60'
branch_labels = None
depends_on = None


def upgrade():
    # Nullable, no server default: an existing team keeps the default schedule (10 weeks, 24
    # months) until a supervisor sets its own; the default lives in one place, the code.
    op.add_column('team', sa.Column('presence_interval_weeks', sa.Integer(), nullable=True))
    op.add_column('team', sa.Column('presence_months', sa.Integer(), nullable=True))


def downgrade():
    # A plain DROP COLUMN (SQLite >= 3.35): a batch rebuild of `team` would drop a table that
    # areas, memberships and envelopes point to, which SQLite's foreign keys refuse with rows.
    op.drop_column('team', 'presence_months')
    op.drop_column('team', 'presence_interval_weeks')
