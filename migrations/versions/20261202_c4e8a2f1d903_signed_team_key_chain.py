"""team key statements and signatures: versions form a chain phones verify (issue 9)

Existing versions get an unsigned statement, frozen now: the supervisors of the team today may
sign the next version, and phones trust such a version only on first sight.

Revision ID: c4e8a2f1d903
Revises: c4f9e2a1d7b3
Create Date: 2026-12-02 01:40:00

"""
import base64
import hashlib
import json

from alembic import op
import sqlalchemy as sa


revision = 'c4e8a2f1d903'
down_revision = 'c4f9e2a1d7b3'
branch_labels = None
depends_on = None


def _jcs(value):
    # Only ASCII strings, integers, null, lists and objects: JCS is sorted compact JSON here.
    return json.dumps(value, sort_keys=True, separators=(",", ":")).encode()


def _hash(statement):
    return base64.urlsafe_b64encode(hashlib.sha256(_jcs(statement)).digest()).rstrip(b"=").decode()


def upgrade():
    with op.batch_alter_table('team_key', schema=None) as batch_op:
        batch_op.add_column(sa.Column('statement', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('signature', sa.String(length=100), nullable=True))
    with op.batch_alter_table('key_grant', schema=None) as batch_op:
        batch_op.add_column(sa.Column('signature', sa.String(length=100), nullable=True))

    bind = op.get_bind()
    rows = bind.execute(sa.text(
        "SELECT tk.id, tk.team_id, tk.version, tk.public_key, t.slug, rk.version, rk.public_key"
        " FROM team_key tk JOIN team t ON t.id = tk.team_id"
        " LEFT JOIN recovery_grant rg ON rg.team_key_id = tk.id"
        " LEFT JOIN recovery_key rk ON rk.id = rg.recovery_key_id"
        " ORDER BY tk.team_id, tk.version")).all()
    previous = {}
    for key_id, team_pk, version, public_key, slug, rk_version, rk_public in rows:
        supervisors = sorted(set(bind.execute(sa.text(
            "SELECT u.public_key FROM membership m JOIN \"user\" u ON u.id = m.user_id"
            " WHERE m.team_id = :team AND u.role = 'supervisor' AND u.revoked_at IS NULL"
            " AND u.public_key IS NOT NULL"), {"team": team_pk}).scalars()))
        statement = {
            "type": "outreach/v1 team-key", "team_id": slug, "version": version,
            "public_key": public_key, "previous": previous.get(team_pk),
            "recovery": {"kid": f"recovery:{rk_version}" if rk_version else None,
                         "public_key": rk_public},
            "supervisors": supervisors, "signer": None,
        }
        bind.execute(sa.text("UPDATE team_key SET statement = :s WHERE id = :id"),
                     {"s": _jcs(statement).decode(), "id": key_id})
        previous[team_pk] = _hash(statement)


def downgrade():
    # SQLite (>= 3.35) drops a column in place: a batch "move and copy" of team_key would
    # DROP the table that key_grant and recovery_grant reference, which foreign keys refuse
    # once there are rows.
    for table, column in (('key_grant', 'signature'), ('team_key', 'signature'),
                          ('team_key', 'statement')):
        with op.batch_alter_table(table, schema=None, recreate='never') as batch_op:
            batch_op.drop_column(column)
