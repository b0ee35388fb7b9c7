"""Wires the legal_aid plugin into Concord through the plugin context (and nothing else)."""
from flask_babel import lazy_gettext as _l


def setup(ctx) -> None:
    from . import views

    ctx.permissions(
        {"legal_aid.referral.read": _l("See legal channels")},
        default_grants={role: ["legal_aid.referral.read"] for role in ['officer', 'leader', 'legal', 'aid']},
    )
    ctx.blueprint(views.bp)
    ctx.menu("legal_aid.root", _l("Legal channels"), "legal_aid.index", "legal_aid.referral.read", order=40)
    ctx.migrations("migrations/versions")
    ctx.translations()
    from .deadlines import RULES as deadline_rules
    ctx.deadline_rules(deadline_rules)
