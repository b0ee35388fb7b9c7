"""The migrations create exactly what the models describe (on SQLite and on PostgreSQL)."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from core.db import db


def test_migrated_schema_matches_the_models(app):
    with db.engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(ctx, db.metadata)
    assert diff == [], "run `concord db revision --branch NAME -m ...` for: %r" % (diff,)


def test_every_table_is_owned_by_a_registered_branch(app):
    host = app.extensions["concord"]
    owned = {c.key for c in host.items("table")}
    assert set(db.metadata.tables) - owned == set()
    branches = {c.branch for c in host.items("migrations")}
    assert {c.branch for c in host.items("table")} <= branches
