"""The production deployment: gunicorn with two workers from deploy/gunicorn.conf.py on this test's database,
one shared secret key (a session made by one worker is valid on the other), health check, and
`./run.sh prod` refusing to start without PostgreSQL."""
import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GUNICORN = os.path.join(os.path.dirname(sys.executable), "gunicorn")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(db_url, tmp_path):
    if not os.path.exists(GUNICORN):
        pytest.fail("gunicorn is not installed (it is in the [test] extra)")
    port = _free_port()
    env = dict(os.environ, DATABASE_URL=db_url, CONCORD_INSTANCE=str(tmp_path / "inst"),
               CONCORD_BIND=f"127.0.0.1:{port}", CONCORD_WORKERS="2", CONCORD_THREADS="2",
               CONCORD_ACCESS_LOG="/dev/null")
    proc = subprocess.Popen([GUNICORN, "-c", "deploy/gunicorn.conf.py", "core.wsgi:app"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2)
            break
        except (urllib.error.URLError, ConnectionError, OSError):
            if proc.poll() is not None:
                pytest.fail(proc.stdout.read().decode(errors="replace")[-2000:])
            time.sleep(0.25)
    yield base, proc, tmp_path / "inst"
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


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
