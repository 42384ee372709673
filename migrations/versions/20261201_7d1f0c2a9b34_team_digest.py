"""team_digest: the drift digest per team (PROTOCOL §3 guidance), filled from the envelopes

Revision ID: 7d1f0c2a9b34
Revises: e318f4833901
Create Date: 2026-12-01 23:05:00

"""
import hashlib

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d1f0c2a9b34'
down_revision = 'e318f4833901'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table('team_digest',
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('count', sa.BigInteger(), nullable=False),
    sa.Column('xor', sa.LargeBinary(length=32), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_team_digest_team_id_team')),
    sa.PrimaryKeyConstraint('team_id', name=op.f('pk_team_digest'))
    )
    # Once, here: from now on every write keeps the row current (outreach/sync/digest.py).
    folded = {}
    for team_id, env_id in op.get_bind().execute(sa.text("SELECT team_id, id FROM envelope")):
        count, acc = folded.get(team_id, (0, 0))
        folded[team_id] = (count + 1,
                           acc ^ int.from_bytes(hashlib.sha256(env_id.encode()).digest(), "big"))
    if folded:
        op.bulk_insert(table, [{"team_id": t, "count": c, "xor": x.to_bytes(32, "big")}
                               for t, (c, x) in folded.items()])


def downgrade():
    op.drop_table('team_digest')
