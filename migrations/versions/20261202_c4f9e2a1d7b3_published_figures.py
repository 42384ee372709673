"""published_figures: team figures a supervisor's phone published (issue 13, part 3)

Revision ID: c4f9e2a1d7b3
Revises: b7d41e0c9a16
Create Date: 2026-12-02 01:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = 'c4f9e2a1d7b3'
down_revision = 'b7d41e0c9a16'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('published_figures',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('period_start', sa.String(length=7), nullable=False),
    sa.Column('period_end', sa.String(length=7), nullable=False),
    sa.Column('k', sa.Integer(), nullable=False),
    sa.Column('record', sa.Text(), nullable=False),
    sa.Column('author_id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=36), nullable=False),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'],
                            name=op.f('fk_published_figures_author_id_user')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                            name=op.f('fk_published_figures_organisation_id_organisation')),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'],
                            name=op.f('fk_published_figures_team_id_team')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_published_figures'))
    )
    with op.batch_alter_table('published_figures') as batch:
        batch.create_index(batch.f('ix_published_figures_organisation_id'), ['organisation_id'])
        batch.create_index(batch.f('ix_published_figures_team_id'), ['team_id'])


def downgrade():
    op.drop_table('published_figures')
