"""KPIs, dashboards, hotspots, stability-risk assessments and statistical exports (issue 9).

Plugins contribute the counts KPIs are made of (see ``measures.py`` for the contract):

    from core.kpi import Measure
    ctx.contribute("kpi.measure", "petition.received", Measure(_l("Petitions received"), query, model=PetitionCase,
                   record_type="petition_case", keys=CHANNELS))

and the items hotspot analysis clusters: ``ctx.contribute("kpi.hotspot_source", "<plugin>.<name>",
fn(start, end, region_ids) -> iterable of {record_type, id, reference, region_id, category, text, people, at})``.
"""
from flask_babel import lazy_gettext as _l

from .measures import Chart, Column, KpiDefault, Measure, Rate, clock_query

__all__ = ["Chart", "Column", "KpiDefault", "Measure", "Rate", "clock_query"]

PERMISSIONS = {
    "core.dashboard.read": _l("See dashboards, KPIs and hotspots"),
    "core.kpi.manage": _l("Edit KPI definitions"),
    "core.kpi.report": _l("Submit monthly statistical reports"),
    "core.risk.read": _l("See stability-risk assessments"),
    "core.risk.edit": _l("Write stability-risk assessments"),
}


def setup(ctx) -> None:
    from core.scheduler import JobSpec
    from . import admin_views, hotspots, models, risk_views, views
    from .defaults import seed_defaults

    ctx.models(models, branch="core_kpi")
    ctx.migrations("kpi/migrations", branch="core_kpi")
    ctx.permissions(PERMISSIONS, default_grants={
        "admin": list(PERMISSIONS), "leader": ["core.dashboard.read", "core.kpi.report", "core.risk.read",
                                               "core.risk.edit"],
        "officer": ["core.dashboard.read", "core.kpi.report", "core.risk.read", "core.risk.edit"],
        "mediator": ["core.dashboard.read", "core.risk.read"]})
    ctx.blueprint(views.bp, url_prefix="/dashboard")
    ctx.blueprint(admin_views.bp, url_prefix="/admin/kpis")
    ctx.menu("core.dashboard", _l("Dashboard"), "dashboard.index", "core.dashboard.read", order=5)
    ctx.menu("core.hotspots", _l("Hotspots"), "dashboard.hotspots", "core.dashboard.read", parent="core.dashboard",
             order=10)
    ctx.menu("core.risks", _l("Stability-risk assessments"), "dashboard.risks", "core.risk.read",
             parent="core.dashboard", order=20)
    ctx.menu("core.report", _l("Monthly statistical report"), "dashboard.report", "core.dashboard.read",
             parent="core.dashboard", order=30)
    ctx.menu("admin.kpis", _l("KPI definitions"), "kpi_admin.index", "core.kpi.manage", parent="admin.root", order=60)
    from core.plugins.points import sync
    ctx.contribute(sync, "core.kpi", seed_defaults, "seed the national default KPIs")
    ctx.job(JobSpec("core.hotspot_digest", hotspots.weekly_digest,
                    {"cron": {"day_of_week": "mon", "hour": 8, "minute": 20}},
                    _l("Send leaders the weekly hotspot digest")))
    risk_views.register_access(ctx)
    from core.config import project_root
    import os
    ctx.pdf_template("core.kpi_report", os.path.join(project_root(), "templates", "pdf", "kpi_report.html"),
                     title="月度统计报表")
