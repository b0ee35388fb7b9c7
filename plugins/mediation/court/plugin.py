"""Wires court-linked mediation (issue 21) into the plugin context: ``setup`` is called from the plugin's own
``plugin.setup``."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

PERMISSIONS = {
    "mediation.court.read": _l("See court-commissioned cases"),
    "mediation.court.register": _l("Register and import court cases"),
    "mediation.court.assign": _l("Assign mediators to court cases"),
    "mediation.court.mediate": _l("Mediate court cases"),
    "mediation.roster.manage": _l("Manage the mediator roster"),
    "mediation.review.score": _l("Score case files (卷宗评查)"),
    "mediation.review.configure": _l("Edit the case-file review checklist"),
    "mediation.subsidy.read": _l("See case-based subsidy reports (以案定补)"),
    "mediation.subsidy.submit": _l("Submit case-based subsidy reports"),
}
COURT_WORK = ["mediation.court.read", "mediation.court.register", "mediation.court.assign", "mediation.court.mediate"]


def setup(ctx) -> None:
    from flask import url_for

    from . import api, documents, kpis, models, seed, views
    from .cli import mediation_cli
    from .deadlines import RULES
    from .subsidy import SETTINGS

    ctx.permissions(PERMISSIONS, default_grants={
        "mediator": COURT_WORK + ["mediation.subsidy.read"],
        "officer": ["mediation.court.read", "mediation.subsidy.read"],
        "leader": ["mediation.court.read", "mediation.review.score", "mediation.subsidy.read",
                   "mediation.subsidy.submit"],
        "admin": list(PERMISSIONS),
    })
    ctx.models(models)
    ctx.deadline_rules(RULES)
    ctx.sequence("mediation.court", "JS-SD-{year}-{n:05d}", _l("Court-commissioned case number"))
    ctx.blueprint(views.bp, url_prefix="/mediation")
    ctx.api(api.api)
    ctx.cli(mediation_cli)
    ctx.settings(SETTINGS)
    ctx.menu("mediation.court", _l("Court-commissioned cases"), "mediation_court.court_index", "mediation.court.read",
             parent="mediation.root", order=50)
    ctx.menu("mediation.roster", _l("Mediator roster"), "mediation_court.roster", "mediation.court.read",
             parent="mediation.root", order=55)
    ctx.menu("mediation.reviews", _l("Case-file reviews"), "mediation_court.reviews", "mediation.review.score",
             parent="mediation.root", order=58)
    ctx.menu("mediation.subsidy", _l("Case-based subsidies"), "mediation_court.subsidy", "mediation.subsidy.read",
             parent="mediation.root", order=60)
    ctx.pdf_template("mediation.court_handback", "templates/pdf/court_handback.html",
                     title=_l("Hand-back pack (调解终结)"), loader=documents.handback_loader)
    ctx.pdf_template("mediation.court_confirmation", "templates/pdf/court_confirmation.html",
                     title=_l("Judicial confirmation application"), loader=documents.confirmation_loader)
    ctx.pdf_template("mediation.subsidy_report", "templates/pdf/subsidy.html", title=_l("Case-based subsidy report"),
                     loader=documents.subsidy_loader)
    kpis.register(ctx)
    from core.toolkit import JobSpec
    from . import home, jobs
    ctx.job(JobSpec("mediation.court_clocks", jobs.remind_court_clocks, {"cron": {"hour": 8, "minute": 15}},
                    _l("Remind mediators of court mediation clocks falling due")))
    ctx.home_card("mediation.court_cases", home.card, "mediation.court.mediate", order=45)
    from core.toolkit import register_actions, register_record_type, register_setting_labels
    register_setting_labels({
        "mediation.subsidy_rates": _l("Case-based subsidy rates (grade:outcome=yuan)"),
        "mediation.subsidy_pass_percent": _l("Case-file review pass mark (%)"),
    })
    register_record_type("mediation_court_case", _l("Court-commissioned case"))
    register_actions("mediation.", {"court_received": _l("Court case received"),
                                    "court_recusal": _l("Mediator refused for a conflict")})
    from .workflow import TRANSITIONS
    register_actions("mediation.court.", {a: t.label for a, t in TRANSITIONS.items()})
    ctx.seed("demo", seed.seed_demo)

    def _can_view(user, record_id) -> bool:
        from .access import case_for
        return user.can("mediation.court.read") and case_for(user, record_id) is not None

    def _can_edit(user, record_id) -> bool:
        from .access import case_for
        return user.can("mediation.court.mediate") and case_for(user, record_id) is not None

    ctx.record_type("mediation_court_case", _can_view, _can_edit,
                    url=lambda rid: url_for("mediation_court.court_case", case_id=rid))
