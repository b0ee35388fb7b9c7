from flask import Blueprint, jsonify, render_template
from flask_babel import gettext as _
from flask_login import current_user

from core.auth.guard import login_only, public
from core.plugins import host

bp = Blueprint("shell", __name__)


@bp.get("/")
@login_only
def home():
    cards = []
    for item in sorted(host().items("home_card"), key=lambda c: (c.value[2], c.key)):
        fn, permission, _order = item.value
        if permission and not current_user.can(permission):
            continue
        card = fn(current_user)
        if isinstance(card, (list, tuple)) and card:   # a plugin answered its lines only: give them a card
            card = {"title": _("Needs attention"), "items": list(card), "count": len(card)}
        if card:
            cards.append(card)
    return render_template("home.html", cards=cards)


@bp.get("/healthz")
@public
def healthz():
    """For the reverse proxy and monitoring: 200 when the database answers, 503 when it does not."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError
    from core.db import db
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="error", database="unavailable"), 503
    return jsonify(status="ok", database="ok")
