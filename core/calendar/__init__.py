"""The official working-day calendar and the deadline engine (a core service).

- ``models``: holiday table (``core_holiday``), covered years, revision, deadline objects.
- ``engine`` + ``index``: contract §3 semantics on a precomputed working-day index.
- ``rules``: ``DeadlineRule`` (plugins: ``ctx.deadline_rules([...])``) and province overrides.
- ``services``: compute a rule or a period; ``deadlines``: clocks attached to records.
- ``notice`` + ``importer``: the State Council's yearly notice; ``cli``: ``concord deadline|calendar``.
"""
from flask_babel import lazy_gettext as _l


def setup(ctx) -> None:
    from . import cli, models, store, views

    ctx.models(models, branch="core_calendar")
    ctx.migrations("calendar/migrations", branch="core_calendar")
    ctx.permissions({"admin.calendar.manage": _l("Edit the holiday calendar")},
                    default_grants={"admin": ["admin.calendar.manage"]})
    ctx.blueprint(views.bp, url_prefix="/admin/calendar")
    ctx.menu("admin.calendar", _l("Holiday calendar"), "core_calendar.index", "admin.calendar.manage",
             parent="admin.root", order=40)
    ctx.cli(cli.deadline)
    ctx.cli(cli.calendar)
    from core.plugins.points import sync
    ctx.contribute(sync, "core.calendar", store.seed_from_chinese_calendar,
                   "holiday table from chinesecalendar, 2004–2026")
