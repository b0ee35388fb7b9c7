"""What the admin page and the jobs API show: each declared job with its trigger, next run and last runs."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from core.db import db
from .models import JobLease, JobRun
from .runner import job_specs
from .spec import JobSpec


@dataclass
class JobView:
    spec: JobSpec
    plugin: str
    next_run: object
    runs: list[JobRun] = field(default_factory=list)
    lease: JobLease | None = None

    @property
    def id(self) -> str:
        return self.spec.id


def overview(app, runs_per_job: int = 5) -> list[JobView]:
    host = app.extensions["concord"]
    owners = {c.key: c.plugin for c in host.items("job")}
    specs = job_specs(app)
    ranked = select(JobRun, func.row_number().over(partition_by=JobRun.job_id,
                                                    order_by=(JobRun.started_at.desc(), JobRun.id.desc())).label("n")
                    ).where(JobRun.job_id.in_(list(specs))).subquery()
    recent = select(JobRun).join(ranked, JobRun.id == ranked.c.id).where(ranked.c.n <= runs_per_job) \
        .order_by(JobRun.job_id, JobRun.started_at.desc(), JobRun.id.desc())
    runs: dict[str, list[JobRun]] = {}
    for run in db.session.scalars(recent):
        runs.setdefault(run.job_id, []).append(run)
    leases = {lease.job_id: lease for lease in db.session.scalars(select(JobLease).where(JobLease.job_id.in_(list(specs))))}
    return [JobView(spec, owners.get(job_id, ""), spec.next_run(), runs.get(job_id, []), leases.get(job_id))
            for job_id, spec in sorted(specs.items())]
