"""The production deployment: gunicorn with two workers from deploy/gunicorn.conf.py on this test's database,
one shared secret key (a session made by one worker is valid on the other), health check, and
`./run.sh prod` refusing to start without PostgreSQL."""
import http.cookiejar
import os
import re
import subprocess
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


def test_two_workers_share_one_key_and_serve_signed_in_pages(server):
    base, proc, instance = server
    assert len(_worker_pids(proc.pid)) == 2
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
