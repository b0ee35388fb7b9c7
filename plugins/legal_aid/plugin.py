"""Wires the legal_aid plugin into Concord through the plugin context (and nothing else)."""
from flask_babel import lazy_gettext as _l

PERMISSIONS = {
    "legal_aid.referral.read": _l("See legal channels"),
    "legal_aid.referral.manage": _l("Refer matters to legal channels"),
    "legal_aid.channel.manage": _l("Edit the channel lists"),
    "legal_aid.aid.read": _l("See legal-aid applications"),
    "legal_aid.aid.manage": _l("Handle legal-aid applications"),
    "legal_aid.aid.apply": _l("File legal-aid applications for a person"),
}
REFERRAL_STAFF = ["legal_aid.referral.read", "legal_aid.referral.manage", "legal_aid.aid.apply"]
AID_STAFF = ["legal_aid.aid.read", "legal_aid.aid.manage", "legal_aid.aid.apply", "legal_aid.referral.read"]


def setup(ctx) -> None:
    from core.toolkit import JobSpec
    from . import access, api, home, jobs, mediation_link, models, petition_link, seed, views
    from .aid import api as aid_api, views as aid_views
    from .channels import views as channel_views
    from .deadlines import RULES as deadline_rules
    from .documents import load as load_document

    ctx.models(models)
    ctx.role("legal", _l("Legal-affairs staff"), _l("Refers matters to courts, arbitration and reconsideration"),
             grants=["core.personal_data.read_full"])
    ctx.role("aid", _l("Legal-aid officer"), _l("Decides and assigns legal-aid applications"),
             grants=["core.personal_data.read_full"])
    ctx.permissions(PERMISSIONS, default_grants={
        "officer": ["legal_aid.referral.read"], "leader": ["legal_aid.referral.read", "legal_aid.aid.read"],
        "legal": REFERRAL_STAFF + ["legal_aid.aid.read"], "aid": AID_STAFF,
        "admin": list(PERMISSIONS),
    })
    ctx.sequence("legal_aid.referral", "JS-SF-{year}-{n:05d}", _l("Referral number"))
    ctx.sequence("legal_aid.application", "JS-FY-{year}-{n:05d}", _l("Legal-aid application number"))
    ctx.blueprint(views.bp)
    ctx.blueprint(aid_views.bp, url_prefix="/legal_aid")
    ctx.blueprint(channel_views.bp, url_prefix="/legal_aid/channels")
    ctx.api(api.api)
    ctx.api(aid_api.api)
    ctx.menu_section("legal_aid.root", _l("Legal channels"), "legal_aid.index", "legal_aid.referral.read", 40, [
        ("legal_aid.referrals", _l("Referrals"), "legal_aid.index", "legal_aid.referral.read", 10),
        ("legal_aid.board", _l("Referral board"), "legal_aid.board", "legal_aid.referral.read", 15),
        ("legal_aid.stats", _l("Diversion statistics"), "legal_aid.stats", "legal_aid.referral.read", 20),
        ("legal_aid.aid", _l("Legal aid"), "legal_aid_aid.index", "legal_aid.aid.read", 30),
        ("legal_aid.providers", _l("Legal-aid providers"), "legal_aid_aid.providers", "legal_aid.aid.read", 40),
        ("legal_aid.channels", _l("Channel lists"), "legal_aid_channels.index", "legal_aid.channel.manage", 60,
         "admin.root")])
    ctx.migrations("migrations/versions")
    ctx.translations()
    from . import labels as event_labels
    event_labels.register()
    ctx.deadline_rules(deadline_rules)
    ctx.pdf_template("legal_aid.document", "templates/pdf/document.html", title="诉访分离与法律援助文书",
                     loader=load_document)
    from plugins.petition import points as petition_points
    ctx.connect(petition_points.statutory_channel, petition_link.on_petition_channel)
    if ctx.is_loaded("mediation"):
        from plugins.mediation import points as mediation_points
        ctx.connect(mediation_points.escalate_to_legal, mediation_link.on_dispute_escalated)
    if ctx.is_loaded("centre"):     # a one-stop centre routes legal-aid requests here
        from plugins.centre import points as centre_points
        from .centre_link import on_route
        ctx.connect(centre_points.route_matter, on_route)
    daily = {"cron": {"hour": 8, "minute": 20}}
    ctx.job(JobSpec("legal_aid.filing_alerts", jobs.filing_alerts, daily,
                    _l("Warn when fewer than 7 days remain before a filing deadline")))
    ctx.job(JobSpec("legal_aid.aid_reminders", jobs.aid_reminders, daily,
                    _l("Remind of legal-aid decisions, assignments, objections and missing materials")))
    ctx.job(JobSpec("legal_aid.detainee_forwarding", jobs.detainee_reminders, {"interval": {"hours": 1}},
                    _l("Remind to forward detainee applications within 24 hours")))
    ctx.home_card("legal_aid.referrals", home.referral_card, "legal_aid.referral.manage", order=30)
    ctx.home_card("legal_aid.aid", home.aid_card, "legal_aid.aid.manage", order=35)
    ctx.seed("demo", seed.seed_demo)
    __import__("plugins.legal_aid.kpis", fromlist=["register"]).register(ctx)  # KPI measures (core/kpi)
    from .channels.services import seed_defaults
    from core.toolkit import sync
    ctx.contribute(sync, "legal_aid.channels", seed_defaults, "the default channel list")
    ctx.record_type("legal_aid_referral", access.can_view_referral, access.can_edit_referral,
                    url=access.referral_url)
    ctx.record_type("legal_aid_application", access.can_view_aid, access.can_edit_aid,
                    url=access.aid_url)
