"""envelope seq never reused (SQLite AUTOINCREMENT); sync_state with the database generation;
paper serials entered once per team; paper_counter for atomic serial issuing; rate limit
counters shared by every worker

Revision ID: 5e9a1c7d2b40
Revises: 7d1f0c2a9b34
Create Date: 2026-12-01 22:30:00

"""
import os
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "5e9a1c7d2b40"
down_revision = "7d1f0c2a9b34"
branch_labels = None
depends_on = None


# The prefixes of outreach.paper.service.PREFIXES when this revision was written.
PREFIXES = ("HH", "PER", "VIS", "ASM", "NOTE", "PLN", "REF", "CON")


def upgrade():
    # SQLite reuses the rowid of a deleted newest row unless the table is AUTOINCREMENT, which
    # only CREATE TABLE can say: rebuild the table (rows keep their seq; sqlite_sequence starts
    # at the highest). PostgreSQL's sequence never goes back: only the constraint changes.
    with op.batch_alter_table("envelope", recreate="auto",
                              table_kwargs={"sqlite_autoincrement": True}) as batch_op:
        batch_op.drop_constraint("uq_envelope_paper_serial", type_="unique")
        batch_op.create_unique_constraint(
            "uq_envelope_team_id_paper_serial", ["team_id", "paper_serial"])
    state = op.create_table(
        "sync_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("generation", sa.LargeBinary(length=8), nullable=False),
        sa.Column("renewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_state")),
    )
    op.bulk_insert(state, [{"id": 1, "generation": os.urandom(8),
                            "renewed_at": datetime.now(UTC)}])
    counter = op.create_table(
        "paper_counter",
        sa.Column("prefix", sa.String(length=8), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("prefix", name=op.f("pk_paper_counter")),
    )
    highest = dict.fromkeys(PREFIXES, 0)
    for (serial,) in op.get_bind().execute(sa.text("SELECT serial FROM paper_serial")):
        prefix, number, _check = serial.split("-")
        highest[prefix] = max(highest.get(prefix, 0), int(number))
    op.bulk_insert(counter, [{"prefix": p, "last_number": n} for p, n in highest.items()])
    op.create_table(
        "rate_limit_counter",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("expires_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_rate_limit_counter")),
    )


def downgrade():
    op.drop_table("rate_limit_counter")
    op.drop_table("paper_counter")
    op.drop_table("sync_state")
    with op.batch_alter_table("envelope", recreate="auto",
                              table_kwargs={"sqlite_autoincrement": False}) as batch_op:
        batch_op.drop_constraint("uq_envelope_team_id_paper_serial", type_="unique")
        batch_op.create_unique_constraint("uq_envelope_paper_serial", ["paper_serial"])
