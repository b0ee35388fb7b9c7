"""Wires the mediation plugin into Concord through the plugin context (and nothing else)."""
from flask_babel import lazy_gettext as _l


def setup(ctx) -> None:
    from . import views

    ctx.permissions(
        {"mediation.dispute.read": _l("See mediation")},
        default_grants={role: ["mediation.dispute.read"] for role in ['officer', 'leader', 'mediator', 'grid_worker', 'legal']},
    )
    ctx.blueprint(views.bp)
    ctx.menu("mediation.root", _l("Mediation"), "mediation.index", "mediation.dispute.read", order=30)
    ctx.migrations("migrations/versions")
    ctx.translations()
    from .deadlines import RULES as deadline_rules
    ctx.deadline_rules(deadline_rules)
