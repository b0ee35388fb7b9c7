"""Core's own scheduled jobs."""
from __future__ import annotations

import os
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete

from core.auth.models import ApiToken
from core.db import db
from core import clock
from .models import JobRun
from .spec import local_now


def housekeeping() -> None:
    """Daily: delete expired API tokens, and job runs older than SCHEDULER_RUN_RETENTION_DAYS (90)."""
    db.session.execute(delete(ApiToken).where(ApiToken.expires_at < clock.now()))
    keep = int(current_app.config.get("SCHEDULER_RUN_RETENTION_DAYS", 90))
    db.session.execute(delete(JobRun).where(JobRun.started_at < local_now() - timedelta(days=keep),
                                            JobRun.outcome != "running"))


def planner_statistics() -> None:
    """Nightly: refresh the database's planner statistics, so list pages keep using their indexes as
    tables grow."""
    from core.db import refresh_planner_statistics
    refresh_planner_statistics()


def tick() -> None:
    """Enabled by CONCORD_SCHEDULER_TICK_SECONDS (tests, diagnostics): appends "fire-time holder" to
    CONCORD_SCHEDULER_TICK_FILE, one line per run, so each occurrence's runs can be counted."""
    from .runner import current_run
    run = current_run()
    path = current_app.config.get("SCHEDULER_TICK_FILE")
    if path and run is not None:
        line = f"{run.scheduled_for.isoformat() if run.scheduled_for else 'manual'} {run.holder}\n"
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode())
        finally:
            os.close(fd)
