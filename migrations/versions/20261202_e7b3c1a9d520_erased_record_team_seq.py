"""erased_record: index on (team_id, erased_seq), the pull's erasures after a cursor (issue 18)

Revision ID: e7b3c1a9d520
Revises: d2a7c5e91b08
Create Date: 2026-12-02 08:00:00

"""
from alembic import op

revision = 'e7b3c1a9d520'
down_revision = 'd2a7c5e91b08'
branch_labels = None
depends_on = None


def upgrade():
    # Every sync reads its teams' erasures at or after its cursor; without an index that is a
    # full pass over every erasure ever made. The table holds ids only and stays small beside
    # the envelopes, so a plain (locking) CREATE INDEX is brief.
    op.create_index('ix_erased_record_team_seq', 'erased_record', ['team_id', 'erased_seq'])


def downgrade():
    op.drop_index('ix_erased_record_team_seq', table_name='erased_record')
