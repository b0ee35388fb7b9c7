"""Database side of running a job: the lease (no two processes run one job at the same time) and the
run record (a due occurrence runs once). Each function commits its own short transaction, so a lease
is visible to the other processes before the job starts.

The lease is taken with one conditional UPDATE (``… WHERE job_id = ? AND (expires_at < now OR holder =
me)``): atomic on SQLite (one writer at a time) and on PostgreSQL (a concurrent UPDATE of the same row
waits, then re-checks the WHERE clause against the committed row and finds it taken).
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from core.db import db
from .models import JobLease, JobRun
from .spec import local_now

ERROR_MAX = 8000


def ensure_leases(job_ids) -> None:
    """Create the lease row of each job that has none (expired, so free)."""
    have = set(db.session.scalars(select(JobLease.job_id)))
    for job_id in job_ids:
        if job_id in have:
            continue
        try:
            db.session.add(JobLease(job_id=job_id, holder="", expires_at=datetime(2000, 1, 1)))
            db.session.commit()
        except IntegrityError:
            db.session.rollback()


def acquire(job_id: str, holder: str, seconds: int) -> bool:
    """Take the job's lease for *seconds*; False when another holder has it."""
    now = local_now()
    result = db.session.execute(
        update(JobLease)
        .where(JobLease.job_id == job_id, or_(JobLease.expires_at < now, JobLease.holder == holder))
        .values(holder=holder, expires_at=now + timedelta(seconds=seconds))
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 1:
        db.session.commit()
        return True
    exists = db.session.scalar(select(JobLease.job_id).where(JobLease.job_id == job_id))
    db.session.rollback()
    if exists is not None:
        return False
    try:
        db.session.add(JobLease(job_id=job_id, holder=holder, expires_at=now + timedelta(seconds=seconds)))
        db.session.commit()
        return True
    except IntegrityError:  # another process created it first, and holds it
        db.session.rollback()
        return False


def release(job_id: str, holder: str) -> None:
    db.session.rollback()
    db.session.execute(
        update(JobLease).where(JobLease.job_id == job_id, JobLease.holder == holder)
        .values(expires_at=local_now()).execution_options(synchronize_session=False)
    )
    db.session.commit()


def release_all(holder: str) -> None:
    db.session.execute(update(JobLease).where(JobLease.holder == holder, JobLease.expires_at > local_now())
                       .values(expires_at=local_now()).execution_options(synchronize_session=False))
    db.session.commit()


def claim(job_id: str, scheduled_for: datetime | None, holder: str, *, manual: bool = False,
          requested_by: str | None = None, outcome: str = "running", error: str | None = None) -> int | None:
    """Record a run (``running``, or ``skipped`` with a reason); None when this occurrence already has
    a run (it ran, or is running, elsewhere)."""
    now = local_now()
    run = JobRun(job_id=job_id, scheduled_for=scheduled_for, manual=manual, requested_by=requested_by,
                 started_at=now, holder=holder, outcome=outcome, error=error,
                 finished_at=now if outcome != "running" else None)
    db.session.add(run)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return None
    return run.id


def finish(run_id: int, outcome: str, error: str | None = None) -> None:
    db.session.rollback()
    db.session.execute(
        update(JobRun).where(JobRun.id == run_id)
        .values(outcome=outcome, error=error[-ERROR_MAX:] if error else None, finished_at=local_now())
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
