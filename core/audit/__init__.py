"""Audit trail and chatter (core service).

- ``core_audit_log``: append-only events (tracked field changes, notes, full reads of personal data,
  sign-ins, attachments, activities). The app never updates or deletes a row; PostgreSQL refuses to.
- Tracked fields: ``__tracked__ = ("state", "handler", ...)`` on a model → one row per change, written
  in the same transaction (``tracking.py``); ``audit_actor(user)`` names the actor outside a request.
- Chatter: ``log_note``, ``add_attachment``, ``add_activity``, ``complete_activity``, ``history``
  (``services.py``), the ``chatter_panel`` Jinja global and the ``/chatter`` routes, guarded by the
  per-record-type hooks plugins register with ``register_record_access`` (``access.py``).
- Personal data: ``mask_id_number``, ``mask_phone``, ``reveal`` and the ``personal`` template filter.
"""
from flask_babel import lazy_gettext as _l
from core import clock

from .access import register_record_access  # noqa: F401
from .tracking import audit_actor, track  # noqa: F401


def setup(ctx) -> None:
    from flask import url_for
    from flask_login import user_logged_in

    from core.auth.models import Role, User
    from . import chatter_views, log, masking, models, panel, tracking, views

    ctx.models(models, branch="core_audit")
    ctx.migrations("audit/migrations", branch="core_audit")
    ctx.permissions({"admin.audit.read": _l("Read the audit log")})  # admin receives every new permission
    ctx.blueprint(views.bp, url_prefix="/admin/audit")
    ctx.blueprint(chatter_views.bp, url_prefix="/chatter")
    ctx.menu("admin.audit", _l("Audit log"), "audit.index", "admin.audit.read", parent="admin.root", order=50)
    ctx.home_card("core.activities", _activities_card, order=20)

    tracking.install()
    ctx.track(User, ("display_name", "active", "region", "roles"),
              labels={"display_name": _l("Display name"), "active": _l("Active"), "region": _l("Region"),
                      "roles": _l("Roles")})
    ctx.track(Role, ("name", "permissions"), labels={"name": _l("Name"), "permissions": _l("Permissions")})
    user_logged_in.connect(_on_login)

    app = ctx.app
    app.after_request(log.write_pending)
    app.teardown_request(log.write_pending_on_teardown)
    app.add_template_global(panel.chatter_panel, "chatter_panel")
    from core import labels
    app.add_template_global(labels.colon, "colon")
    app.add_template_global(labels.paren, "paren")
    app.add_template_global(labels.list_label, "list_label")
    app.add_template_global(labels.setting_label, "setting_label")
    app.add_template_global(labels.contribution_label, "contribution_label")
    app.add_template_global(labels.rule_title, "rule_title")
    app.add_template_global(labels.plugin_title, "plugin_title")
    app.add_template_global(labels.sequence_label, "sequence_label")
    app.add_template_global(labels.record_type_label, "record_type_label")
    app.add_template_global(masking.reveal_global, "reveal_personal")
    app.add_template_filter(masking.personal_filter, "personal")

    def _manages_users(user, record_id) -> bool:
        # the system administrator edits accounts, the security administrator gives their roles
        return user.can("admin.users.manage") or user.can("admin.roles.manage")

    ctx.record_type("core_user", _manages_users, _manages_users,
                    url=lambda rid: url_for("admin.user_edit", user_id=rid))


def _on_login(sender, user=None, **extra) -> None:
    from .log import log_read
    if user is not None:
        log_read("login", "core_user", user.id, user=user)


def _activities_card(user):
    from flask import url_for
    from flask_babel import gettext as _

    from .access import record_url
    from .activities import count_my_open_activities, my_open_activities

    from .access import only_visible
    todo = only_visible(user, my_open_activities(user, limit=8), key=lambda a: (a.record_type, a.record_id))
    if not todo:
        return None
    today = clock.today()
    items = [{"label": a.summary,
              "url": record_url(a.record_type, a.record_id)
              or url_for("chatter.page", record_type=a.record_type, record_id=a.record_id),
              "due": a.due_date.isoformat() if a.due_date else None,
              "status": ("overdue" if a.due_date < today else "open") if a.due_date else None}
             for a in todo]
    return {"title": _("My activities"), "count": count_my_open_activities(user), "items": items}
