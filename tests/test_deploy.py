"""The production deployment: gunicorn with two workers from deploy/gunicorn.conf.py on this test's database,
one shared secret key (a session made by one worker is valid on the other), health check, and
`./run.sh prod` refusing to start without PostgreSQL."""
import http.cookiejar
import os
import re
import subprocess
import time
import urllib.parse
import urllib.request

import pytest

from server_support import ROOT, gunicorn


@pytest.fixture
def server(db_url, tmp_path):
    with gunicorn(db_url, str(tmp_path / "inst"), workers=2) as (base, proc):
        yield base, proc, tmp_path / "inst"


def _worker_pids(master: int) -> set[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True).stdout
    return {int(p) for p in out.split()}


def _workers_when_all_up(master: int, expected: int) -> set[int]:
    """The workers once *expected* of them run: the master forks them one after another from the loaded app
    (preload_app), so the first may answer before the last is forked."""
    for _ in range(100):
        pids = _worker_pids(master)
        if len(pids) >= expected:
            return pids
        time.sleep(0.1)
    return _worker_pids(master)


def test_two_workers_share_one_key_and_serve_signed_in_pages(server):
    base, proc, instance = server
    assert len(_workers_when_all_up(proc.pid, 2)) == 2
    assert oct(os.stat(instance / "secret_key").st_mode & 0o777) == "0o600"
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(base + "/login", timeout=10).read().decode()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    form = urllib.parse.urlencode({"csrf_token": token, "username": "officer", "password": "concord-demo"}).encode()
    opener.open(base + "/login", data=form, timeout=10)
    # many requests on fresh connections land on both workers; every one must see the signed-in session
    for _ in range(30):
        resp = opener.open(base + "/petition/", timeout=10)
        assert resp.status == 200 and "/login" not in resp.geturl()
    health = urllib.request.urlopen(base + "/healthz", timeout=5).read().decode()
    assert '"database":"ok"' in health.replace(" ", "")


def test_run_sh_prod_refuses_without_postgresql(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(["bash", "run.sh", "prod"], cwd=ROOT, env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 2 and "DATABASE_URL" in result.stderr


def test_recycled_workers_are_forked_from_the_loaded_app_and_keep_serving(db_url, tmp_path, monkeypatch):
    """Workers are recycled after a few requests here (``--max-requests 4``): each new one is forked from the
    master that loaded the app (preload_app), opens its own database connections, and every request, before
    and after the recycling, answers a signed-in page."""
    monkeypatch.setenv("GUNICORN_CMD_ARGS", "--max-requests 4 --max-requests-jitter 0")
    with gunicorn(db_url, str(tmp_path / "inst"), workers=2, threads=1) as (base, proc):
        first = _workers_when_all_up(proc.pid, 2)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(base + "/login", timeout=10).read().decode()
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        form = urllib.parse.urlencode({"csrf_token": token, "username": "officer",
                                       "password": "concord-demo"}).encode()
        opener.open(base + "/login", data=form, timeout=10)
        for _ in range(24):
            resp = opener.open(base + "/petition/", timeout=10)
            assert resp.status == 200 and "/login" not in resp.geturl()
        later = _worker_pids(proc.pid)
        with open(proc.log_path, errors="replace") as fh:
            log = fh.read()
        with open(f"/proc/{proc.pid}/maps") as fh:
            master_maps = fh.read()
    assert first and later and not (first & later)             # every first worker was recycled
    assert "Autorestarting worker" in log and "Traceback" not in log
    # the master itself loaded the app (gunicorn alone never imports markupsafe's or SQLAlchemy's C parts)
    assert "markupsafe/_speedups" in master_maps and "sqlalchemy/" in master_maps
