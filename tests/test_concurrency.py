"""Several processes at once (gunicorn with 4 workers on this test's database): reference numbers stay unique
and gap-free, concurrent edits of one record give one winner and 409 for the rest (no lost update), and a
process killed in the middle of a multi-row write leaves nothing behind."""
import os
import signal
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import create_engine, text

from server_support import ROOT, call, gunicorn, token

WRITERS, EACH = 8, 5


def _body(i: int) -> dict:
    return {"channel": "letter", "received_at": "2026-06-01T09:00:00", "request": f"并发登记测试事项第{i}号",
            "facts": "并发", "petitioner": {"name": f"并发人{i}"}}


def _numbers(engine) -> list[int]:
    with engine.connect() as c:
        refs = c.execute(text("SELECT reference FROM petition_case WHERE reference LIKE 'JS-XF-2026-%'")).scalars()
        return sorted(int(r.rsplit("-", 1)[1]) for r in refs)


def test_four_processes_number_gap_free_and_refuse_stale_edits(db_url, tmp_path):
    engine = create_engine(db_url)
    before = _numbers(engine)
    with gunicorn(db_url, str(tmp_path / "inst"), workers=4, threads=2) as (base, _proc):
        tok = token(base, "officer")

        def write(w):
            return [call(base, "POST", "/api/v1/petitions", _body(w * EACH + k), tok) for k in range(EACH)]

        with ThreadPoolExecutor(WRITERS) as pool:
            results = [r for batch in pool.map(write, range(WRITERS)) for r in batch]
        assert [s for s, _b in results].count(201) == WRITERS * EACH, [b for s, b in results if s != 201][:3]
        refs = [b["reference"] for _s, b in results]
        assert len(set(refs)) == len(refs)
        after = _numbers(engine)
        new = sorted(set(after) - set(before))
        assert new == list(range((max(before) if before else 0) + 1, (max(before) if before else 0) + 1 + len(refs)))

        # eight clients edit the same version of one record at the same moment
        target = results[0][1]

        def edit(i):
            return call(base, "PATCH", f"/api/v1/petitions/{target['id']}",
                        {"version": target["version"], "request": f"改写{i}"}, tok)

        with ThreadPoolExecutor(8) as pool:
            edits = list(pool.map(edit, range(8)))
        statuses = sorted(s for s, _b in edits)
        assert statuses == [200] + [409] * 7, statuses
        winner = next(b for s, b in edits if s == 200)
        status, final = call(base, "GET", f"/api/v1/petitions/{target['id']}", token=tok)
        assert status == 200 and final["request"] == winner["request"] and final["version"] == target["version"] + 1
    engine.dispose()


KILLED_WRITER = textwrap.dedent("""
    import sys, time
    from datetime import datetime
    from core.app import create_app
    from core.db import db
    from plugins.petition import services
    app = create_app({"SQLALCHEMY_DATABASE_URI": sys.argv[1], "INSTANCE_PATH": sys.argv[2], "SECRET_KEY": "t"})
    with app.app_context():
        from sqlalchemy import select
        from core.regions.models import Region
        region = db.session.scalar(select(Region).where(Region.code == "430611000000"))
        services.register(channel="visit", received_at=datetime(2026, 6, 2, 9), request="写到一半被杀掉的事项",
                          petitioner={"name": "半途"}, region_id=region.id,
                          representatives=[{"name": f"代表{i}"} for i in range(5)])
        db.session.flush()
        print("flushed", flush=True)
        time.sleep(60)
        db.session.commit()
""")


def test_a_process_killed_mid_write_leaves_no_half_record(db_url, tmp_path):
    engine = create_engine(db_url)
    before = _numbers(engine)
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, db_url, str(tmp_path / "inst")], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert line.strip() == "flushed", proc.stderr.read()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    time.sleep(0.5)
    with engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM petition_case WHERE request = '写到一半被杀掉的事项'")).scalar() == 0
        assert c.execute(text("SELECT count(*) FROM core_person WHERE name LIKE '代表_' OR name = '半途'")).scalar() == 0
    assert _numbers(engine) == before                       # the killed write burned no reference number
    # and the next write takes the next number
    proc = subprocess.run([sys.executable, "-c", KILLED_WRITER.replace("time.sleep(60)", "pass"), db_url,
                           str(tmp_path / "inst")], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert _numbers(engine) == before + [(max(before) if before else 0) + 1]
    engine.dispose()
