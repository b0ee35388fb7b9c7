"""Benchmarks: ``./run.sh bench`` (``python -m bench``) runs every ``bench/bench_<name>.py``.

A benchmark module exposes ``run() -> list[dict]``; each dict is one figure:

    {"name": "shell.home", "value": 412.0, "unit": "req/s",
     "baseline": 1650.0,        # optional: the same work done the simplest way
     "ratio": 0.25,             # optional: value / baseline (computed when both are numbers)
     "target": ">= 100",        # optional: "<= X", "< X", ">= X", "> X" is checked; other text is shown
     "note": "..."}             # optional: one short line

Timings live here, never in tests. The helpers below give a benchmark a migrated, demo-seeded
SQLite database of its own (``demo_app()``), a test client that isolates requests as production does
(``client(app)``, ``login(c, "admin")``) and a simple repeat-and-time loop (``measure()``).
"""
from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass

DEMO_PASSWORD = "concord-demo"
_TEMPLATE: dict[str, str] = {}


@dataclass
class Timing:
    times: list[float]  # seconds per call

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def mean(self) -> float:
        return statistics.fmean(self.times)

    @property
    def p95(self) -> float:
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]

    @property
    def per_second(self) -> float:
        return 1.0 / self.mean if self.mean > 0 else float("inf")

    @property
    def runs(self) -> int:
        return len(self.times)


def measure(fn, *, seconds: float = 1.0, min_runs: int = 5, max_runs: int = 100_000, warmup: int = 2) -> Timing:
    """Call ``fn()`` repeatedly for about *seconds* (at least *min_runs* times) and time each call."""
    for _ in range(warmup):
        fn()
    times: list[float] = []
    start = time.perf_counter()
    while len(times) < max_runs and (len(times) < min_runs or time.perf_counter() - start < seconds):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return Timing(times)


def row(name: str, value, unit: str, baseline=None, target=None, note: str = "") -> dict:
    out = {"name": name, "value": value, "unit": unit}
    if baseline is not None:
        out["baseline"] = baseline
        if isinstance(value, (int, float)) and isinstance(baseline, (int, float)) and baseline:
            out["ratio"] = value / baseline
    if target is not None:
        out["target"] = target
    if note:
        out["note"] = note
    return out


def _template_db() -> str:
    """A migrated, demo-seeded SQLite file, built once per ``python -m bench`` run."""
    if "path" not in _TEMPLATE:
        from core.app import create_app
        from core.bootstrap import upgrade_and_sync
        from core.db import db
        from core.seed import seed_demo

        root = tempfile.mkdtemp(prefix="concord-bench-template-")
        path = os.path.join(root, "template.db")
        app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite:///" + path,
                          "INSTANCE_PATH": os.path.join(root, "instance"), "SECRET_KEY": "bench"})
        with app.app_context():
            upgrade_and_sync(app)
            seed_demo(app.extensions["concord"])
            db.session.commit()
            db.session.remove()
            db.engine.dispose()
        _TEMPLATE.update(path=path, root=root)
    return _TEMPLATE["path"]


@contextmanager
def demo_app(config: dict | None = None, plugins=None):
    """An app on its own copy of the demo database (CSRF off, so a test client can post forms).
    Yields the app inside an app context; everything is removed afterwards."""
    from core.app import create_app
    from core.db import db

    work = tempfile.mkdtemp(prefix="concord-bench-")
    path = os.path.join(work, "concord.db")
    shutil.copyfile(_template_db(), path)
    cfg = {"SQLALCHEMY_DATABASE_URI": "sqlite:///" + path, "INSTANCE_PATH": os.path.join(work, "instance"),
           "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False, "DEMO": True}
    cfg.update(config or {})
    app = create_app(cfg, plugins)
    try:
        with app.app_context():
            yield app
            db.session.remove()
            db.engine.dispose()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def client(app):
    """A test client whose every request runs in a fresh context (own app context, ``g`` and DB
    session), as in production, even while the benchmark holds an app context itself."""
    import contextvars

    from flask.testing import FlaskClient

    class IsolatedClient(FlaskClient):
        def open(self, *args, **kwargs):
            return contextvars.Context().run(super().open, *args, **kwargs)

    app.test_client_class = IsolatedClient
    return app.test_client()


def login(client, username: str, password: str = DEMO_PASSWORD) -> None:
    resp = client.post("/login", data={"username": username, "password": password})
    if resp.status_code != 302:
        raise RuntimeError(f"could not sign in as {username}: HTTP {resp.status_code}")


def cleanup() -> None:
    root = _TEMPLATE.pop("root", None)
    _TEMPLATE.clear()
    if root:
        shutil.rmtree(root, ignore_errors=True)


@contextmanager
def database_app(prefix: str, seed: bool = True, engine_options: dict | None = None):
    """``(app, dialect)`` on a scratch database: the demo SQLite copy by default, or, when
    ``DATABASE_URL`` names PostgreSQL, a new database created for the run (migrated, optionally seeded
    with the demo data) and dropped afterwards."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgresql"):
        with demo_app() as app:
            yield app, "sqlite"
        return
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from core.app import create_app
    from core.bootstrap import upgrade_and_sync
    from core.db import db
    from core.seed import seed_demo

    url = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    name = f"concord_bench_{prefix}_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        cfg = {"SQLALCHEMY_DATABASE_URI": url.set(database=name).render_as_string(hide_password=False),
               "INSTANCE_PATH": tempfile.mkdtemp(prefix="concord-bench-"), "SECRET_KEY": "bench",
               "WTF_CSRF_ENABLED": False, "DEMO": True}
        if engine_options:
            cfg["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options
        app = create_app(cfg)
        with app.app_context():
            upgrade_and_sync(app)
            if seed:
                seed_demo(app.extensions["concord"])
            db.session.commit()
            yield app, "postgresql"
            db.session.remove()
            db.engine.dispose()
    finally:
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
