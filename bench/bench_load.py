"""Load: the production server (gunicorn, 2 workers, deploy/gunicorn.conf.py) driven over loopback by
concurrent clients of mixed roles on the main pages and API, at two volumes of petitions
(LOAD_SMALL, default 10,000; LOAD_LARGE, default 1,000,000). Reports requests/s, p50/p95/p99 and errors,
the ratio of the petition list's p50 to a bare Flask + SQLAlchemy page over the same rows, each driven
alone by the same clients (target ≤ 2),
and p50 at the large volume against the small one (target ≤ 1.5). Bounded: LOAD_REQUESTS per volume
(default 1,200) with LOAD_CLIENTS threads (default 8). SQLite by default; DATABASE_URL=postgresql… for PG."""
from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

from bench import database_app, row

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "tests"))

PASSWORD = "concord-demo"


def _session(base: str, username: str):
    import requests
    s = requests.Session()
    page = s.get(base + "/login", timeout=30).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    r = s.post(base + "/login", data={"csrf_token": token, "username": username, "password": PASSWORD},
               allow_redirects=False, timeout=30)
    if r.status_code != 302:
        raise RuntimeError(f"sign-in as {username} failed: {r.status_code}")
    api = requests.Session()
    tok = api.post(base + "/api/v1/auth/token", json={"username": username, "password": PASSWORD}, timeout=30)
    api.headers["Authorization"] = "Bearer " + tok.json()["token"]
    return s, api


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def _drive(base: str, case_ids: list[int], requests_total: int, clients: int) -> dict:
    roles = {name: _session(base, name) for name in ("officer", "mediator", "leader", "grid1")}
    mix = [  # (role, web|api, path) — what the offices do most
        ("officer", "web", "/petition/"), ("officer", "web", "/petition/?page=3"),
        ("officer", "web", "/petition/{case}"), ("officer", "api", "/api/v1/petitions?per_page=25"),
        ("officer", "api", "/api/v1/petitions/{case}"), ("officer", "web", "/"),
        ("mediator", "web", "/mediation/"), ("leader", "web", "/petition/backlog/"),
        ("grid1", "web", "/mediation/"), ("grid1", "api", "/api/v1/disputes?per_page=25"),
    ]
    latencies: dict[str, list[float]] = {}
    errors: list[str] = []

    def one(i: int):
        role, kind, path = mix[i % len(mix)]
        path = path.format(case=case_ids[i % len(case_ids)])
        session = roles[role][0 if kind == "web" else 1]
        t0 = time.perf_counter()
        r = session.get(base + path, timeout=60, allow_redirects=False)
        elapsed = time.perf_counter() - t0
        if r.status_code != 200:
            errors.append(f"{r.status_code} {path}")
        latencies.setdefault(path.split("?")[0].rstrip("0123456789") + ("?" + path.split("?")[1] if "?" in path
                                                                          else ""), []).append(elapsed)
        return elapsed

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        times = list(pool.map(one, range(requests_total)))
    wall = time.perf_counter() - started
    return {"rps": requests_total / wall, "p50": _percentile(times, .5), "p95": _percentile(times, .95),
            "p99": _percentile(times, .99), "errors": errors, "by_path": latencies}


def _p50_alone(get, requests_total: int, clients: int) -> float:
    """p50 of the petition list's pages 1 and 3 driven alone (like for like with the bare page)."""
    def one(i):
        t0 = time.perf_counter()
        get(f"page={1 + (i % 2) * 2}")
        return time.perf_counter() - t0

    with ThreadPoolExecutor(clients) as pool:
        return statistics.median(pool.map(one, range(requests_total // 4)))


def _list_p50(base: str, requests_total: int, clients: int) -> float:
    web, _api = _session(base, "officer")

    def get(query):
        r = web.get(f"{base}/petition/?{query}", timeout=60, allow_redirects=False)
        if r.status_code != 200:
            raise RuntimeError(f"/petition/?{query}: {r.status_code}")
    return _p50_alone(get, requests_total, clients)


def _bare_p50(url: str, requests_total: int, clients: int) -> float:
    import requests
    from server_support import free_port
    port = free_port()
    env = dict(os.environ, BARE_DATABASE_URL=url, CONCORD_BIND=f"127.0.0.1:{port}", CONCORD_WORKERS="2",
               CONCORD_ACCESS_LOG="/dev/null")
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    proc = subprocess.Popen([gunicorn, "-c", "deploy/gunicorn.conf.py", "bench.bare_app:app"],
                            cwd=os.path.dirname(HERE), env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(200):
            try:
                requests.get(base + "/healthz", timeout=1)
                break
            except requests.ConnectionError:
                time.sleep(0.1)
        s = requests.Session()
        return _p50_alone(lambda q: s.get(f"{base}/petitions?{q}", timeout=60).raise_for_status(),
                          requests_total, clients)
    finally:
        import signal
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)


def _volume(n: int, requests_total: int, clients: int) -> dict:
    from sqlalchemy import func, select

    from core.db import db
    from core.scale import seed_scale
    from plugins.petition.models import PetitionCase
    from server_support import gunicorn
    with database_app(f"load{n}") as (app, dialect):
        seed_scale(app.extensions["concord"], petitions=n, disputes=0)
        db.session.commit()
        top = db.session.scalar(select(func.max(PetitionCase.id)))
        case_ids = [top - k * 997 for k in range(50) if top - k * 997 > 0]
        url = app.config["SQLALCHEMY_DATABASE_URI"]
        db.session.remove()
        db.engine.dispose()
        with gunicorn(url, app.instance_path, workers=2, threads=4) as (base, _proc):
            _drive(base, case_ids, 50, clients)          # warm caches and connections
            result = _drive(base, case_ids, requests_total, clients)
            result["list_p50"] = _list_p50(base, requests_total, clients)
        result["bare_p50"] = _bare_p50(url, requests_total, clients)
        result["dialect"] = dialect
        return result


def run() -> list[dict]:
    small = int(os.environ.get("LOAD_SMALL", "10000"))
    large = int(os.environ.get("LOAD_LARGE", "1000000"))
    total = int(os.environ.get("LOAD_REQUESTS", "1200"))
    clients = int(os.environ.get("LOAD_CLIENTS", "8"))
    rows = []
    results = {}
    for n in (small, large):
        r = results[n] = _volume(n, total, clients)
        tag = f"load.{n // 1000}k.{r['dialect']}"
        rows += [
            row(f"{tag}.throughput", round(r["rps"], 1), "req/s", note=f"{total} requests, {clients} clients, 2 workers"),
            row(f"{tag}.p50", round(r["p50"] * 1000, 1), "ms"),
            row(f"{tag}.p95", round(r["p95"] * 1000, 1), "ms"),
            row(f"{tag}.p99", round(r["p99"] * 1000, 1), "ms"),
            row(f"{tag}.errors", len(r["errors"]), "count", target="<= 0",
                note="; ".join(sorted(set(r["errors"]))[:3])),
        ]
        page = r["list_p50"]
        rows.append(row(f"{tag}.petition_list_vs_bare", round(page / r["bare_p50"], 2), "×", target="<= 2",
                        note=f"p50 {page * 1000:.0f} ms vs {r['bare_p50'] * 1000:.0f} ms for bare Flask + "
                             f"SQLAlchemy Core over the same rows, each driven alone by {clients} clients"))
    for path in ("/petition/", "/api/v1/petitions?per_page=25", "/mediation/"):
        a = statistics.median(results[small]["by_path"][path])
        b = statistics.median(results[large]["by_path"][path])
        rows.append(row(f"load.scale.{path}", round(b / a, 2), "×", target="<= 1.5",
                        note=f"p50 {b * 1000:.0f} ms at {large:,} vs {a * 1000:.0f} ms at {small:,} petitions"))
    return rows
