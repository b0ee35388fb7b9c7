"""The chatter panel a form view includes: ``{{ chatter(record_type, record_id) }}`` (templates/macros/views.html)
calls the ``chatter_panel`` Jinja global defined here."""
from __future__ import annotations


from flask import render_template, request
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from core.auth.models import User
from core.db import db
from core import clock
from .access import may_edit, may_view, record_access
from .forms import ActivityForm, AttachmentForm, NoteForm
from .services import history, open_activities


def assignee_choices() -> list[tuple[int, str]]:
    users = db.session.execute(select(User.id, User.display_name, User.username)
                               .where(User.active.is_(True)).order_by(User.username)).all()
    return [(u.id, f"{u.display_name} ({u.username})") for u in users]


def here() -> str:
    path = request.full_path if request.query_string else request.path
    return path.rstrip("?")


def chatter_panel(record_type: str, record_id, next_url: str | None = None) -> Markup:
    """History newest first plus note, attachment and activity forms; empty for a user who may not see it."""
    if record_access(record_type) is None or not may_view(current_user, record_type, record_id):
        return Markup("")
    can_edit = may_edit(current_user, record_type, record_id)
    forms = {}
    if can_edit:
        activity = ActivityForm(prefix="chatter-activity", formdata=None)
        activity.assignee.choices = assignee_choices()
        activity.assignee.data = current_user.id
        forms = {"note": NoteForm(prefix="chatter-note", formdata=None),
                 "attachment": AttachmentForm(prefix="chatter-file", formdata=None),
                 "activity": activity}
    html = render_template("audit/chatter_panel.html", record_type=record_type, record_id=str(record_id),
                           entries=history(record_type, record_id), todo=open_activities(record_type, record_id),
                           can_edit=can_edit, forms=forms, today=clock.today(), next_url=next_url or here())
    return Markup(html)
