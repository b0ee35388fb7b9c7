"""Notifications (core service): an in-app inbox per user and pluggable delivery channels.

``notify(users, title, body, url=None, record=None)`` (``services.py``); plugins add channels with
``ctx.contribute("notification_channel", "<plugin>.<name>", channel)`` where ``channel.send(message)``.
The top bar shows the unread count; the home page shows a card with the unread items.
"""

def setup(ctx) -> None:
    from . import models, views

    ctx.models(models, branch="core_notifications")
    ctx.migrations("notifications/migrations", branch="core_notifications")
    ctx.blueprint(views.bp, url_prefix="/notifications")
    ctx.home_card("core.notifications", _home_card, order=10)
    ctx.app.add_template_global(_unread_for_current_user, "notifications_unread")


def _unread_for_current_user() -> int:
    """The top bar's badge: on a GET (which changes no notification) the count read with the signed-in user
    (core.security.sessions, one query for both), else counted now."""
    from flask import request
    from flask_login import current_user
    from .services import unread_count
    if not getattr(current_user, "is_authenticated", False):
        return 0
    loaded = current_user.__dict__.get("_unread_at_load") if request.method in ("GET", "HEAD") else None
    return loaded if loaded is not None else unread_count(current_user)


def _home_card(user):
    from flask import url_for
    from flask_babel import gettext as _
    from .services import unread, unread_count

    count = unread_count(user)
    if not count:
        return None
    inbox = url_for("notifications.index")
    items = [{"label": n.title, "url": f"{inbox}#n-{n.id}"} for n in unread(user, limit=5)]
    return {"title": _("Unread notifications"), "url": inbox, "count": count, "items": items}
