"""API base and scheduler costs (SQLite, demo data).

- ``GET /api/v1/regions?per_page=20`` through the declared-operation layer (token check, query model,
  scope, count + page, response model) against the same page read and serialised by hand (baseline);
- a 422 for a malformed query (validation and translated messages);
- building the OpenAPI document (first call) and serving it cached;
- one scheduled run's bookkeeping (lease, run record, outcome, release) around an empty job, against
  one plain committed insert (baseline).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from bench import client, demo_app, measure, row
from core import clock


def run() -> list[dict]:
    import time

    from flask import json
    from sqlalchemy import select

    from core.api.openapi import build
    from core.db import db
    from core.regions.models import Region
    from core.scheduler import JobSpec
    from core.scheduler.models import JobLease
    from core.scheduler.runner import execute

    rows = []
    with demo_app() as app:
        c = client(app)
        token = c.post("/api/v1/auth/token", json={"username": "officer", "password": "concord-demo"}).get_json()["token"]
        h = {"Authorization": f"Bearer {token}"}
        api = measure(lambda: c.get("/api/v1/regions?per_page=20", headers=h).close(), seconds=1.5)

        def by_hand():
            regions = db.session.scalars(select(Region).order_by(Region.code).limit(20)).all()
            json.dumps([{"id": r.id, "code": r.code, "name": r.name, "level": r.level} for r in regions])
            db.session.rollback()

        hand = measure(by_hand, seconds=1.0)
        rows.append(row("GET /api/v1/regions?per_page=20", api.per_second, "req/s", baseline=hand.per_second,
                        note="baseline: the same 20 rows queried and dumped in-process, no HTTP"))
        bad = measure(lambda: c.get("/api/v1/regions?per_page=0&page=x", headers=h).close(), seconds=1.0)
        rows.append(row("422 for a malformed query, p95", bad.p95 * 1000, "ms", target="<= 50"))

        with app.test_request_context("/api/v1/openapi.json"):
            t0 = time.perf_counter()
            build(app)
            first = time.perf_counter() - t0
        rows.append(row("OpenAPI document build", first * 1000, "ms", target="<= 500"))
        cached = measure(lambda: c.get("/api/v1/openapi.json").close(), seconds=1.0)
        rows.append(row("GET /api/v1/openapi.json (cached), p95", cached.p95 * 1000, "ms", target="<= 50"))

        spec = JobSpec("core.bench", lambda: None, {"interval": {"seconds": 1}})
        fire = [datetime(2030, 1, 1)]

        def one_run():
            fire[0] += timedelta(seconds=1)
            execute(app, spec, fire[0], "bench")

        sched = measure(one_run, seconds=1.5)
        counter = iter(range(10**9))

        def plain_insert():
            db.session.add(JobLease(job_id=f"bench.{next(counter)}", holder="x", expires_at=clock.now()))
            db.session.commit()

        plain = measure(plain_insert, seconds=1.0)
        rows.append(row("scheduled run bookkeeping (empty job)", sched.median * 1000, "ms",
                        baseline=plain.median * 1000, target="<= 50",
                        note="baseline: one committed insert; a run is 4 short transactions"))
    return rows
