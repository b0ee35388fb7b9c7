"""Wires the mediation plugin into Concord through the plugin context (and nothing else)."""
from flask_babel import lazy_gettext as _l

PERMISSIONS = {
    "mediation.dispute.read": _l("See disputes"),
    "mediation.dispute.create": _l("Log disputes"),
    "mediation.dispute.mediate": _l("Mediate disputes"),
    "mediation.dispute.grid": _l("Resolve disputes on the spot or hand them up (own grid)"),
    "mediation.dispute.escalate": _l("Escalate disputes"),
    "mediation.dispute.close": _l("Close disputes (销号)"),
    "mediation.grid.manage": _l("Manage grids and grid workers"),
    "mediation.report.read": _l("See monthly dispute ledgers"),
    "mediation.report.submit": _l("Submit monthly dispute ledgers"),
}
DISPUTE_ALL = ["mediation.dispute.read", "mediation.dispute.create", "mediation.dispute.mediate",
               "mediation.dispute.escalate", "mediation.dispute.close"]


def setup(ctx) -> None:
    from flask import url_for

    from . import api, home, kpis, models, seed, views
    from .agreements import documents as agreement_documents, models as agreement_models, views as agreement_views
    from .committees import api as committee_api, models as committee_models, views as committee_views
    from .grids import views as grid_views
    from .reports import api as report_api, documents as report_documents, models as report_models, views as report_views
    from .access import dispute_for
    from .deadlines import RULES as deadline_rules

    ctx.role("mediator", _l("Mediator"), _l("Mediates disputes and runs hearings"))
    ctx.role("grid_worker", _l("Grid worker"), _l("Logs disputes in their own grid"))
    ctx.permissions(PERMISSIONS, default_grants={
        "grid_worker": ["mediation.dispute.read", "mediation.dispute.create", "mediation.dispute.grid"],
        "mediator": DISPUTE_ALL + ["mediation.report.read", "mediation.report.submit"],
        "officer": ["mediation.dispute.read", "mediation.report.read"],
        "leader": ["mediation.dispute.read", "mediation.report.read"],
        "admin": DISPUTE_ALL + ["mediation.grid.manage", "mediation.report.read", "mediation.report.submit"],
    })
    for module in (models, agreement_models, committee_models, report_models):
        ctx.models(module)
    ctx.migrations("migrations/versions")
    ctx.sequence("mediation.dispute", "JS-TJ-{year}-{n:05d}", _l("Dispute ledger number"))
    ctx.blueprint(views.bp)
    for sub in (agreement_views, committee_views, grid_views, report_views):   # each sub-feature's own blueprint
        ctx.blueprint(sub.bp, url_prefix="/mediation")
    ctx.api(api.api)
    ctx.api(committee_api.api)
    ctx.api(report_api.api)
    ctx.menu_section("mediation.root", _l("Mediation"), "mediation.index", "mediation.dispute.read", 30, [
        ("mediation.capture", _l("Log a dispute"), "mediation.capture", "mediation.dispute.create", 10),
        ("mediation.ledger", _l("Dispute ledger"), "mediation.index", "mediation.dispute.read", 20),
        ("mediation.grids", _l("Grids"), "mediation_grids.grids", "mediation.dispute.read", 30),
        ("mediation.committees", _l("Mediation committees"), "mediation_committees.committees", "mediation.dispute.read", 35),
        ("mediation.reports", _l("Monthly ledger"), "mediation_reports.report", "mediation.report.read", 40)])
    ctx.pdf_template("mediation.agreement", "templates/pdf/agreement.html", title=_l("Mediation agreement"),
                     loader=agreement_documents.pdf_loader)
    ctx.pdf_template("mediation.ledger", "templates/pdf/ledger.html", title=_l("Monthly dispute ledger"),
                     loader=report_documents.pdf_loader)
    from core.toolkit import JobSpec
    from . import jobs
    from .risks import SETTINGS as risk_settings
    ctx.settings({"report_due_day": 20, "photo_max_kb": 5120, **risk_settings})
    from core.toolkit import register_setting_labels
    register_setting_labels({
        "mediation.report_due_day": _l("Monthly ledger due on day"),
        "mediation.photo_max_kb": _l("Largest photo (KB)"),
        "mediation.risk_levels": _l("Risk levels, highest first"),
        "mediation.risk_labels": _l("Risk level names (level=name)"),
        "mediation.risk_colours": _l("Risk colours (level=colour)"),
        "mediation.risk_alerts": _l("Who is alerted per risk level"),
    })
    daily = {"cron": {"hour": 8, "minute": 10}}
    ctx.job(JobSpec("mediation.overdue", jobs.overdue_mediations, daily, _l("Remind mediators of overdue mediations")))
    ctx.job(JobSpec("mediation.red_risk", jobs.red_risk_waiting, {"cron": {"minute": 5}},
                    _l("Alert again about red-risk disputes still waiting")))
    ctx.job(JobSpec("mediation.report_reminder", jobs.report_reminders, daily,
                    _l("Remind units of the monthly dispute ledger")))
    ctx.job(JobSpec("mediation.performance", jobs.performance_follow_up, daily,
                    _l("Follow up agreements whose performance date has passed")))
    ctx.home_card("mediation.my_items", home.card, "mediation.dispute.read", order=40)
    kpis.register(ctx)  # KPI measures (core/kpi)
    ctx.seed("demo", seed.seed_demo)
    ctx.seed("scale", seed.seed_scale)
    if ctx.is_loaded("centre"):     # a one-stop centre routes disputes to a mediation committee
        from plugins.centre import points as centre_points
        from .centre_link import on_route
        ctx.connect(centre_points.route_matter, on_route)
    ctx.translations()
    from . import labels as event_labels
    event_labels.register()
    ctx.deadline_rules(deadline_rules)
    from .court import plugin as court  # court-linked mediation, roster, reviews, 以案定补 (issue 21)
    court.setup(ctx)

    def _can_view(user, record_id) -> bool:
        return user.can("mediation.dispute.read") and dispute_for(user, record_id) is not None

    def _can_edit(user, record_id) -> bool:
        return ((user.can("mediation.dispute.mediate") or user.can("mediation.dispute.create"))
                and dispute_for(user, record_id) is not None)

    ctx.record_type("mediation_dispute", _can_view, _can_edit,
                    url=lambda rid: url_for("mediation.dispute", dispute_id=rid))

