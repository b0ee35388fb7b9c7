"""The public minutes-confirmation page (no login): the petitioner enters the 查询码 of the petition,
reads the current draft minutes and confirms them or refuses to sign (with a reason). Rate-limited per
address like the petition status page."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, render_template, request
from sqlalchemy import select

from core.toolkit import public
from core.toolkit import unit_of_work
from core.toolkit import db
from core.toolkit import ServiceError
from core.toolkit import too_many
from ..models import Hearing
from ..services import setting
from . import services as minutes

bp = Blueprint("hearing_public", __name__, template_folder="templates")
WINDOW = 600


def _limited() -> bool:
    limit = int(current_app.config.get("HEARING_CONFIRM_LIMIT") or setting("confirm_link_limit"))
    return too_many("hearing.confirm", limit, WINDOW)


def _find(code: str):
    from plugins.petition.services import by_query_code
    case = by_query_code(code)
    if case is None:
        return None, None, None
    h = db.session.scalar(select(Hearing).where(Hearing.petition_id == case.id).order_by(Hearing.id.desc()).limit(1))
    if h is None:
        return None, None, None
    v = minutes.current_version(h)
    if v is None or v.locked_at is not None:
        return h, None, None
    signer = next((p for p in minutes.signers(h) if p.role == "petitioner"), None)
    return h, v, signer


@bp.route("/hearing-confirm", methods=["GET", "POST"])
@public
def confirm():
    code = (request.form.get("code") or "").strip()
    h = v = signer = None
    done = None
    if request.method == "POST":
        if _limited():
            return render_template("hearing/confirm.html", code="", h=None, v=None, signer=None, limited=True,
                                   searched=False, sections=minutes.SECTIONS, done=None), 429
        h, v, signer = _find(code)
        status = request.form.get("status")
        if v is not None and signer is not None and status in ("confirmed", "refused"):
            try:
                with unit_of_work():
                    minutes.confirm(h, signer, status, "link", request.form.get("note", ""))
            except ServiceError as exc:
                for msg in exc.errors.values():
                    flash(str(msg), "error")
            else:
                done = status
    done = done or (next((c.status for c in v.confirmations if signer and c.participant_id == signer.id), None)
                    if v is not None else None)
    return render_template("hearing/confirm.html", code=code, h=h, v=v, signer=signer, limited=False,
                           searched=request.method == "POST", sections=minutes.SECTIONS, done=done)
