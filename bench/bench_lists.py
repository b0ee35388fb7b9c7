"""List pages under load against bare pages (issue 22), with an open-loop driver.

Concord (``core.wsgi:app``) and the bare Flask + SQLAlchemy Core app (``bench/bare_app.py``) both run under
gunicorn with ``deploy/gunicorn.conf.py`` and 2 gthread workers × 2 threads, on the same database, at the same
time; ``wrk`` (Debian package ``wrk``: ``apt-get install wrk``) drives each list page with 16 connections,
alternating Concord and the bare page, ``LISTS_ROUNDS`` times (default 5) for ``LISTS_SECONDS`` each
(default 5). Printed per list: requests/s and p50 of both (medians of the rounds), the ratios (the median of
each round's ratio; targets: p50 ≤ 1.5× the bare page's, requests/s ≥ 0.66× the bare page's) and the
machine's load average, and how each round's 16 connections were split between the two workers.

``LISTS_SPLIT`` (default ``even``) starts both servers with ``--worker-connections 8``: each worker holds
exactly half of wrk's connections. Left to the kernel (``LISTS_SPLIT=kernel``) the two workers race to accept
the 16 connections wrk opens at once and split them anywhere from 8/8 to 13/3; the worker holding more answers
each request later while both serve about as many requests a second, so the latencies fall into two groups and
the median lands in one or the other: a round's p50 ratio ranged 0.35–3.6× for the same code and page, and a
7-round median moved by ±0.3 between runs. ``even`` measures the same servers, configuration and load with
the split fixed (the rounds agree within ±0.1); ``kernel`` is kept to show the other. ``LISTS_GUNICORN_ARGS``
passes further gunicorn options to both servers (diagnostics, e.g. ``--max-requests 0``: no worker recycling).

The database: ``LISTS_DATABASE_URL`` (with ``LISTS_INSTANCE``, an instance folder) names one already migrated
and seeded (``concord db upgrade && concord seed demo && concord seed scale --petitions N --disputes N``);
without it a SQLite database is made and seeded with ``LISTS_ROWS`` petitions and disputes (default 100,000).

    LISTS_DATABASE_URL=sqlite:////tmp/b/concord.db LISTS_INSTANCE=/tmp/b .venv/bin/python -m bench lists
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

from bench import row

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "tests"))
PASSWORD = "concord-demo"
CONNECTIONS = 16
AGENT = "concord-bench"      # Flask-Login's strong session protection ties the session to the user agent

# (name, user, Concord page, bare page)
LISTS = [
    ("petitions", "officer", "/petition/", "/petitions"),
    ("disputes", "mediator", "/mediation/", "/list/disputes"),
    ("hearings", "mediator", "/hearing/", "/list/hearings"),
    ("referrals", "legal", "/legal_aid/", "/list/referrals"),
    ("aid_applications", "aid", "/legal_aid/aid/", "/list/aid"),
    ("persons", "officer", "/parties/persons", "/list/persons"),
    ("audit_log", "auditor", "/admin/audit/", "/list/audit"),
]


def _start(cmd: list[str], env: dict, log_path: str) -> subprocess.Popen:
    log = open(log_path, "wb")
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _wait(base: str, proc) -> None:
    import urllib.request
    for _ in range(400):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            return
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"server at {base} stopped") from None
            time.sleep(0.25)
    raise RuntimeError(f"server at {base} did not answer")


def _stop(proc) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


def _cookie(base: str, username: str) -> str:
    import requests
    s = requests.Session()
    s.headers["User-Agent"] = AGENT
    page = s.get(base + "/login", timeout=30).text
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)
    data = {"username": username, "password": PASSWORD}
    if token:
        data["csrf_token"] = token.group(1)
    r = s.post(base + "/login", data=data, allow_redirects=False, timeout=30)
    if r.status_code != 302:
        raise RuntimeError(f"sign-in as {username} failed: {r.status_code}")
    return "; ".join(f"{k}={v}" for k, v in s.cookies.items())


def _split(port: int) -> str:
    """How the established connections to *port* are shared between the server's processes, most first
    (``9/7``); ``?`` when ``ss`` cannot tell."""
    try:
        out = subprocess.run(["ss", "-Htnp", "state", "established", f"( sport = :{port} )"],
                             capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return "?"
    held: dict[str, int] = {}
    for pid in re.findall(r"pid=(\d+)", out):
        held[pid] = held.get(pid, 0) + 1
    return "/".join(str(n) for n in sorted(held.values(), reverse=True)) or "?"


def _wrk(url: str, seconds: int, cookie: str | None = None) -> dict:
    cmd = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--latency", "--timeout", "10s",
           "-H", f"User-Agent: {AGENT}"]
    if cookie:
        cmd += ["-H", f"Cookie: {cookie}"]
    proc = subprocess.Popen(cmd + [url], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    time.sleep(min(1.0, seconds / 2))              # the connections are open and held by now
    split = _split(int(url.split(":")[2].split("/")[0]))
    out = proc.communicate(timeout=seconds + 60)[0]
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    m = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    p50 = float(m.group(1)) * {"us": 1e-3, "ms": 1.0, "s": 1000.0}[m.group(2)]
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {"rps": rps, "p50": p50, "non2xx": int(bad.group(1)) if bad else 0, "split": split}


def _check(url: str, cookie: str | None) -> None:
    import requests
    r = requests.get(url, headers={"Cookie": cookie or "", "User-Agent": AGENT}, allow_redirects=False, timeout=60)
    if r.status_code != 200:
        raise RuntimeError(f"{url}: {r.status_code}")


def _seeded_sqlite(rows: int) -> tuple[str, str]:
    folder = tempfile.mkdtemp(prefix="concord-lists-")
    url = f"sqlite:///{folder}/concord.db"
    env = dict(os.environ, DATABASE_URL=url, CONCORD_INSTANCE=folder)
    concord = os.path.join(os.path.dirname(sys.executable), "concord")
    skip = os.environ.get("LISTS_SEED_SKIP", "centre")    # the centre's seeder is the slowest and no list here shows it
    for args in (["db", "upgrade"], ["seed", "demo"],
                 ["seed", "scale", "--petitions", str(rows), "--disputes", str(rows), "--skip", skip]):
        subprocess.run([concord, *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
    return url, folder


def measure(url: str, instance: str, seconds: int, rounds: int, only=None) -> list[dict]:
    from server_support import free_port
    gunicorn = os.path.join(os.path.dirname(sys.executable), "gunicorn")
    cport, bport = free_port(), free_port()
    common = dict(os.environ, CONCORD_WORKERS="2", CONCORD_THREADS="2", CONCORD_ACCESS_LOG="/dev/null")
    extra = os.environ.get("LISTS_GUNICORN_ARGS", "")   # a diagnostic variant for both, e.g. "--max-requests 0"
    if os.environ.get("LISTS_SPLIT", "even") == "even":
        extra = f"--worker-connections {CONNECTIONS // 2} {extra}"
    if extra.strip():
        common["GUNICORN_CMD_ARGS"] = extra.strip()
    concord = _start([gunicorn, "-c", "deploy/gunicorn.conf.py", "core.wsgi:app"],
                     dict(common, DATABASE_URL=url, CONCORD_INSTANCE=instance, CONCORD_BIND=f"127.0.0.1:{cport}"),
                     os.path.join(instance, "bench-concord.log"))
    bare = _start([gunicorn, "-c", "deploy/gunicorn.conf.py", "bench.bare_app:app"],
                  dict(common, BARE_DATABASE_URL=url, CONCORD_BIND=f"127.0.0.1:{bport}"),
                  os.path.join(instance, "bench-bare.log"))
    cbase, bbase = f"http://127.0.0.1:{cport}", f"http://127.0.0.1:{bport}"
    results = []
    try:
        _wait(cbase, concord)
        _wait(bbase, bare)
        cookies: dict[str, str] = {}
        for name, user, page, bare_page in LISTS:
            if only and name not in only:
                continue
            cookie = cookies.get(user) or cookies.setdefault(user, _cookie(cbase, user))
            try:
                _check(cbase + page, cookie)
                _check(bbase + bare_page, None)
            except RuntimeError as exc:                # reported, and the other lists still run
                print(f"{name:17} not measured: {exc}", flush=True)
                results.append({"list": name, "page": page, "error": str(exc)})
                continue
            _wrk(cbase + page, 2, cookie)              # warm both (templates, connections, caches)
            _wrk(bbase + bare_page, 2)
            c_runs, b_runs = [], []
            for _ in range(rounds):                    # alternated: the machine's other load hits both
                c_runs.append(_wrk(cbase + page, seconds, cookie))
                b_runs.append(_wrk(bbase + bare_page, seconds))
            _check(cbase + page, cookie)               # still signed in (a 302 to /login would count as served)
            c = {k: statistics.median(r[k] for r in c_runs) for k in ("rps", "p50", "non2xx")}
            b = {k: statistics.median(r[k] for r in b_runs) for k in ("rps", "p50", "non2xx")}
            # each round's two runs are back to back and share the machine's load of that moment (a virtual
            # machine's neighbours move the bare page's own rate by ±40 % from one run to the next): the ratio
            # is taken per round, and its median reported
            p50_ratio = statistics.median(cr["p50"] / br["p50"] for cr, br in zip(c_runs, b_runs))
            rps_ratio = statistics.median(cr["rps"] / br["rps"] for cr, br in zip(c_runs, b_runs))
            per_round = " ".join(f"{cr['p50'] / br['p50']:.2f}" for cr, br in zip(c_runs, b_runs))
            load = os.getloadavg()[0]                  # the machine's 1-minute load: the ratio is what compares
            results.append({"list": name, "page": page, "concord": c, "bare": b, "load": load,
                            "p50_ratio": p50_ratio, "rps_ratio": rps_ratio})
            print(f"{name:17} concord {c['rps']:7.1f} req/s p50 {c['p50']:7.1f} ms | bare {b['rps']:7.1f} "
                  f"req/s p50 {b['p50']:7.1f} ms | p50 ×{p50_ratio:.2f} rps ×{rps_ratio:.2f}"
                  f" (rounds: p50 {per_round}; split {' '.join(r['split'] for r in c_runs)}"
                  f" | {' '.join(r['split'] for r in b_runs)})"
                  f" | load {load:.1f}" + (f" | non-2xx {c['non2xx']:.0f}" if c["non2xx"] else ""), flush=True)
    finally:
        _stop(concord)
        _stop(bare)
    return results


def run() -> list[dict]:
    if not shutil.which("wrk"):
        return [row("lists.wrk", "missing", "", note="apt-get install wrk")]
    url = os.environ.get("LISTS_DATABASE_URL")
    instance = os.environ.get("LISTS_INSTANCE")
    if not url:
        url, instance = _seeded_sqlite(int(os.environ.get("LISTS_ROWS", "100000")))
    instance = instance or tempfile.mkdtemp(prefix="concord-lists-")
    seconds = int(os.environ.get("LISTS_SECONDS", "5"))
    rounds = int(os.environ.get("LISTS_ROUNDS", "7"))
    only = set(filter(None, os.environ.get("LISTS_ONLY", "").split(",")))
    dialect = url.split(":", 1)[0].split("+")[0]
    rows = []
    for r in measure(url, instance, seconds, rounds, only):
        tag = f"lists.{dialect}.{r['list']}"
        if "error" in r:
            rows.append(row(f"{tag}.p50_vs_bare", "error", "", note=r["error"][:120]))
            continue
        note = (f"{CONNECTIONS} connections ({os.environ.get('LISTS_SPLIT', 'even')} split), wrk {rounds}×{seconds} s "
                f"alternated, median of round ratios; Concord {r['concord']['rps']:.0f} "
                f"req/s p50 {r['concord']['p50']:.0f} ms, bare {r['bare']['rps']:.0f} req/s p50 "
                f"{r['bare']['p50']:.0f} ms; load average {r['load']:.1f}")
        rows.append(row(f"{tag}.p50_vs_bare", round(r["p50_ratio"], 2), "×", target="<= 1.5", note=note))
        rows.append(row(f"{tag}.rps_vs_bare", round(r["rps_ratio"], 2), "×", target=">= 0.66"))
    return rows


if __name__ == "__main__":
    for r in run():
        print(r)
