"""Wires the hearing plugin into Concord through the plugin context (and nothing else)."""
from flask_babel import lazy_gettext as _l


def setup(ctx) -> None:
    from . import views

    ctx.permissions(
        {"hearing.hearing.read": _l("See hearings")},
        default_grants={role: ["hearing.hearing.read"] for role in ['officer', 'leader', 'mediator']},
    )
    ctx.settings({
        # local hearing rules (domain.md §2): vary by province, so configurable
        "panel_size_min": 3,
        "panel_size_max": 7,
    })
    ctx.blueprint(views.bp)
    ctx.menu("hearing.root", _l("Hearings"), "hearing.index", "hearing.hearing.read", order=20)
    ctx.migrations("migrations/versions")
    ctx.translations()
