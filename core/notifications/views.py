"""The inbox: every signed-in user's own notifications, newest first; marking read is a POST."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from core.auth.guard import login_only
from core.db import db
from .models import Notification
from .services import inbox_query, mark_all_read, mark_read, unread_count

bp = Blueprint("notifications", __name__)
PER_PAGE = 30


def _safe(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    if not url.startswith("/") or url.startswith("//") or parts.scheme or parts.netloc or "\\" in url:
        return None
    return url


@bp.get("/")
@login_only
def index():
    try:
        page = max(1, min(10**6, int(request.args.get("page", 1))))
    except ValueError:
        page = 1
    total = db.session.scalar(select(func.count(Notification.id)).where(Notification.user_id == current_user.id))
    items = db.session.scalars(inbox_query(current_user).limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    pages = max(1, -(-total // PER_PAGE))
    return render_template("notifications/inbox.html", items=items, page=page, pages=pages, total=total,
                           unread=unread_count(current_user), safe=_safe)


@bp.post("/<int:notification_id>/read")
@login_only
def read(notification_id: int):
    n = mark_read(current_user, notification_id)
    if n is None:
        abort(404)
    db.session.commit()
    target = _safe(n.url) if request.form.get("open") else None
    return redirect(target or url_for("notifications.index"))


@bp.post("/read-all")
@login_only
def read_all():
    count = mark_all_read(current_user)
    db.session.commit()
    flash(_("%(n)d notifications marked read.", n=count), "success")
    return redirect(url_for("notifications.index"))
