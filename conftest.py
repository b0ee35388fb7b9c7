"""Test fixtures for tests/ and every plugin's plugins/<name>/tests/ (this file sits at the root so that
both find it): every test gets its own database, cloned from a template that was migrated with the real
Alembic migrations and loaded with the demo data once per session.

SQLite (default): the template is a file, cloned by copying. PostgreSQL (``DATABASE_URL`` set): the
template is a database, cloned with ``CREATE DATABASE … TEMPLATE``.
"""
from __future__ import annotations

import contextvars
import itertools
import os
import re
import shutil
import tempfile

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool
from sqlalchemy.engine import make_url
from flask.testing import FlaskClient

PG_URL = os.environ.get("DATABASE_URL", "")
USE_PG = PG_URL.startswith("postgresql")
_counter = itertools.count()


def _pg_admin_engine():
    url = make_url(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1)).set(database="postgres")
    return create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)  # survives a PostgreSQL restart


def _pg_url(dbname: str) -> str:
    url = make_url(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1)).set(database=dbname)
    return url.render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def session_dir():
    d = tempfile.mkdtemp(prefix="concord-tests-")
    yield d
    if not os.environ.get("CONCORD_KEEP_TEST_DIR"):      # set it to look at the databases after a failure
        shutil.rmtree(d, ignore_errors=True)


def _build_template(url: str, instance: str) -> None:
    from core.app import create_app
    from core.bootstrap import upgrade_and_sync
    from core.db import db
    from core.seed import seed_demo

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": instance, "SECRET_KEY": "test"})
    with app.app_context():
        upgrade_and_sync(app)
        seed_demo(app.extensions["concord"])
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


_pg_spent: list[str] = []


def _drop_pg_databases(admin) -> None:
    with admin.connect() as c:
        while _pg_spent:
            c.execute(text(f'DROP DATABASE IF EXISTS "{_pg_spent.pop()}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def db_template(session_dir):
    instance = os.path.join(session_dir, "instance")
    if USE_PG:
        name = f"concord_tmpl_{os.getpid()}"
        admin = _pg_admin_engine()
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            c.execute(text(f'CREATE DATABASE "{name}"'))
        _build_template(_pg_url(name), instance)
        yield ("pg", name, instance)
        _drop_pg_databases(admin)
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        path = os.path.join(session_dir, "template.db")
        _build_template("sqlite:///" + path, instance)
        yield ("sqlite", path, instance)


@pytest.fixture
def db_url(db_template, tmp_path):
    kind, source, _instance = db_template
    if kind == "sqlite":
        target = tmp_path / "concord.db"
        shutil.copyfile(source, target)
        yield "sqlite:///" + str(target)
    else:
        name = f"concord_t_{os.getpid()}_{next(_counter)}"
        admin = _pg_admin_engine()
        with admin.connect() as c:
            # FILE_COPY (PostgreSQL 15+) copies the small template's files at once; the default
            # WAL_LOG strategy writes them block by block through the WAL, 4x slower here
            strategy = " STRATEGY FILE_COPY" if c.dialect.server_version_info >= (15,) else ""
            c.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{source}"{strategy}'))
        yield _pg_url(name)
        # Dropped in batches: on PostgreSQL 15 a CREATE DATABASE right after a DROP DATABASE takes
        # ~0.5 s, one after another CREATE ~0.04 s (measured); the rest go at the session's end
        _pg_spent.append(name)
        if len(_pg_spent) >= 25:
            _drop_pg_databases(admin)
        admin.dispose()


@pytest.fixture
def make_app(db_url, db_template, tmp_path):
    """Build an app on this test's database; extra config and a plugin selection may be given."""
    from core.app import create_app
    from core.db import db

    built = []

    def factory(config: dict | None = None, plugins=None):
        instance = str(tmp_path / "instance")
        os.makedirs(instance, exist_ok=True)
        # reuse compiled catalogs from the template build
        src_i18n = os.path.join(db_template[2], "i18n")
        if os.path.isdir(src_i18n) and not os.path.isdir(os.path.join(instance, "i18n")):
            shutil.copytree(src_i18n, os.path.join(instance, "i18n"))
        cfg = {"SQLALCHEMY_DATABASE_URI": db_url, "INSTANCE_PATH": instance, "SECRET_KEY": "test",
               "TESTING": True}
        cfg.update(config or {})
        app = create_app(cfg, plugins)
        built.append(app)
        return app

    yield factory
    for app in built:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


class IsolatedClient(FlaskClient):
    """Each request runs in a fresh context, as in production: its own app context, ``g`` and DB
    session, even though the test itself holds an app context for its own queries."""

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


@pytest.fixture
def app(make_app):
    app = make_app()
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app


@pytest.fixture
def csrf_app(make_app):
    """An app with CSRF enforced, as in production."""
    app = make_app({"WTF_CSRF_ENABLED": True})
    app.test_client_class = IsolatedClient
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    app.config["WTF_CSRF_ENABLED"] = False
    return app.test_client()


DEMO_PASSWORD = "concord-demo"


def login(client, username, password=DEMO_PASSWORD):
    return client.post("/login", data={"username": username, "password": password}, follow_redirects=False)


@pytest.fixture
def login_as(client):
    def _login(username, password=DEMO_PASSWORD):
        resp = login(client, username, password)
        assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
        return client
    return _login


CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')


def csrf_token_from(html: str) -> str:
    m = CSRF_RE.search(html)
    assert m, "no CSRF token in page"
    return m.group(1) or m.group(2)


@pytest.fixture
def api_token(client):
    def _token(username, password=DEMO_PASSWORD):
        resp = client.post("/api/v1/auth/token", json={"username": username, "password": password})
        assert resp.status_code == 200, resp.get_json()
        return resp.get_json()["token"]
    return _token


# The browser fixtures, declared once here: importing them into each browser test module would give every
# module its own session-scoped live server — several servers on one database, unaware of each other.
import sys  # noqa: E402
_TESTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tests")
# the shared test helpers (tests/*_support.py, tests/browser/browser_support.py) importable from every
# test folder: tests/ and each plugin's plugins/<name>/tests/
sys.path[:0] = [_TESTS, os.path.join(_TESTS, "browser")]
from browser_support import chromium, live_server, open_tab  # noqa: E402,F401
