"""The centre on the public /status page (through ``petition.status_lookup``, no import of the petition plugin):
a case code shows each matter's kind, stage and summary — no name, ID number or phone — and, once the person was
told the result, a rating form posting here."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, request, url_for
from flask_babel import gettext as _

from core.toolkit import public
from core.toolkit import unit_of_work
from core.toolkit import too_many
from . import services
from .models import RATINGS

STATUS_POINT = "petition.status_lookup"
public_bp = Blueprint("centre_public", __name__)


def status_lookup(_sender=None, code: str = "", **_kw) -> dict | None:
    case = services.by_code(code)
    if case is None:
        return None
    return {"code": case.code, "stage": case.state_label,
            "matters": [{"kind": m.kind_label, "stage": m.state_label, "summary": m.summary} for m in case.matters],
            "rating": {"url": url_for("centre_public.rate"), "choices": [(k, str(v)) for k, v in RATINGS.items()],
                       "open": services.can_rate(case), "done": case.rating is not None}}


@public_bp.post("/status/centre-rating")
@public
def rate():
    if too_many("centre_rating", int(current_app.config.get("PETITION_STATUS_LIMIT", 30))):
        return redirect(url_for("petition_public.status")), 303
    code = (request.form.get("code") or "")[:30]
    case = services.by_code(code)
    if case is None:
        flash(_("No case has this code. Check the code and try again."), "error")
        return redirect(url_for("petition_public.status"))
    try:
        with unit_of_work():
            services.rate(case, request.form.get("rating") or "")
    except services.CentreError as exc:
        for msg in exc.errors.values():
            flash(msg, "error")
    else:
        flash(_("Thank you. Your rating has been recorded."), "success")
    return redirect(url_for("petition_public.status", code=case.code))
