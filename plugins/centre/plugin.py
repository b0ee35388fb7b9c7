"""Wires the one-stop centre into Concord through the plugin context (and nothing else): it imports no other
plugin; routing and answers travel on the points ``centre.route_matter`` / ``centre.matter_answered``, and the
public /status page asks it through ``public.status_lookup``."""
from flask_babel import lazy_gettext as _l

PERMISSIONS = {
    "centre.case.read": _l("See the centre's cases"),
    "centre.desk.open": _l("Open the centre's pages from the menu"),
    "centre.case.register": _l("Register visitors at the centre's window"),
    "centre.case.manage": _l("Route, answer, feed back and follow up centre cases"),
    "centre.supervise": _l("Issue and escalate supervision orders (督办)"),
    "centre.meeting.manage": _l("Convene and record joint meetings"),
    "centre.rules.manage": _l("Edit the centre's units and triage rules"),
}
CLERK = ["centre.case.read", "centre.desk.open", "centre.case.register", "centre.case.manage", "centre.meeting.manage"]
LEAD = list(PERMISSIONS)
DESK = ["centre.case.read", "centre.desk.open"]


def setup(ctx) -> None:
    from core.toolkit import JobSpec
    from . import api, home, jobs, links, models, seed, services, views
    from .deadlines import RULES

    ctx.models(models)
    ctx.migrations("migrations/versions")
    ctx.permissions(PERMISSIONS, default_grants={
        "admin": LEAD, "officer": DESK, "leader": DESK, "mediator": DESK, "legal": DESK, "aid": DESK,
        # grid workers see no centre case (contract §9: 404), however their scope is drawn; no centre menu
        "grid_worker": ["centre.case.read"],
    })
    if hasattr(ctx, "role"):   # contributed roles (core.plugins.context); older cores drop the two roles
        ctx.role("centre", _l("Centre window clerk"), _l("Registers visitors once and routes their matters"),
                 grants=CLERK + ["core.personal_data.read_full"])
        ctx.role("centre_lead", _l("Centre leader"), _l("Leads the county centre: supervision, meetings, reports"),
                 grants=LEAD + ["core.personal_data.read_full"])
    ctx.sequence("centre.case", "ZX-{year}-{n:06d}", _l("Centre case code (一案一码)"))
    ctx.sequence("centre.supervision", "DB-{year}-{n:04d}", _l("Supervision order number"))
    ctx.settings({"yellow_days": 3})
    ctx.deadline_rules(RULES)
    ctx.blueprint(views.bp)
    ctx.blueprint(links.public_bp, url_prefix="")
    ctx.api(api.api)
    ctx.menu("centre.root", _l("One-stop centre"), "centre.index", "centre.desk.open", order=25)
    ctx.menu("centre.window", _l("Window: register"), "centre.new", "centre.case.register", parent="centre.root", order=10)
    ctx.menu("centre.queue", _l("Cases"), "centre.index", "centre.desk.open", parent="centre.root", order=20)
    ctx.menu("centre.board", _l("Centre board"), "centre.board", "centre.desk.open", parent="centre.root", order=30)
    ctx.menu("centre.supervisions", _l("Supervision orders"), "centre.supervisions", "centre.desk.open",
             parent="centre.root", order=40)
    ctx.menu("centre.meetings", _l("Joint meetings"), "centre.meetings", "centre.desk.open", parent="centre.root",
             order=50)
    ctx.menu("centre.rules", _l("Units and triage rules"), "centre.rules", "centre.desk.open", parent="centre.root",
             order=60)
    ctx.pdf_template("centre.slip", "templates/pdf/slip.html", title=_l("Case slip (一案一码)"), loader=views.slip_loader)
    ctx.pdf_template("centre.report", "templates/pdf/report.html", title=_l("Monthly supervision report (通报)"))
    from plugins.petition import points as petition_points     # points.py modules are the one cross-plugin import
    from . import points                                        # (the centre's own, read by convention)
    ctx.connect(points.matter_answered, services.on_matter_answered)
    ctx.connect(petition_points.status_lookup, links.status_lookup)   # the petition plugin's /status asks us
    ctx.job(JobSpec("centre.escalate_overdue", jobs.escalate_overdue, {"cron": {"hour": 8, "minute": 40}},
                    _l("Escalate overdue supervision orders to the centre's leader")))
    ctx.job(JobSpec("centre.lights", jobs.warn_lights, {"cron": {"hour": 8, "minute": 45}},
                    _l("Warn the centre of parts turning yellow or red")))
    ctx.home_card("centre.attention", home.card, "centre.case.manage", order=5)
    ctx.seed("demo", seed.seed_demo)
    ctx.seed("scale", seed.seed_scale)
    ctx.translations()
    from .access import can_edit_case, can_view_case, case_url
    ctx.record_type("centre_case", can_view_case, can_edit_case, url=case_url)
