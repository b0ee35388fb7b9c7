"""Court-linked mediation pages (on the mediation blueprint): the court cases (list, register, import, one
case with its steps, hand-back record and documents), the roster, the review checklist and form, and the
monthly 以案定补 report (xlsx and PDF). Views parse, authorise, call a service, render."""
from __future__ import annotations

import io

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select

from core.toolkit import clock
from core.toolkit import require
from core.toolkit import User
from core.toolkit import deadline_rows
from core.toolkit import db
from core.toolkit import pdf_response, render_pdf
from core.toolkit import chosen_action, perform, unit_of_work
from core.toolkit import Column, Filter, ListView
from . import services as cs
from . import workflow as wf
from .access import case_for, visible_cases
from .documents import subsidy_pdf_data
from .models import GRADES, KINDS, MEDIATOR_KINDS, PROCEDURES, RULINGS, CourtCase
from ..committees.models import Committee
from ..models import CATEGORIES

bp = Blueprint("mediation_court", __name__, template_folder="../templates")


def _load(case_id: int) -> CourtCase:
    return case_for(current_user, case_id) or abort(404)


def _form_ok() -> bool:
    if FlaskForm().validate_on_submit():
        return True
    flash(_("The form has expired; try again."), "error")
    return False


# -- list, register, import ------------------------------------------------------------------------
def _stats(stmt) -> dict:
    sub = stmt.subquery()
    rows = db.session.execute(select(sub.c.state, sub.c.agreement_signed_on, sub.c.mediation_days,
                                     sub.c.ruling)).all()
    concluded = [r for r in rows if r.state in wf.CONCLUDED]
    success = [r for r in concluded if r.agreement_signed_on is not None]
    days = [r.mediation_days for r in concluded if r.mediation_days is not None]
    confirmed = [r for r in success if r.ruling == "confirmed"]
    pct = lambda a, b: f"{100 * len(a) / len(b):.0f}%" if b else "—"  # noqa: E731
    return {"received": len(rows), "concluded": len(concluded), "success_rate": pct(success, concluded),
            "average_days": f"{sum(days) / len(days):.1f}" if days else "—",
            "confirmation_rate": pct(confirmed, success)}


@bp.get("/court/")
@require("mediation.court.read")
def court_index():
    base = visible_cases(current_user)
    view = ListView(base, [
        Column("reference", _("Number"), link=lambda c: url_for("mediation_court.court_case", case_id=c.id),
               sort=CourtCase.reference),
        Column("court", _("Court")),
        Column("court_case_no", _("Court case number"), sort=CourtCase.court_case_no),
        Column("kind", _("Kind"), value=lambda c: c.kind_label),
        Column("category", _("Dispute category"), value=lambda c: c.category_label),
        Column("received_at", _("Received"), value=lambda c: c.received_at.strftime("%Y-%m-%d"),
               sort=CourtCase.received_at),
        Column("mediator", _("Mediator"), value=lambda c: c.mediator.display_name if c.mediator else ""),
        Column("state", _("State"), value=lambda c: c.state_label, sort=CourtCase.state),
    ], search=[CourtCase.reference, CourtCase.court_case_no, CourtCase.claim], filters=[
        Filter("state", _("State"), [(k, str(v)) for k, v in wf.STATES.items()],
               lambda s, v: s.where(CourtCase.state == v)),
        Filter("kind", _("Kind"), [(k, str(v)) for k, v in KINDS.items()], lambda s, v: s.where(CourtCase.kind == v)),
    ], default_sort=[CourtCase.received_at.desc(), CourtCase.id.desc()], export_name="court-cases")
    if view.export_requested():
        return view.export()
    may_register = current_user.can("mediation.court.register")
    return render_template("mediation/court/index.html", view=view, page=view.page(), stats=_stats(base),
                           new_url=url_for("mediation_court.court_new") if may_register else None, may_register=may_register)


def _party_rows(form) -> list[dict]:
    rows = []
    for role in ("plaintiff", "defendant"):
        name = (form.get(f"{role}_name") or "").strip()
        if name or role == "plaintiff":
            rows.append({"name": name, "role": role, "phone": form.get(f"{role}_phone") or None,
                         "id_number": form.get(f"{role}_id_number") or None, "address": form.get(f"{role}_address")})
    return rows


@bp.route("/court/new", methods=["GET", "POST"])
@require("mediation.court.register")
def court_new():
    errors, values = {}, {}
    if request.method == "POST" and _form_ok():
        values = request.form.to_dict()
        data = {k: values.get(k) for k in ("court", "court_case_no", "kind", "procedure", "category", "received_at",
                                           "claim", "judge_name", "judge_phone", "file_note")}
        data["parties"] = _party_rows(request.form)
        try:
            with unit_of_work():
                case = cs.register_case(current_user, data)
            flash(_("Court case %(ref)s registered.", ref=case.reference), "success")
            return redirect(url_for("mediation_court.court_case", case_id=case.id))
        except cs.CourtError as exc:
            errors = exc.errors
    return render_template("mediation/court/new.html", errors=errors, values=values, kinds=KINDS,
                           procedures=PROCEDURES, categories=CATEGORIES, form=FlaskForm(),
                           today=clock.now().strftime("%Y-%m-%dT%H:%M"))


@bp.route("/court/import", methods=["GET", "POST"])
@require("mediation.court.register")
def court_import():
    from .importer import COLUMNS, ImportFailed, import_batch
    problems, message = [], ""
    if request.method == "POST" and _form_ok():
        upload = request.files.get("file")
        if upload is None or not upload.filename:
            message = _("Choose a file.")
        else:
            try:
                with unit_of_work():
                    batch, cases = import_batch(upload.filename, upload.stream.read(5_000_001),
                                                cs.default_region(current_user), current_user)
                flash(_("%(n)s court cases imported (batch %(id)s).", n=len(cases), id=batch.id), "success")
                return redirect(url_for("mediation_court.court_index", **{"search": ""}))
            except ImportFailed as exc:
                problems = exc.rows
                message = "" if problems else exc.message
    return render_template("mediation/court/import.html", form=FlaskForm(), problems=problems, message=message,
                           columns=",".join(COLUMNS))


# -- one case ----------------------------------------------------------------------------------------
@bp.get("/court-cases/<int:case_id>")
@require("mediation.court.read")
def court_case(case_id: int):
    c = _load(case_id)
    shown = ["received", "assigned", "mediating", "succeeded" if c.agreement_signed_on else "failed", "closed"]
    bar = wf.WORKFLOW.available_actions(
        c, current_user, post_url=lambda a: url_for("mediation_court.court_step", case_id=c.id, step=a),
        open_url=lambda a: url_for("mediation_court.court_case", case_id=c.id, act=a) + "#act", forms=wf.FORMS,
        version=c.version)
    actions = [a.code for a in bar]
    chosen = chosen_action(bar)
    from .review import items
    return render_template("mediation/court/case.html", c=c, stages=[(k, str(wf.STATES[k])) for k in shown],
                           actions=actions, bar=bar, chosen=chosen, transitions=wf.TRANSITIONS, clocks=deadline_rows(c),
                           suggestions=cs.suggestions(c) if "assign" in actions else [],
                           missing=cs.handback_missing(c) if c.handback is not None else [],
                           rulings=RULINGS, today=clock.today().isoformat(),
                           may_review=current_user.can("mediation.review.score") and c.state in wf.CONCLUDED,
                           review_items=items(c.review.grade) if c.review else [])


def _date_field(name: str):
    raw = (request.form.get(name) or "").strip()
    return raw or None


_STEPS = {
    "assign": lambda c: cs.assign(c, current_user, _mediator(), request.form.get("note") or ""),
    "receipt": lambda c: cs.receipt(c, current_user, _date_field("on")),
    "extend": lambda c: cs.extend(c, current_user, _date_field("on"), request.form.get("note") or ""),
    "succeed": lambda c: cs.succeed(c, current_user, request.form.get("terms") or "", _date_field("on")),
    "fail": lambda c: cs.fail(c, current_user, request.form.get("reason") or "", _date_field("on")),
    "handback": lambda c: cs.hand_back(c, current_user),
    "ruling": lambda c: cs.record_ruling(c, current_user, request.form.get("ruling") or "",
                                         request.form.get("ruling_no") or "", _date_field("on")),
}


def _mediator() -> User | None:
    raw = (request.form.get("mediator_id") or "").strip()
    if not raw:
        return None
    user = db.session.get(User, int(raw)) if raw.isdigit() and len(raw) < 10 else None
    if user is None or not user.active:
        raise cs.CourtError({"mediator_id": _("No such user.")})
    return user


@bp.post("/court-cases/<int:case_id>/step/<step>")
@require("mediation.court.read")
def court_step(case_id: int, step: str):
    c = _load(case_id)
    if step not in _STEPS:
        abort(404)
    if not current_user.can(wf.WORKFLOW.permission_of(step)):
        abort(403)
    if wf.TRANSITIONS[step].confirm and request.form.get("confirm") != "1":
        flash(_("Tick the confirmation to go ahead."), "error")
        return redirect(url_for("mediation_court.court_case", case_id=case_id, act=step) + "#act")
    if _form_ok():
        perform(c, lambda: _STEPS[step](c), _("Saved."))
    return redirect(url_for("mediation_court.court_case", case_id=case_id))


@bp.post("/court-cases/<int:case_id>/handback-record")
@require("mediation.court.mediate")
def court_handback_record(case_id: int):
    c = _load(case_id)
    if _form_ok():
        f = request.form
        data = {k: f.get(k, "") for k in ("undisputed_facts", "disputed_points", "evidence")}
        data["facts_signed_on"] = _date_field("facts_signed_on")
        data["addresses"] = {p.id: {"address": f.get(f"address_{p.id}", ""), "confirmed": f.get(f"confirmed_{p.id}") == "1"}
                             for p in c.parties}
        perform(c, lambda: cs.save_handback(c, current_user, data), _("Hand-back record saved."))
    return redirect(url_for("mediation_court.court_case", case_id=case_id) + "#handback")


def _pdf(case_id: int, kind: str):
    from .documents import confirmation_data, handback_data
    c = _load(case_id)
    try:
        data = handback_data(c) if kind == "handback" else confirmation_data(c)
    except cs.CourtError as exc:
        flash(exc.message, "error")
        return redirect(url_for("mediation_court.court_case", case_id=c.id))
    pdf = render_pdf("mediation.court_handback" if kind == "handback" else "mediation.court_confirmation", **data)
    return pdf_response(pdf, f"{c.reference}-{kind}.pdf", download=True)


@bp.get("/court-cases/<int:case_id>/handback.pdf")
@require("mediation.court.read")
def court_handback_pdf(case_id: int):
    return _pdf(case_id, "handback")


@bp.get("/court-cases/<int:case_id>/confirmation.pdf")
@require("mediation.court.read")
def court_confirmation_pdf(case_id: int):
    return _pdf(case_id, "confirmation")


@bp.get("/court-cases/<int:case_id>/handback.json")
@require("mediation.court.read")
def court_handback_json(case_id: int):
    import json
    from .documents import handback_export
    c = _load(case_id)
    try:
        data = handback_export(c)
    except cs.CourtError as exc:
        flash(exc.message, "error")
        return redirect(url_for("mediation_court.court_case", case_id=c.id))
    return Response(json.dumps(data, ensure_ascii=False, indent=1), mimetype="application/json",
                    headers={"Content-Disposition": f"attachment; filename={c.reference}-handback.json"})


# -- review (卷宗评查) ---------------------------------------------------------------------------------
def _review_page(record, back_url: str, title: str, subtitle: str):
    from .review import items, review_of, score
    existing = review_of(record)
    grade = request.values.get("grade") or (existing.grade if existing else "ordinary")
    if grade not in GRADES:
        grade = "ordinary"
    if request.method == "POST" and _form_ok():
        awarded = {i.code: request.form.get(f"item_{i.code}", "0") for i in items(grade)}
        if perform(record, lambda: score(record, current_user, grade, awarded, request.form.get("note") or ""),
                   _("Review saved."), version_required=False):
            return redirect(back_url)
    given = (existing.scores if existing and existing.grade == grade else {})
    return render_template("mediation/court/review.html", title=title, subtitle=subtitle, back_url=back_url,
                           grade=grade, grades=GRADES, items=items(grade), given=given, form=FlaskForm())


@bp.route("/court-cases/<int:case_id>/review", methods=["GET", "POST"])
@require("mediation.review.score")
def court_review(case_id: int):
    c = _load(case_id)
    return _review_page(c, url_for("mediation_court.court_case", case_id=c.id), c.reference,
                        f"{c.court_case_no} · {c.state_label} · {c.mediator.display_name if c.mediator else ''}")


@bp.route("/reviews/dispute/<int:dispute_id>", methods=["GET", "POST"])
@require("mediation.review.score")
def dispute_review(dispute_id: int):
    from ..access import dispute_for
    d = dispute_for(current_user, dispute_id) or abort(404)
    return _review_page(d, url_for("mediation_court.reviews"), d.reference,
                        f"{d.summary} · {d.state_label} · {d.mediator.display_name if d.mediator else ''}")


@bp.get("/reviews")
@require("mediation.review.score")
def reviews():
    """The review queue: concluded court cases and closed disputes in scope, unreviewed first."""
    from ..access import visible_disputes
    from .models import CaseReview
    from ..models import Dispute
    cases = db.session.scalars(visible_cases(current_user).where(CourtCase.state.in_(wf.CONCLUDED))
                               .order_by(CourtCase.ended_on.desc(), CourtCase.id.desc()).limit(200)).all()
    disputes = db.session.scalars(visible_disputes(current_user).where(Dispute.state == "closed")
                                  .order_by(Dispute.closed_at.desc(), Dispute.id.desc()).limit(200)).all()
    done = {("d", r.dispute_id): r for r in db.session.scalars(select(CaseReview).where(
        CaseReview.dispute_id.in_([d.id for d in disputes] or [0])))}
    rows = [{"kind": _("Court case"), "reference": c.reference, "what": c.court_case_no,
             "mediator": c.mediator.display_name if c.mediator else "",
             "ended": c.ended_on.isoformat() if c.ended_on else "", "review": c.review,
             "url": url_for("mediation_court.court_review", case_id=c.id)} for c in cases]
    rows += [{"kind": _("Dispute"), "reference": d.reference, "what": d.summary,
              "mediator": d.mediator.display_name if d.mediator else "",
              "ended": d.closed_at.strftime("%Y-%m-%d") if d.closed_at else "", "review": done.get(("d", d.id)),
              "url": url_for("mediation_court.dispute_review", dispute_id=d.id)} for d in disputes]
    rows.sort(key=lambda r: (r["review"] is not None, r["ended"]), reverse=False)
    return render_template("mediation/court/reviews.html", rows=rows)


@bp.route("/review-checklist", methods=["GET", "POST"])
@require("mediation.review.configure")
def review_checklist():
    from .review import checklist_text, save_checklist
    grade = request.values.get("grade") or "ordinary"
    if grade not in GRADES:
        abort(404)
    text = None
    if request.method == "POST" and _form_ok():
        text = request.form.get("checklist") or ""
        try:
            with unit_of_work():
                save_checklist(grade, text)
            flash(_("Checklist saved."), "success")
            return redirect(url_for("mediation_court.review_checklist", grade=grade))
        except cs.CourtError as exc:
            flash(exc.message, "error")
    return render_template("mediation/court/checklist.html", grade=grade, grades=GRADES, form=FlaskForm(),
                           text=text if text is not None else checklist_text(grade))


# -- roster --------------------------------------------------------------------------------------------
@bp.get("/roster")
@require("mediation.court.read")
def roster():
    from .roster import roster_rows
    return render_template("mediation/court/roster.html", rows=roster_rows(), kinds=MEDIATOR_KINDS,
                           manage=current_user.can("mediation.roster.manage"))


@bp.route("/roster/<int:user_id>", methods=["GET", "POST"])
@require("mediation.roster.manage")
def roster_edit(user_id: int):
    from .roster import save_profile
    user = db.session.get(User, user_id) or abort(404)
    profile = cs.profile_of(user)
    if request.method == "POST" and _form_ok():
        f = request.form
        data = {"user_id": user.id, "kind": f.get("kind"), "specialties": f.getlist("specialties"),
                "languages": f.get("languages", ""), "committee_id": f.get("committee_id") or None,
                "qualifications": f.get("qualifications", ""), "training_hours": f.get("training_hours") or 0,
                "available": f.get("available") == "1", "max_load": f.get("max_load") or 10}
        try:
            with unit_of_work():
                save_profile(current_user, profile, data)
            flash(_("Roster entry saved."), "success")
            return redirect(url_for("mediation_court.roster"))
        except cs.CourtError as exc:
            flash(exc.message, "error")
    committees = db.session.scalars(select(Committee).order_by(Committee.name)).all()
    return render_template("mediation/court/roster_edit.html", u=user, p=profile, kinds=MEDIATOR_KINDS,
                           categories=CATEGORIES, committees=committees, form=FlaskForm())


# -- 以案定补 -------------------------------------------------------------------------------------------
def _subsidy_args():
    from ..reports.views import month_arg, region_arg
    return region_arg(), month_arg()


@bp.get("/subsidy")
@require("mediation.subsidy.read")
def subsidy():
    from core.toolkit import region_choices
    from .subsidy import current
    region, month = _subsidy_args()
    data, frozen = current(region, month)
    return render_template("mediation/court/subsidy.html", region=region, month=month, data=data, frozen=frozen,
                           form=FlaskForm(), regions=region_choices(current_user, "town", keep=region),
                           may_submit=current_user.can("mediation.subsidy.submit"))


@bp.post("/subsidy/submit")
@require("mediation.subsidy.submit")
def subsidy_submit():
    from .subsidy import submit
    region, month = _subsidy_args()
    if _form_ok():
        try:
            with unit_of_work():
                submit(current_user, region, month)
            flash(_("Subsidy report submitted and frozen."), "success")
        except cs.CourtError as exc:
            flash(exc.message, "error")
    return redirect(url_for("mediation_court.subsidy", region=region.code, month=month))


@bp.get("/subsidy.pdf")
@require("mediation.subsidy.read")
def subsidy_pdf():
    region, month = _subsidy_args()
    pdf = render_pdf("mediation.subsidy_report", **subsidy_pdf_data(region, month))
    return pdf_response(pdf, f"subsidy-{region.code}-{month}.pdf", download=True)


@bp.get("/subsidy.xlsx")
@require("mediation.subsidy.read")
def subsidy_xlsx():
    from decimal import Decimal

    from openpyxl import Workbook
    from .subsidy import current
    region, month = _subsidy_args()
    data, frozen = current(region, month)
    wb = Workbook()
    ws = wb.active
    ws.title = _("By mediator")[:31]
    ws.append([_("Case-based subsidies"), region.name, month,
               _("Frozen snapshot") if frozen else _("Live figures")])
    ws.append([_("Mediator"), _("Committee"), _("Reviewed cases"), _("Agreements"), _("Failed, handed back"),
               _("Amount (yuan)")])
    for m in data["mediators"]:
        ws.append([m["mediator"], m["committee"], m["cases"], m["success"], m["failure"], Decimal(m["amount"])])
    ws.append([_("Total"), "", "", "", "", Decimal(data["total"])])
    ws2 = wb.create_sheet(_("By committee")[:31])
    ws2.append([_("Committee"), _("Reviewed cases"), _("Amount (yuan)")])
    for c in data["committees"]:
        ws2.append([c["committee"], c["cases"], Decimal(c["amount"])])
    ws3 = wb.create_sheet(_("Cases")[:31])
    ws3.append([_("Number"), _("Court case number"), _("Mediator"), _("Grade"), _("Outcome"), _("Score"),
                _("Rate (yuan)"), _("Amount (yuan)"), _("Note")])
    for ln in data["lines"]:
        ws3.append([ln["reference"], ln["court_case_no"], ln["mediator"], ln["grade"], ln["outcome_label"],
                    ln["score"], Decimal(ln["rate"]), Decimal(ln["amount"]), ln["note"]])
    buf = io.BytesIO()
    wb.save(buf)
    return Response(buf.getvalue(), mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    headers={"Content-Disposition": f"attachment; filename=subsidy-{region.code}-{month}.xlsx"})
