"""The one scheduler process (``concord scheduler``) and "run now".

Jobs are rebuilt from code at start (every ``ctx.job`` contribution) and run by an APScheduler 3
``BlockingScheduler`` (Asia/Shanghai). Each due occurrence: take the job's database lease, record the
run for (job, fire time) — refused when that occurrence already has a run — call the job inside an app
context, commit, record the outcome, release the lease. A job's error is recorded, never fatal.
SIGTERM / SIGINT stop taking new runs, let running ones finish, release the leases and exit.
"""
from __future__ import annotations

import concurrent.futures
import contextvars
import logging
import os
import secrets
import signal
import socket
import threading
import traceback
from dataclasses import dataclass
from datetime import datetime, timedelta

from apscheduler.events import EVENT_JOB_MAX_INSTANCES
from apscheduler.executors.base import BaseExecutor
from apscheduler.schedulers.blocking import BlockingScheduler

from core import clock
from core.db import db
from . import lease
from .spec import JobSpec

log = logging.getLogger("concord.scheduler")


@dataclass(frozen=True)
class RunInfo:
    job_id: str
    scheduled_for: datetime | None
    holder: str
    manual: bool


_current: contextvars.ContextVar[RunInfo | None] = contextvars.ContextVar("concord_job_run", default=None)


def current_run() -> RunInfo | None:
    """Inside a job: which job, for which fire time, run by whom."""
    return _current.get()


class JobNotFound(KeyError):
    pass


def new_holder() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(3)}"


def job_specs(app) -> dict[str, JobSpec]:
    return {c.key: c.value for c in app.extensions["concord"].items("job")}


def execute(app, spec: JobSpec, scheduled_for: datetime | None, holder: str, *, manual: bool = False,
            requested_by: str | None = None) -> tuple[str, int | None]:
    """Run *spec* once under its lease. Returns (state, run id): state is ok, error, busy (another
    holder has the lease) or done (this occurrence already has a run)."""
    with app.app_context():
        if not lease.acquire(spec.id, holder, spec.lease_seconds):
            return "busy", None
        try:
            run_id = lease.claim(spec.id, scheduled_for, holder, manual=manual, requested_by=requested_by)
            if run_id is None:
                return "done", None
            token = _current.set(RunInfo(spec.id, scheduled_for, holder, manual))
            try:
                spec.func()
                db.session.commit()
                outcome, error = "ok", None
            except Exception:
                db.session.rollback()
                outcome, error = "error", traceback.format_exc()
                log.exception("job %s failed", spec.id)
            finally:
                _current.reset(token)
            lease.finish(run_id, outcome, error)
            return outcome, run_id
        finally:
            lease.release(spec.id, holder)


def run_job_now(job_id: str, app=None, requested_by: str | None = None, wait: float = 8.0) -> tuple[str, int | None]:
    """The admin's "run now": runs the job in a thread of this process, under the same lease as the
    scheduler (so never at the same time as a scheduled run). Waits up to *wait* seconds; answers
    (ok|error|busy|running, run id)."""
    from flask import current_app
    app = app or current_app._get_current_object()
    spec = job_specs(app).get(job_id)
    if spec is None:
        raise JobNotFound(job_id)
    result: list = []

    def work():
        try:
            result.append(execute(app, spec, None, new_holder(), manual=True, requested_by=requested_by))
        except Exception:  # the database itself failed: logged, the caller sees "error"
            log.exception("run now of %s failed", job_id)
            result.append(("error", None))

    thread = threading.Thread(target=work, name=f"run-now-{job_id}", daemon=True)
    thread.start()
    thread.join(wait)
    return result[0] if result else ("running", None)


def run_occurrence(app, spec: JobSpec, fire_time: datetime, holder: str, grace: float | None) -> str:
    """One due occurrence (an aware fire time from APScheduler)."""
    local = clock.to_local(fire_time)
    late = clock.now_utc() - fire_time
    if grace is not None and late > timedelta(seconds=grace):
        with app.app_context():
            lease.claim(spec.id, local, holder, outcome="skipped", error=f"missed by {late}")
        return "skipped"
    state, _run = execute(app, spec, local, holder)
    log.info("%s for %s: %s", spec.id, local.isoformat(), state)
    return state


class LeaseExecutor(BaseExecutor):
    """Runs each due occurrence through ``run_occurrence`` in a thread pool, handing it the fire time
    (APScheduler's own executors do not pass the fire time to the job)."""

    def __init__(self, app, holder: str, specs: dict[str, JobSpec], max_workers: int = 4):
        super().__init__()
        self.app, self.holder, self.specs = app, holder, specs
        self.pool = concurrent.futures.ThreadPoolExecutor(max_workers, thread_name_prefix="concord-job")

    def _do_submit_job(self, job, run_times):
        spec, grace = self.specs[job.id], job.misfire_grace_time

        def work():
            for fire_time in run_times:
                try:
                    run_occurrence(self.app, spec, fire_time, self.holder, grace)
                except Exception:  # the database failed: log, keep the process alive
                    log.exception("could not run %s for %s", job.id, fire_time)

        future = self.pool.submit(work)
        future.add_done_callback(lambda f: self._run_job_success(job.id, []))

    def shutdown(self, wait=True):
        self.pool.shutdown(wait=wait)


def _record_max_instances(app, holder):
    def listener(event):
        for fire_time in event.scheduled_run_times or ():
            with app.app_context():
                lease.claim(event.job_id, clock.to_local(fire_time), holder,
                            outcome="skipped", error="the previous run was still running")
    return listener


def build_scheduler(app, holder: str) -> tuple[BlockingScheduler, LeaseExecutor]:
    specs = job_specs(app)
    executor = LeaseExecutor(app, holder, specs, max_workers=app.config.get("SCHEDULER_WORKERS", 4))
    scheduler = BlockingScheduler(
        timezone=clock.tz(), executors={"default": executor},
        job_defaults={"coalesce": True, "max_instances": 1,
                      "misfire_grace_time": app.config.get("SCHEDULER_MISFIRE_GRACE", 300)})
    for spec in specs.values():
        scheduler.add_job(spec.func, trigger=spec.build_trigger(), id=spec.id, name=spec.id)
    scheduler.add_listener(_record_max_instances(app, holder), EVENT_JOB_MAX_INSTANCES)
    with app.app_context():
        lease.ensure_leases(specs)
    return scheduler, executor


def run_forever(app) -> None:
    """``concord scheduler``: run every declared job until SIGTERM or SIGINT."""
    if not logging.getLogger().handlers:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    holder = new_holder()
    scheduler, executor = build_scheduler(app, holder)

    def stop(signum, _frame):
        log.info("signal %s: stopping after the running jobs finish", signum)
        if scheduler.running:
            scheduler.shutdown(wait=False)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    log.info("scheduler %s started with %d jobs: %s", holder, len(scheduler.get_jobs()),
             ", ".join(j.id for j in scheduler.get_jobs()) or "none")
    try:
        scheduler.start()
    finally:
        executor.pool.shutdown(wait=True)
        with app.app_context():
            lease.release_all(holder)
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        log.info("scheduler %s stopped", holder)
