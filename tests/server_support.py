"""Start the real production server (gunicorn, deploy/gunicorn.conf.py) on a test database, and talk JSON."""
from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GUNICORN = os.path.join(os.path.dirname(sys.executable), "gunicorn")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(db_url: str, instance: str, workers: int = 2, threads: int = 2):
    """Yield (base_url, process) of a gunicorn master with *workers* workers; stopped afterwards."""
    if not os.path.exists(GUNICORN):
        raise RuntimeError("gunicorn is not installed (it is in the [test] extra)")
    port = free_port()
    env = dict(os.environ, DATABASE_URL=db_url, CONCORD_INSTANCE=instance, CONCORD_BIND=f"127.0.0.1:{port}",
               CONCORD_WORKERS=str(workers), CONCORD_THREADS=str(threads), CONCORD_ACCESS_LOG="/dev/null")
    os.makedirs(instance, exist_ok=True)
    log_path = os.path.join(instance, "gunicorn.log")      # a file, not a pipe: a full pipe would block workers
    log = open(log_path, "wb")
    proc = subprocess.Popen([GUNICORN, "-c", "deploy/gunicorn.conf.py", "core.wsgi:app"], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    proc.log_path = log_path
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(240):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=2)
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if proc.poll() is not None:
                    with open(log_path, errors="replace") as fh:
                        raise RuntimeError(fh.read()[-2000:]) from None
                time.sleep(0.25)
        yield base, proc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


def call(base: str, method: str, path: str, body=None, token: str | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            status, raw = resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        status, raw = exc.code, exc.read()
    try:
        return status, json.loads(raw or b"{}")
    except ValueError:
        return status, {"not_json": raw[:300].decode(errors="replace")}


def token(base: str, username: str, password: str = "concord-demo") -> str:
    status, body = call(base, "POST", "/api/v1/auth/token", {"username": username, "password": password})
    assert status == 200, body
    return body["token"]
