"""Who may see or change one hearing (chatter, views, the audit log): the petition's region scope."""
from flask import url_for

from core.toolkit import db
from core.toolkit import in_scope
from .models import Hearing


def hearing_for(user, record_id) -> Hearing | None:
    try:
        h = db.session.get(Hearing, int(record_id))
    except (TypeError, ValueError):
        return None
    return h if h is not None and in_scope(user, h.region_id) else None


def load(hearing_id: int) -> Hearing:
    """The hearing of a page's URL, if the signed-in user's scope reaches it (else 404)."""
    from flask import abort
    from flask_login import current_user
    return hearing_for(current_user, hearing_id) or abort(404)


def can_view(user, record_id) -> bool:
    return bool(user.can("hearing.hearing.read") and hearing_for(user, record_id))


def can_edit(user, record_id) -> bool:
    return bool((user.can("hearing.hearing.manage") or user.can("hearing.hearing.run"))
                and hearing_for(user, record_id))


def hearing_url(record_id) -> str:
    return url_for("hearing.hearing", hearing_id=int(record_id))


def petition_case_link(case, user) -> dict | None:
    """The petition plugin's ``petition.case_link`` extension point: on a backlog case, the hearing held
    on it (when one is under way), else the way to request one."""
    from flask_babel import gettext as _
    from sqlalchemy import select
    from .services import OPEN
    if not user.can("hearing.hearing.read"):
        return None
    h = db.session.scalar(select(Hearing).where(Hearing.petition_id == case.id, Hearing.state.in_(OPEN))
                          .order_by(Hearing.id.desc()).limit(1))
    if h is not None:
        return {"label": _("Hearing %(ref)s", ref=h.reference), "url": hearing_url(h.id)}
    if user.can("hearing.hearing.manage"):
        return {"label": _("Request a hearing"), "url": url_for("hearing.new", petition_id=case.id)}
    return None
