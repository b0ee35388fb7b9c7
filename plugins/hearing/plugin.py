"""Wires the hearing plugin into Concord through the plugin context (and nothing else)."""
from flask_babel import lazy_gettext as _l

PERMISSIONS = {
    "hearing.hearing.read": _l("See hearings"),
    "hearing.hearing.manage": _l("Take hearing applications, decide, schedule and pick the panel"),
    "hearing.hearing.run": _l("Run hearings and keep their minutes"),
    "hearing.pool.manage": _l("Keep the panelist pool, rooms and text modules"),
}
RUNNERS = list(PERMISSIONS)


def setup(ctx) -> None:
    from . import models
    from .calendar import models as calendar_models
    from .minutes import models as minutes_models
    from .pool import models as pool_models

    ctx.models(models)
    ctx.models(pool_models)
    ctx.models(minutes_models)
    ctx.models(calendar_models)
    ctx.role("mediator", _l("Mediator"), _l("Mediates disputes and runs hearings"))  # shared with mediation
    ctx.permissions(PERMISSIONS, default_grants={"officer": RUNNERS, "mediator": RUNNERS,
                                                 "leader": ["hearing.hearing.read"]})
    ctx.settings({
        # local hearing rules (domain.md §2): vary by province, so configurable
        "panel_size_min": 3,
        "panel_size_max": 7,
        "default_duration_minutes": 120,
        "confirm_link_limit": 30,   # public minutes-confirmation look-ups per address per 10 minutes
        "local_rules": "",          # the province's own hearing rules, e.g. 湖南省信访事项听证办法 (a setting, never a default)
    })
    from core.toolkit import register_setting_labels
    register_setting_labels({
        "hearing.panel_size_min": _l("Smallest panel"), "hearing.panel_size_max": _l("Largest panel"),
        "hearing.default_duration_minutes": _l("Default hearing length (minutes)"),
        "hearing.confirm_link_limit": _l("Public minutes look-ups per address per 10 minutes"),
        "hearing.local_rules": _l("The province's hearing rules (title), cited as the legal basis"),
    })
    ctx.sequence("hearing.hearing", "JS-TZ-{year}-{n:04d}")
    ctx.migrations("migrations/versions")
    ctx.translations()
    from . import labels as event_labels
    event_labels.register()
    from .deadlines import RULES as deadline_rules
    ctx.deadline_rules(deadline_rules)
    from . import seed
    ctx.seed("demo", seed.seed_demo)
    from . import kpis
    kpis.register(ctx)                      # KPI measures (core/kpi)
    _web(ctx)
    _documents(ctx)
    from core.toolkit import JobSpec
    from .jobs import remind
    ctx.job(JobSpec("hearing.remind", remind, {"cron": {"hour": 8, "minute": 5}},
                    _l("Remind of hearing decisions, notices, hearing days and conclusion service")))


def _web(ctx) -> None:
    from . import api, views
    from .access import can_edit, can_view, hearing_url, petition_case_link
    from .calendar import views as calendar_views
    from .minutes import public, views as minutes_views
    from .pool import views as pool_views
    ctx.blueprint(views.bp)
    ctx.blueprint(pool_views.bp)            # /hearing/pool, /hearing/rooms
    ctx.blueprint(minutes_views.bp)         # /hearing/<id>/minutes…, the PDFs, /hearing/export, /hearing/modules
    ctx.blueprint(calendar_views.bp)        # /hearing/calendar, /hearing/<id>.ics, /hearing/feed…
    ctx.blueprint(public.bp, url_prefix="")
    ctx.api(api.api)
    ctx.menu_section("hearing.root", _l("Hearings"), "hearing.index", "hearing.hearing.read", 20, [
        ("hearing.calendar", _l("Hearing calendar"), "hearing_calendar.calendar", "hearing.hearing.read", 10),
        ("hearing.pool", _l("Panelist pool"), "hearing_pool.pool", "hearing.hearing.read", 20)])
    from .home import upcoming
    from plugins.petition import points as petition_points
    ctx.contribute(petition_points.case_link, "hearing.request", petition_case_link,
                   detail="a backlog case links to its hearing, or offers to request one")
    ctx.home_card("hearing.upcoming", upcoming, "hearing.hearing.read", order=20)
    ctx.record_type("hearing_hearing", can_view, can_edit, url=hearing_url)


def _documents(ctx) -> None:
    from .minutes.documents import load
    ctx.pdf_template("hearing.minutes", "templates/pdf/minutes.html", title="听证笔录", loader=load)
    ctx.pdf_template("hearing.document", "templates/pdf/document.html", title="听证文书")
