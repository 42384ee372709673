"""The schema comes from migrations: they reach the models' schema and go down and up again."""

from __future__ import annotations

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from outreach.extensions import db


def test_migrations_go_up_down_and_up_again(make_app):
    app = make_app()
    with app.app_context():
        downgrade(revision="base")
        tables = sa.inspect(db.engine).get_table_names()
        assert set(tables) <= {"alembic_version"}
        upgrade()
        assert "envelope" in sa.inspect(db.engine).get_table_names()


def test_migration_head_matches_the_models(app):
    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_format_2_migration_keeps_the_highest_position_ever_handed_out(world):
    """Rebuilding the envelope table (SQLite) must not lower its AUTOINCREMENT high-water mark:
    an erased newest envelope's position would go to the next insert, past a device's cursor."""
    from outreach.sync import order

    author = world.login("worker1")
    with world.app.app_context():
        downgrade(revision="c19a0d3e5f21")
        team_pk = db.session.execute(sa.text("SELECT id FROM team WHERE slug = 'east'")).scalar()
        for n in (1, 2, 3):  # positions handed out by the database, as a push does
            db.session.execute(sa.text(
                "INSERT INTO envelope (id, record_id, case_id, team_id, type, schema, "
                "parents, meta, body, content_hash, author_id, device_id, received_at) VALUES "
                "(:id, :id, :id, :team, 'note', 'note@1', '[]', '{}', :body, :hash, "
                ":author, :device, CURRENT_TIMESTAMP)"),
                {"id": f"00000000-0000-7000-8000-00000000000{n}", "team": team_pk,
                 "body": b"{}", "hash": bytes(32), "author": author.user_id,
                 "device": author.device_id})
        newest = db.session.execute(sa.text("SELECT max(seq) FROM envelope")).scalar_one()
        db.session.execute(sa.text("DELETE FROM envelope WHERE seq = :seq"),
                           {"seq": newest})  # erased on request
        db.session.commit()
        upgrade()
        assert order.last_issued() == newest
        if db.engine.dialect.name == "sqlite":
            ddl = db.session.execute(sa.text(
                "SELECT sql FROM sqlite_master WHERE name = 'envelope'")).scalar_one()
            assert "AUTOINCREMENT" in ddl
