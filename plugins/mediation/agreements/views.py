"""Agreement pages: draw up (from the dispute), record signatures, download the PDF (blueprint
``mediation_agreements``, mounted at /mediation)."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.toolkit import require
from core.toolkit import unit_of_work
from core.toolkit import pdf_response, render_pdf
from core.toolkit import clock
from ..access import dispute_for
from ..forms import AgreementForm, SignForm
from ..errors import MediationError
from . import services as agreements
from .documents import pdf_data

bp = Blueprint("mediation_agreements", __name__, template_folder="../templates")


def _load(dispute_id: int):
    return dispute_for(current_user, dispute_id) or abort(404)


@bp.route("/disputes/<int:dispute_id>/agreement", methods=["GET", "POST"])
@require("mediation.dispute.mediate", "mediation.dispute.grid")
def agreement(dispute_id: int):
    d = _load(dispute_id)
    existing = agreements.agreement_of(d)
    form = AgreementForm(obj=existing)
    if existing is None and not form.is_submitted():
        form.facts.data = d.description or d.summary
        form.issues.data = d.summary
    if form.validate_on_submit():
        try:
            with unit_of_work():
                data = {k: form[k].data for k in agreements.TEXT_FIELDS + ("perform_by",)}
                data["parties"] = _particulars_from_form(d)
                agreements.save(d, data)
            flash(_("Agreement saved."), "success")
            return redirect(url_for("mediation.dispute", dispute_id=d.id))
        except MediationError as exc:
            flash(exc.message, "error")
    parties = [agreements.particulars(link) for link in d.parties]
    return render_template("mediation/agreement.html", d=d, form=form, agreement=existing, parties=parties,
                           genders=agreements.GENDERS)


def _particulars_from_form(d) -> dict:
    """party-<person id>-<field> inputs of the agreement page (人民调解法 Art 29 particulars)."""
    out = {}
    for link in d.parties:
        given = {f: request.form.get(f"party-{link.person_id}-{f}", "").strip() for f in agreements.PARTY_FIELDS}
        born = given.pop("birth_date")
        try:
            given["birth_date"] = date.fromisoformat(born) if born else None
        except ValueError:
            given["birth_date"] = "invalid"
        out[link.person_id] = given
    return out


@bp.post("/disputes/<int:dispute_id>/agreement/sign")
@require("mediation.dispute.mediate", "mediation.dispute.grid")
def agreement_sign(dispute_id: int):
    d = _load(dispute_id)
    form = SignForm()
    if not form.validate_on_submit():
        flash(_("Give the day the agreement was signed."), "error")
    else:
        try:
            with unit_of_work():
                agreements.sign(d, current_user, form.signed_on.data)
            flash(_("Agreement signed; the 30 days for judicial confirmation run."), "success")
        except MediationError as exc:
            flash(exc.message, "error")
    return redirect(url_for("mediation.dispute", dispute_id=d.id))


@bp.get("/disputes/<int:dispute_id>/agreement.pdf")
@require("mediation.dispute.read")
def agreement_pdf(dispute_id: int):
    d = _load(dispute_id)
    try:
        data = pdf_data(d)
    except MediationError as exc:
        flash(exc.message, "error")
        return redirect(url_for("mediation.dispute", dispute_id=d.id))
    pdf = render_pdf("mediation.agreement", **data)
    return pdf_response(pdf, f"{d.reference}-agreement.pdf")


def sign_form() -> SignForm:
    form = SignForm()
    form.signed_on.data = clock.today()
    return form
