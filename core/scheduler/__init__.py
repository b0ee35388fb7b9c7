"""Scheduler service: jobs declared by plugins (``ctx.job(JobSpec(...))``), run by the one
``concord scheduler`` process under a database lease; runs recorded; admin page with "run now"."""
from flask_babel import lazy_gettext as _l

from .spec import JobSpec, build_trigger

__all__ = ["JobSpec", "build_trigger", "setup"]


def setup(ctx) -> None:
    from . import api, jobs, models, views
    ctx.models(models, branch="core_scheduler")
    ctx.migrations("scheduler/migrations", branch="core_scheduler")
    ctx.permissions({"admin.jobs.manage": _l("See scheduled jobs and run them now")})
    ctx.blueprint(views.bp, url_prefix="/admin/jobs")
    ctx.menu("admin.jobs", _l("Scheduled jobs"), "scheduler.index", "admin.jobs.manage", parent="admin.root", order=50)
    ctx.api(api.bp)
    ctx.job(JobSpec("core.housekeeping", jobs.housekeeping, {"cron": {"hour": 3, "minute": 30}},
                    _l("Delete expired API tokens and old job runs")))
    ctx.job(JobSpec("core.planner_statistics", jobs.planner_statistics, {"cron": {"hour": 3, "minute": 45}},
                    _l("Refresh the database's planner statistics (ANALYZE)")))
    tick = ctx.app.config.get("SCHEDULER_TICK_SECONDS")
    if tick:
        ctx.job(JobSpec("core.tick", jobs.tick, {"interval": {"seconds": int(tick)}},
                        _l("Diagnostic tick (CONCORD_SCHEDULER_TICK_SECONDS)"), lease_seconds=60))
