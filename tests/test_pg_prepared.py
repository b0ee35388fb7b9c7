"""Issue 22: on PostgreSQL (psycopg), a request that only read ends its transaction with COMMIT, so the
statements psycopg prepared survive to the next request; any transaction that wrote still ends by ROLLBACK and
keeps nothing of what it did."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from conftest import login


def _prepared(app) -> set[str]:
    from core.db import db
    with app.app_context():
        return set(db.session.execute(text("SELECT statement FROM pg_prepared_statements")).scalars())


def _postgres(app) -> bool:
    from core.db import db
    with app.app_context():
        return db.engine.dialect.driver == "psycopg"


def _prepared_after_pages(make_app, user: str, path: str):
    """(app, the statements prepared) after *user* opened *path* 8 times on PostgreSQL; skips elsewhere."""
    from conftest import IsolatedClient
    # serial requests take the connection last given back (the pool is LIFO): every request, and the look at
    # what it prepared, use the same one
    app = make_app({"WTF_CSRF_ENABLED": False})
    if not _postgres(app):
        pytest.skip("psycopg prepares statements on PostgreSQL only")
    app.test_client_class = IsolatedClient
    client = app.test_client()
    login(client, user)
    for _ in range(8):                      # psycopg prepares a statement on its fifth run on a connection
        assert client.get(path).status_code == 200
    return app, _prepared(app)


def test_read_only_requests_keep_psycopgs_prepared_statements(make_app):
    _app, kept = _prepared_after_pages(make_app, "officer", "/petition/")
    assert any("FROM petition_case" in s for s in kept), kept
    assert any("FROM core_user" in s for s in kept), kept


def test_a_transaction_that_wrote_is_still_rolled_back(app):
    """A write left uncommitted is discarded when the session closes (on every database), and a read-only
    transaction ended early by COMMIT leaves the session usable."""
    from core.db import db
    from core.settings.models import Setting
    with app.app_context():
        db.session.add(Setting(key="test.uncommitted", value="1"))
        db.session.flush()
        db.session.remove()                 # the request's end: ROLLBACK
        assert db.session.scalar(select(func.count()).select_from(Setting)
                                 .where(Setting.key == "test.uncommitted")) == 0
        db.session.execute(text("SELECT 1"))
        db.session.remove()                 # a reading transaction ends (by COMMIT on psycopg)
        assert db.session.execute(text("SELECT 2")).scalar() == 2
        db.session.execute(text("SELECT 1"))
        db.session.execute(Setting.__table__.insert().values(key="test.core_write", value="1"))
        db.session.remove()                 # a Core write: not a SELECT, so rolled back
        assert db.session.scalar(select(func.count()).select_from(Setting)
                                 .where(Setting.key == "test.core_write")) == 0


def test_a_reading_transaction_on_a_lost_connection_fails_as_before(app):
    """The server ends the connection mid-transaction (a restart): closing the session raises SQLAlchemy's
    DBAPIError (which the request's teardown turns into a dropped connection), never psycopg's own error from the
    early COMMIT (which escaped as a 500)."""
    import sqlalchemy.exc

    from core.db import db
    if not _postgres(app):
        pytest.skip("the early COMMIT is psycopg's")
    with app.app_context():
        pid = db.session.execute(text("SELECT pg_backend_pid()")).scalar()
        with db.engine.connect() as other:
            other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        with pytest.raises(sqlalchemy.exc.DBAPIError):
            db.session.remove()
        db.session.registry.clear()


def test_a_with_statement_reads_unless_a_part_of_it_writes(make_app):
    """The audit log's filter choices are a ``WITH RECURSIVE … SELECT``: a page that runs it keeps the prepared
    statements like any reading page; a WITH whose CTE deletes is a write and is rolled back."""
    from core.pg_prepared import reads_only
    assert reads_only("WITH RECURSIVE t(rt) AS (SELECT 1) SELECT rt FROM t")
    assert reads_only("  select updated_at from core_user")
    assert not reads_only("WITH d AS (DELETE FROM core_setting RETURNING key) SELECT key FROM d")
    assert not reads_only("UPDATE core_user SET active = true")
    app, kept = _prepared_after_pages(make_app, "auditor", "/admin/audit/")
    assert any("FROM core_audit_log" in s and "LIMIT" in s for s in kept), kept
    from core.db import db
    from core.settings.models import Setting
    with app.app_context():
        db.session.add(Setting(key="test.with_delete", value="1"))
        db.session.commit()
        db.session.execute(text("WITH d AS (DELETE FROM core_setting WHERE key = 'test.with_delete' "
                                "RETURNING key) SELECT key FROM d")).all()
        db.session.remove()                 # a write: rolled back, the setting is still there
        assert db.session.scalar(select(func.count()).select_from(Setting)
                                 .where(Setting.key == "test.with_delete")) == 1
