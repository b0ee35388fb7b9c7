"""Wires the petition plugin into Concord through the plugin context (and nothing else)."""
from flask_babel import lazy_gettext as _l

PERMISSIONS = {
    "petition.case.read": _l("See petitions"),
    "petition.case.create": _l("Register petitions"),
    "petition.case.edit": _l("Edit petitions"),
    "petition.case.transition": _l("Move petitions through their stages"),
    "petition.backlog.manage": _l("Assign leaders and plans to backlog cases"),
    "petition.backlog.lead": _l("Lead backlog cases (包案)"),
    "petition.reception.manage": _l("Keep the leader reception rota and bookings"),
}
OFFICER = [p for p in PERMISSIONS if p != "petition.backlog.lead"]


def setup(ctx) -> None:
    from . import api, home, models, public, seed, views
    from .backlog import access as backlog_access, models as backlog_models, views as backlog_views
    from .reception import models as reception_models, views as reception_views
    from .access import can_edit, can_view, case_url

    ctx.role("officer", _l("Petition officer"), _l("Registers and routes petitions for the whole district"),
             grants=["core.personal_data.read_full"])
    ctx.role("leader", _l("Responsible leader"), _l("Takes on backlog cases (包案) and watches the figures"))
    ctx.models(models)
    ctx.models(backlog_models)
    ctx.models(reception_models)
    ctx.permissions(PERMISSIONS, default_grants={
        "officer": OFFICER, "leader": ["petition.case.read", "petition.backlog.lead"],
        **{role: ["petition.case.read"] for role in ("legal", "mediator")}})
    ctx.sequence("petition.case", "JS-XF-{year}-{n:05d}")
    ctx.blueprint(views.bp)
    ctx.blueprint(backlog_views.bp, url_prefix="/petition/backlog")
    ctx.blueprint(reception_views.bp, url_prefix="/petition/reception")
    ctx.blueprint(public.bp, url_prefix="")
    ctx.api(api.api)
    ctx.menu_section("petition.root", _l("Petitions"), "petition.index", "petition.case.read", 10, [
        ("petition.warnings", _l("Warnings"), "petition.warnings", "petition.case.read", 15),
        ("petition.backlog", _l("Backlog cases"), "petition_backlog.index", "petition.case.read", 20),
        ("petition.backlog_mine", _l("My backlog cases (包案)"), "petition_backlog.mine", "petition.backlog.lead", 30),
        ("petition.reception", _l("Leader reception"), "petition_reception.index", "petition.case.read", 40)])
    ctx.migrations("migrations/versions")
    ctx.translations()
    from . import labels as event_labels
    event_labels.register()
    from .deadlines import RULES as deadline_rules
    ctx.deadline_rules(deadline_rules)
    ctx.home_card("petition.deadlines", home.deadlines_card, "petition.case.transition", order=10)
    ctx.home_card("petition.backlog_mine", home.leader_card, "petition.backlog.lead", order=5)
    from .documents import load as load_document
    ctx.pdf_template("petition.document", "templates/pdf/document.html", title="信访事项文书", loader=load_document)
    from core.toolkit import JobSpec
    from .supervision import remind_due
    ctx.job(JobSpec("petition.remind_due", remind_due, {"cron": {"hour": 8, "minute": 0}},
                    _l("Warn officers and leaders of petition time limits due soon or overdue")))
    from .supervision import weekly_digest
    ctx.job(JobSpec("petition.weekly_digest", weekly_digest, {"cron": {"day_of_week": "mon", "hour": 8, "minute": 5}},
                    _l("Send leaders the weekly petition warnings (预警信息)")))
    from .backlog.services import scan_job
    ctx.job(JobSpec("petition.backlog_scan", scan_job, {"cron": {"hour": 7, "minute": 30}},
                    _l("Flag backlog cases by rule (past time limits, repeated, re-check contested)")))
    if ctx.is_loaded("hearing"):   # a hearing's conclusion feeds the next written opinion
        from plugins.hearing import points as hearing_points
        from .services import on_hearing_concluded
        ctx.connect(hearing_points.concluded, on_hearing_concluded)
    if ctx.is_loaded("centre"):     # a one-stop centre routes matters to the register
        from plugins.centre import points as centre_points
        from .centre_link import on_route
        ctx.connect(centre_points.route_matter, on_route)
    ctx.seed("demo", seed.seed_demo)
    __import__("plugins.petition.kpis", fromlist=["register"]).register(ctx)  # KPI measures (core/kpi)
    ctx.seed("scale", seed.seed_scale)
    ctx.record_type("petition_case", can_view, can_edit, url=case_url)
    ctx.record_type("petition_backlog", backlog_access.can_view, backlog_access.can_edit, url=backlog_access.backlog_url)
