"""envelope format 2: no clear case id

Revision ID: b7c1d2e3f4a5
Revises: c19a0d3e5f21
Create Date: 2026-12-01 22:10:00

Existing rows are format 1 (server default 1); phones re-seal them in format 2 and the server
replaces them (docs/protocol.md, "Envelope format 2").
"""
import sqlalchemy as sa
from alembic import op

revision = 'b7c1d2e3f4a5'
down_revision = 'c19a0d3e5f21'
branch_labels = None
depends_on = None


def _alter(body) -> None:
    # SQLite rebuilds the table to change a column's nullability. The rebuilt table must stay
    # AUTOINCREMENT and keep the highest position ever handed out, erased rows included, or a
    # new envelope could take a position a device's cursor already passed (issue 9).
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    highest = None
    if sqlite:
        highest = bind.execute(sa.text(
            "SELECT seq FROM sqlite_sequence WHERE name = 'envelope'")).scalar()
    with op.batch_alter_table('envelope', recreate="auto",
                              table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        body(batch_op)
    if sqlite and highest is not None:
        bind.execute(sa.text("UPDATE sqlite_sequence SET seq = MAX(seq, :highest) "
                             "WHERE name = 'envelope'"), {"highest": highest})
        if not bind.execute(sa.text(
                "SELECT 1 FROM sqlite_sequence WHERE name = 'envelope'")).scalar():
            bind.execute(sa.text("INSERT INTO sqlite_sequence (name, seq) "
                                 "VALUES ('envelope', :highest)"), {"highest": highest})


def upgrade():
    def body(batch_op):
        batch_op.add_column(sa.Column('format', sa.SmallInteger(), server_default='1',
                                      nullable=False))
        batch_op.add_column(sa.Column('resealed', sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.alter_column('case_id', existing_type=sa.String(length=36), nullable=True)
    _alter(body)


def downgrade():
    # Format 2 rows have no clear case id to put back: going down is only for an empty table.
    def body(batch_op):
        batch_op.alter_column('case_id', existing_type=sa.String(length=36), nullable=False)
        batch_op.drop_column('resealed')
        batch_op.drop_column('format')
    _alter(body)
