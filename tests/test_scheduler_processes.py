"""Two ``concord scheduler`` processes on one PostgreSQL database: every due occurrence of a 1-second
job runs exactly once, and SIGTERM stops each process cleanly with its leases released."""
import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest
from sqlalchemy import create_engine, text

from conftest import USE_PG

pytestmark = pytest.mark.skipif(
    not USE_PG, reason="two scheduler processes contend for leases in a server database: set DATABASE_URL "
                       "to PostgreSQL (SQLite serialises writers, so it would not exercise the race)")


def _concord():
    return os.path.join(os.path.dirname(sys.executable), "concord")


def test_two_schedulers_run_each_occurrence_once(db_url, tmp_path):
    tick_file = tmp_path / "ticks.txt"
    env = {**os.environ, "DATABASE_URL": db_url, "CONCORD_INSTANCE": str(tmp_path / "instance"),
           "CONCORD_SECRET_KEY": "test", "CONCORD_SCHEDULER_TICK_SECONDS": "1",
           "CONCORD_SCHEDULER_TICK_FILE": str(tick_file)}
    procs = [subprocess.Popen([_concord(), "scheduler"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True) for _ in range(2)]
    try:
        deadline = time.monotonic() + 12
        while time.monotonic() < deadline and all(p.poll() is None for p in procs):
            lines = tick_file.read_text().splitlines() if tick_file.exists() else []
            if len({line.split()[0] for line in lines}) >= 5:
                break
            time.sleep(0.25)
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        outputs = [p.communicate(timeout=20)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    assert all("stopped" in out for out in outputs), outputs

    lines = tick_file.read_text().splitlines()
    fired = Counter(line.split()[0] for line in lines)
    assert len(fired) >= 4, (lines, outputs)
    assert max(fired.values()) == 1, [t for t, n in fired.items() if n > 1]   # no occurrence ran twice

    engine = create_engine(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("SELECT scheduled_for, outcome, holder FROM core_job_run "
                                     "WHERE job_id = 'core.tick' AND scheduled_for IS NOT NULL")).all()
            held = conn.execute(text("SELECT count(*) FROM core_job_lease WHERE expires_at > "
                                     "(now() AT TIME ZONE 'Asia/Shanghai') + interval '1 second'")).scalar()
    finally:
        engine.dispose()
    ran = [r for r in rows if r.outcome == "ok"]
    assert len(ran) == len({r.scheduled_for for r in ran}) == len(lines)
    assert {r.holder for r in ran} == {line.split()[1] for line in lines}
    assert held == 0  # both processes released their leases on SIGTERM
