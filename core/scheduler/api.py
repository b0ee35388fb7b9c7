"""``/api/v1/jobs``: the scheduled jobs and their last runs; ``POST /jobs/{id}/actions/run`` runs one now."""
from __future__ import annotations

from datetime import datetime
from typing import Literal

from flask import current_app
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from pydantic import BaseModel, Field

from core.api import ApiBlueprint, ApiError
from .runner import JobNotFound, run_job_now
from .services import overview

bp = ApiBlueprint("core_api_scheduler", __name__, tag="jobs")


class RunOut(BaseModel):
    id: int
    scheduled_for: datetime | None = Field(description="the fire time it ran for; null for run-now")
    manual: bool
    started_at: datetime
    finished_at: datetime | None
    outcome: Literal["running", "ok", "error", "skipped"]
    error: str | None


class JobOut(BaseModel):
    id: str
    plugin: str
    description: str
    trigger: str
    next_run: datetime | None
    runs: list[RunOut] = Field(description="the last runs, newest first")


class RunNowOut(BaseModel):
    state: Literal["ok", "error", "running"]
    run: int | None


def _job_out(view) -> JobOut:
    return JobOut(id=view.id, plugin=view.plugin, description=str(view.spec.description),
                  trigger=view.spec.describe_trigger(), next_run=view.next_run,
                  runs=[RunOut.model_validate(r, from_attributes=True) for r in view.runs])


@bp.operation("GET", "/jobs", summary=_l("Scheduled jobs and their last runs"), permission="admin.jobs.manage",
              response=list[JobOut])
def list_jobs():
    return [_job_out(v) for v in overview(current_app)]


@bp.operation("POST", "/jobs/<job_id>/actions/run", summary=_l("Run a job now"), permission="admin.jobs.manage",
              response=RunNowOut, path_params={"job_id": _l("the job's id, e.g. core.housekeeping")},
              extensions={"x-concord-action": "run"})
def run_job(job_id: str):
    try:
        state, run_id = run_job_now(job_id, requested_by=current_user.username)
    except JobNotFound:
        raise ApiError(404) from None
    if state == "busy":
        raise ApiError(409, "busy", str(_l("The job is running right now; try again when it has finished.")))
    return RunNowOut(state=state, run=run_id)

