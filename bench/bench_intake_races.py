"""Intake under races (issue 17): the production server (gunicorn, 2 workers × 4 threads) and 8 concurrent
clients registering petitions, every intake sent twice at the same moment (a double click on the web
form with its one-time token, or an API retry with the same ``Idempotency-Key``), half through each.
Reports requests/s, p50/p95 per request, answers that were not a success, and the share of duplicate
records (records created beyond the distinct intakes; target 0). ``RACE_INTAKES`` (default 200) distinct
intakes, ``RACE_CLIENTS`` (default 8). SQLite by default; DATABASE_URL=postgresql… for PostgreSQL."""
from __future__ import annotations

import os
import re
import statistics
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from bench import database_app, row

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests"))
PASSWORD = "concord-demo"
MARK = "竞态基准"
POOL = "山水田林路桥村镇街巷河塘渠坝房屋院墙地界林木果园鱼塘牲畜庄稼工资合同租金债务邻里婚姻赡养抚养继承宅基承包征收补偿噪音污水垃圾停车物业医疗交通保险"


def _text(i: int) -> str:
    """A request unlike every other one (the intake's similar-request check must not join them)."""
    import random
    rnd = random.Random(i)
    return MARK + "".join(rnd.choice(POOL) for _k in range(24)) + str(i)


def _web(base: str):
    import requests
    s = requests.Session()
    page = s.get(base + "/login", timeout=30).text
    csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    r = s.post(base + "/login", data={"csrf_token": csrf, "username": "officer", "password": PASSWORD},
               allow_redirects=False, timeout=30)
    if r.status_code != 302:
        raise RuntimeError(f"sign-in failed: {r.status_code}")
    page = s.get(base + "/petition/new", timeout=30).text
    s.csrf = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    return s


def _tokens(session, base: str, n: int) -> list[str]:
    out = []
    for _i in range(n):
        page = session.get(base + "/petition/new", timeout=30).text
        out.append(re.search(r'name="_once" value="([^"]+)"', page).group(1))
    return out


def _drive(base: str, region_id: int, intakes: int, clients: int) -> dict:
    import requests
    local = threading.local()
    api_token = requests.post(base + "/api/v1/auth/token", json={"username": "officer", "password": PASSWORD},
                              timeout=30).json()["token"]
    setup = _web(base)
    web_tokens = _tokens(setup, base, intakes // 2)
    tasks = []
    for i in range(intakes):
        key = web_tokens[i // 2] if i % 2 == 0 else str(uuid.uuid4())
        tasks += [(i, key), (i, key)]                       # each intake twice, back to back: they overlap

    def session():
        if not hasattr(local, "web"):
            local.web = _web(base)
            local.api = requests.Session()
            local.api.headers["Authorization"] = "Bearer " + api_token
        return local

    def one(task):
        i, key = task
        s = session()
        t0 = time.perf_counter()
        if i % 2 == 0:
            r = s.web.post(base + "/petition/new", allow_redirects=False, timeout=60, data={
                "csrf_token": s.web.csrf, "_once": key, "channel": "visit", "received_at": "2026-06-01T09:30",
                "region_id": str(region_id), "name": f"竞态人{i}", "phone": f"139{i:08d}",
                "request": _text(i), "group_size": "1"})
            ok = r.status_code in (302, 303)
        else:
            r = s.api.post(base + "/api/v1/petitions", timeout=60, headers={"Idempotency-Key": key}, json={
                "channel": "letter", "received_at": "2026-06-01T09:00:00", "request": _text(i),
                "facts": "基准", "petitioner": {"name": f"竞态人{i}", "phone": f"139{i:08d}"}})
            ok = r.status_code == 201
        return time.perf_counter() - t0, ok, r.status_code

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(lambda _i: session(), range(clients * 2)))   # sign every worker thread in first
        t0 = time.perf_counter()
        results = list(pool.map(one, tasks))
        wall = time.perf_counter() - t0
    times = sorted(t for t, _ok, _s in results)
    return {"rps": len(results) / wall, "p50": statistics.median(times), "p95": times[int(len(times) * 0.95) - 1],
            "failed": [s for _t, ok, s in results if not ok], "requests": len(results)}


def run() -> list[dict]:
    from sqlalchemy import create_engine, select, text

    from core.db import db
    from core.regions.models import Region
    from server_support import gunicorn

    intakes = int(os.environ.get("RACE_INTAKES", "200"))
    clients = int(os.environ.get("RACE_CLIENTS", "8"))
    with database_app("races") as (app, dialect):
        region_id = db.session.scalar(select(Region.id).where(Region.code == "430611000000"))
        url = app.config["SQLALCHEMY_DATABASE_URI"]
        db.session.remove()
        db.engine.dispose()
        with gunicorn(url, app.instance_path, workers=2, threads=4) as (base, _proc):
            r = _drive(base, region_id, intakes, clients)
        engine = create_engine(url)
        with engine.connect() as c:
            created = c.execute(text("SELECT count(*) FROM petition_case WHERE request LIKE :m"),
                                {"m": f"{MARK}%"}).scalar()
        engine.dispose()
    share = (created - intakes) / intakes
    tag = f"intake_races.{dialect}"
    note = f"{intakes} intakes × 2 at once ({r['requests']} requests), {clients} clients, gunicorn 2×4"
    return [
        row(f"{tag}.throughput", round(r["rps"], 1), "req/s", note=note),
        row(f"{tag}.p50", round(r["p50"] * 1000, 1), "ms"),
        row(f"{tag}.p95", round(r["p95"] * 1000, 1), "ms"),
        row(f"{tag}.failed_answers", len(r["failed"]), "count", target="<= 0",
            note=", ".join(str(s) for s in sorted(set(r["failed"])))),
        row(f"{tag}.duplicate_share", round(share, 4), "share", target="<= 0",
            note=f"{created} records for {intakes} distinct intakes"),
    ]
