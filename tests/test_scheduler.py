"""The scheduler service: triggers, the database lease, one run per occurrence, recorded outcomes,
"run now" from the admin page and the API."""
import threading
import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import func, select

from conftest import IsolatedClient, csrf_token_from, login
from test_api import auth, error_of

from core.db import db
from core.scheduler import JobSpec, build_trigger
from core.scheduler import lease
from core.scheduler.models import JobLease, JobRun
from core.scheduler.runner import execute, run_job_now
from core.scheduler.spec import local_now


def runs(job_id):
    db.session.rollback()  # see what other sessions committed
    return db.session.scalars(select(JobRun).where(JobRun.job_id == job_id).order_by(JobRun.id)).all()


# -- triggers -------------------------------------------------------------------------------------

def test_triggers_from_dicts_and_refusals():
    assert "cron" in str(build_trigger({"cron": {"hour": 3, "minute": 30}}))
    assert "cron" in str(build_trigger({"cron": "30 3 * * *"}))
    assert "interval" in str(build_trigger({"interval": {"minutes": 5}}))
    for bad in ({"cron": {"hour": 25}}, {"interval": {"fortnights": 1}}, {"hourly": {}}, "daily",
                {"cron": {}, "interval": {}}):
        with pytest.raises(ValueError):
            build_trigger(bad)
    with pytest.raises(ValueError):
        JobSpec("core.x", "not callable", {"interval": {"seconds": 5}})


def test_interval_fire_times_agree_between_processes():
    """Two schedulers started at different moments compute the same fire times."""
    a = JobSpec("core.a", lambda: None, {"interval": {"seconds": 7}})
    time.sleep(0.3)
    b = JobSpec("core.a", lambda: None, {"interval": {"seconds": 7}})
    now = local_now()
    assert a.next_run(now) == b.next_run(now)
    assert a.next_run(now).microsecond == 0 and now < a.next_run(now) <= now + timedelta(seconds=7)


def test_core_declares_its_housekeeping_job(app):
    jobs = {c.key: c for c in app.extensions["concord"].items("job")}
    assert "core.housekeeping" in jobs and jobs["core.housekeeping"].plugin == "core"
    assert jobs["core.housekeeping"].value.next_run().hour == 3


# -- lease and occurrences ------------------------------------------------------------------------

def test_lease_is_exclusive_until_released_or_expired(app):
    assert lease.acquire("core.x", "A", 60)
    assert not lease.acquire("core.x", "B", 60)
    assert lease.acquire("core.x", "A", 60)            # the holder may renew
    lease.release("core.x", "A")
    time.sleep(0.01)
    assert lease.acquire("core.x", "B", 60)
    db.session.get(JobLease, "core.x").expires_at = local_now() - timedelta(seconds=1)
    db.session.commit()
    assert lease.acquire("core.x", "C", 60)            # an expired lease is free


def test_an_occurrence_is_claimed_once(app):
    t = datetime(2026, 11, 2, 9, 30)
    assert lease.claim("core.x", t, "A") is not None
    assert lease.claim("core.x", t, "B") is None
    assert lease.claim("core.x", t + timedelta(seconds=1), "B") is not None
    assert lease.claim("core.x", None, "B", manual=True) and lease.claim("core.x", None, "C", manual=True)


def test_concurrent_schedulers_run_an_occurrence_once(app):
    calls = []

    def job():
        calls.append(threading.get_ident())
        time.sleep(0.2)

    spec = JobSpec("core.concurrent", job, {"interval": {"seconds": 1}})
    fire = datetime(2026, 11, 2, 9, 30)
    results = []
    threads = [threading.Thread(target=lambda i=i: results.append(execute(app, spec, fire, f"holder-{i}")[0]))
               for i in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1, results
    assert sorted(results).count("ok") == 1 and set(results) <= {"ok", "busy", "done"}
    assert [r.outcome for r in runs("core.concurrent")] == ["ok"]
    # the next occurrence runs again, and a repeat of the first does not
    assert execute(app, spec, fire + timedelta(seconds=1), "holder-0")[0] == "ok"
    assert execute(app, spec, fire, "holder-9")[0] == "done"
    assert len(calls) == 2


def test_a_failing_job_is_recorded_and_rolled_back(app):
    from core.auth.models import User

    def job():
        user = db.session.scalar(select(User).where(User.username == "aid"))
        user.display_name = "should not stick"
        raise RuntimeError("the mail server is down")

    spec = JobSpec("core.failing", job, {"cron": {"hour": 1}})
    assert execute(app, spec, datetime(2026, 11, 2, 1, 0), "A")[0] == "error"
    [run] = runs("core.failing")
    assert run.outcome == "error" and "the mail server is down" in run.error and run.finished_at
    assert db.session.scalar(select(User.display_name).where(User.username == "aid")) != "should not stick"
    assert lease.acquire("core.failing", "B", 60)  # the lease was released


def test_a_successful_job_commits_its_changes(app):
    from core.auth.models import User

    def job():
        db.session.scalar(select(User).where(User.username == "aid")).display_name = "吴援助（已核对）"

    spec = JobSpec("core.ok", job, {"cron": {"hour": 1}})
    assert execute(app, spec, datetime(2026, 11, 2, 1, 0), "A")[0] == "ok"
    db.session.rollback()
    assert db.session.scalar(select(User.display_name).where(User.username == "aid")) == "吴援助（已核对）"
    [run] = runs("core.ok")
    assert run.outcome == "ok" and run.error is None and run.started_at <= run.finished_at


# -- run now --------------------------------------------------------------------------------------

def _expired_token():
    from core.auth.models import ApiToken, User
    admin = db.session.scalar(select(User).where(User.username == "admin"))
    db.session.add(ApiToken(user_id=admin.id, token_hash="0" * 64, created_at=datetime(2020, 1, 1),
                            expires_at=datetime(2020, 1, 2)))
    db.session.commit()


def _token_count():
    from core.auth.models import ApiToken
    db.session.rollback()
    return db.session.scalar(select(func.count(ApiToken.id)).where(ApiToken.token_hash == "0" * 64))


def test_run_job_now_runs_housekeeping(app):
    _expired_token()
    assert run_job_now("core.housekeeping", app, requested_by="admin")[0] == "ok"
    assert _token_count() == 0
    [run] = runs("core.housekeeping")
    assert run.manual and run.requested_by == "admin" and run.scheduled_for is None
    # while someone else holds the lease, run now answers busy and runs nothing
    assert lease.acquire("core.housekeeping", "scheduler-elsewhere", 60)
    assert run_job_now("core.housekeeping", app)[0] == "busy"
    assert len(runs("core.housekeeping")) == 1


def test_admin_page_lists_jobs_and_runs_now_with_csrf(csrf_app):
    client = csrf_app.test_client()
    page = client.get("/login").get_data(as_text=True)
    client.post("/login", data={"username": "admin", "password": "concord-demo", "csrf_token": csrf_token_from(page)})
    html = client.get("/admin/jobs/").get_data(as_text=True)
    assert "core.housekeeping" in html and "cron" in html
    _expired_token()
    assert client.post("/admin/jobs/core.housekeeping/run").status_code == 400       # no CSRF token
    assert _token_count() == 1
    resp = client.post("/admin/jobs/core.housekeeping/run", data={"csrf_token": csrf_token_from(html)})
    assert resp.status_code == 302
    assert _token_count() == 0
    html = client.get("/admin/jobs/").get_data(as_text=True)
    assert "admin" in html and "成功" in html
    assert client.post("/admin/jobs/core.nope/run", data={"csrf_token": csrf_token_from(html)}).status_code == 404


def test_jobs_page_and_api_need_the_permission(client, api_token):
    login(client, "officer")
    assert client.get("/admin/jobs/").status_code == 403
    assert client.post("/admin/jobs/core.housekeeping/run").status_code == 403
    error_of(client.get("/api/v1/jobs", headers=auth(api_token("officer"))), 403)
    error_of(client.post("/api/v1/jobs/core.housekeeping/actions/run", headers=auth(api_token("officer"))), 403)


def test_jobs_api_lists_and_runs(client, api_token):
    h = auth(api_token("admin"))
    jobs = {j["id"]: j for j in client.get("/api/v1/jobs", headers=h).get_json()}
    assert jobs["core.housekeeping"]["plugin"] == "core" and jobs["core.housekeeping"]["next_run"]
    resp = client.post("/api/v1/jobs/core.housekeeping/actions/run", headers=h)
    assert resp.status_code == 200 and resp.get_json()["state"] == "ok"
    jobs = {j["id"]: j for j in client.get("/api/v1/jobs", headers=h).get_json()}
    assert jobs["core.housekeeping"]["runs"][0]["outcome"] == "ok"
    error_of(client.post("/api/v1/jobs/core.nope/actions/run", headers=h), 404)
