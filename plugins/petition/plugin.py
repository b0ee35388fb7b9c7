"""Wires the petition plugin into Concord through the plugin context (and nothing else)."""
from flask_babel import lazy_gettext as _l

PERMISSIONS = {
    "petition.case.read": _l("See petitions"),
    "petition.case.create": _l("Register petitions"),
    "petition.case.edit": _l("Edit petitions"),
    "petition.case.transition": _l("Move petitions through their stages"),
}
OFFICER = list(PERMISSIONS)


def setup(ctx) -> None:
    from . import api, models, public, seed, views
    from .access import can_edit, can_view, case_url

    ctx.models(models)
    ctx.permissions(PERMISSIONS, default_grants={
        "officer": OFFICER, **{role: ["petition.case.read"] for role in ("leader", "legal", "mediator")}})
    ctx.sequence("petition.case", "JS-XF-{year}-{n:05d}")
    ctx.blueprint(views.bp)
    ctx.blueprint(public.bp, url_prefix="")
    ctx.api(api.api)
    ctx.menu("petition.root", _l("Petitions"), "petition.index", "petition.case.read", order=10)
    ctx.migrations("migrations/versions")
    ctx.translations()
    from .deadlines import RULES as deadline_rules
    ctx.deadline_rules(deadline_rules)
    ctx.home_card("petition.deadlines", views.home_card, "petition.case.transition", order=10)
    from .documents import load as load_document
    ctx.pdf_template("petition.document", "templates/pdf/document.html", title="信访事项文书", loader=load_document)
    from core.scheduler import JobSpec
    from .supervision import remind_due
    ctx.job(JobSpec("petition.remind_due", remind_due, {"cron": {"hour": 8, "minute": 0}},
                    _l("Warn officers and leaders of petition time limits due soon or overdue")))
    ctx.seed("demo", seed.seed_demo)
    ctx.seed("scale", seed.seed_scale)
    from core.audit import register_record_access
    register_record_access("petition_case", can_view, can_edit, url=case_url, app=ctx.app)
