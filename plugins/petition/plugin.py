"""Wires the petition plugin into Concord through the plugin context (and nothing else)."""
from flask_babel import lazy_gettext as _l


def setup(ctx) -> None:
    from . import public, views

    ctx.permissions(
        {"petition.case.read": _l("See petitions")},
        default_grants={role: ["petition.case.read"] for role in ['officer', 'leader', 'legal', 'mediator']},
    )
    ctx.blueprint(views.bp)
    ctx.blueprint(public.bp, url_prefix="")
    ctx.menu("petition.root", _l("Petitions"), "petition.index", "petition.case.read", order=10)
    ctx.migrations("migrations/versions")
    ctx.translations()
    from .deadlines import RULES as deadline_rules
    ctx.deadline_rules(deadline_rules)
