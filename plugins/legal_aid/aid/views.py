"""Legal-aid pages (blueprint ``legal_aid_aid``, under /legal_aid): the queue with each item's clock, the intake form (prefilled from a referral for early
aid), one application with its actions and documents, and the provider list."""
from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from core.toolkit import require
from core.toolkit import unit_of_work
from core.toolkit import rule_title
from core.toolkit import chosen_action, status_actions
from core.toolkit import clock_columns, deadline_rows, listed_clock
from core.toolkit import db
from core.toolkit import Organisation
from core.toolkit import in_scope, scope_condition, scope_key
from core.toolkit import region_choices
from core.toolkit import Column, Filter, ListView, listed, row_link
from .. import documents, services
from ..forms import (AidNewForm, EarlyAidForm, ObjectionDecisionForm, ProviderChoiceForm, ProviderForm, ReasonForm,
                    ReportForm, SupplementForm, TerminateForm, TextForm)
from ..models import AID_STATES, DOCUMENTS, ELIGIBILITY, MATTERS, AidApplication, Provider, Referral
from . import services as aid

bp = Blueprint("legal_aid_aid", __name__)

AID_STAGES = ["received", "granted", "assigned", "closed", "archived"]
SIMPLE = ("forward", "supplied", "lapse", "grant", "archive")
AID_CONFIRMS = {
    "refuse": _l("the applicant is told in writing that legal aid is refused, with the reason, and of the right to "
                 "object (法律援助法 第四十九条)."),
    "terminate": _l("legal aid ends for the ground given; the applicant and the provider are told (法律援助法 第四十八条)."),
}


def _clock(row) -> str:
    """A listed application's running clock due first (read by the list's statement): its rule, due date and
    whether it is overdue or paused."""
    d = listed_clock(row)
    if d is None or d["status"] not in ("open", "overdue", "paused"):
        return ""
    if d["status"] == "paused":
        return _("%(rule)s paused", rule=rule_title(d["rule"]))
    return f"{rule_title(d['rule'])} · {d['due']}" + (" · " + _("overdue") if d["status"] == "overdue" else "")


def _listed_statement():
    """The applications in the user's scope with what the list shows, as Core rows (issue 22: each application
    and its applicant as ORM objects); the applicant's name and the running clock due first by subqueries
    asked for the page's rows only."""
    from core.toolkit import Person
    applicant = select(Person.name).where(Person.id == AidApplication.applicant_id).scalar_subquery() \
        .label("applicant")
    return select(AidApplication.id, AidApplication.reference, AidApplication.received_at, applicant,
                  AidApplication.matter_type, AidApplication.state,
                  *clock_columns(AidApplication.__tablename__, AidApplication.id, running=True)) \
        .where(scope_condition(AidApplication.region_id, current_user))


@bp.get("/aid/")
@require("legal_aid.aid.read")
def index():
    def where(col):
        return lambda stmt, v: stmt.where(col == v)
    view = ListView(listed("legal_aid_aid.index", scope_key(current_user), _listed_statement), [
        Column("reference", _("Reference"), link=row_link("legal_aid_aid.item", app_id="id"),
               sort=AidApplication.reference),
        Column("received_at", _("Received at"), value=lambda a: a.received_at.strftime("%Y-%m-%d"),
               sort=AidApplication.received_at),
        Column("applicant", _("Applicant")),
        Column("matter", _("Matter"), value=lambda a: str(MATTERS.get(a.matter_type, a.matter_type))),
        Column("clock", _("Clock"), value=_clock),
        Column("state", _("Stage"), labels=AID_STATES, sort=AidApplication.state),
    ], search=[AidApplication.reference, AidApplication.summary], filters=[
        Filter("state", _("Stage"), list(AID_STATES.items()), where(AidApplication.state)),
    ], default_sort=[AidApplication.id.desc()], export_name="legal-aid", core_rows=True)
    if view.export_requested():
        return view.export()
    return render_template("legal_aid/aid_index.html", view=view, page=view.page(),
                           can_create=current_user.can("legal_aid.aid.apply"))


def _referral(ref_id) -> Referral | None:
    ref = db.session.get(Referral, int(ref_id)) if str(ref_id or "").isdigit() else None
    return ref if ref is not None and in_scope(current_user, ref.region_id) else None


@bp.route("/aid/new", methods=["GET", "POST"])
@require("legal_aid.aid.apply")
def new():
    form = AidNewForm()
    form.region_id.choices = region_choices(current_user, deepest="village")
    ref = _referral(request.args.get("referral") or form.referral_id.data)
    if request.method == "GET":
        form.region_id.data = str(current_user.region_id or "")
        if ref is not None:      # early aid from a referral near its filing deadline
            form.referral_id.data = str(ref.id)
            form.region_id.data = str(ref.region_id)
            form.summary.data = ref.request
            if ref.person:
                form.name.data, form.phone.data, form.id_number.data = ref.person.name, ref.person.phone, ref.person.id_number
            d = services.filing_deadline(ref)
            if d:
                form.limitation_due.data = date.fromisoformat(d["due"])
    if form.validate_on_submit():
        region_id = int(form.region_id.data)
        if not in_scope(current_user, region_id):
            form.region_id.errors.append(_("Choose a region in your scope."))
            return render_template("legal_aid/aid_new.html", form=form, referral=ref)
        try:
            with unit_of_work():
                app = aid.create_application(
                    applicant={"name": form.name.data, "id_number": form.id_number.data or None,
                               "phone": form.phone.data or None},
                    person_id=ref.person_id if ref is not None and ref.person and ref.person.name == form.name.data else None,
                    region_id=region_id, matter_type=form.matter_type.data, summary=form.summary.data,
                    opposing_party=form.opposing_party.data or "", exempt_group=form.exempt_group.data or None,
                    hardship_evidence=form.hardship_evidence.data or None, documents_missing=form.documents_missing.data,
                    detainee=form.detainee.data, referral=ref, limitation_due=form.limitation_due.data, user=current_user)
        except aid.AidError as exc:
            for key, msg in exc.errors.items():
                target = getattr(form, key.split(".")[-1], None) if key else None
                (target.errors.append(msg) if target is not None and isinstance(target.errors, list)
                 else flash(msg, "error"))
            return render_template("legal_aid/aid_new.html", form=form, referral=ref)
        flash(_("Application %(ref)s received.", ref=app.reference), "success")
        return redirect(url_for("legal_aid_aid.item", app_id=app.id))
    return render_template("legal_aid/aid_new.html", form=form, referral=ref)


def _load(app_id: int) -> AidApplication:
    app = db.session.get(AidApplication, app_id)
    if app is None or not in_scope(current_user, app.region_id):
        abort(404)
    return app


def _providers():
    return [("", "—")] + [(str(p.id), f"{p.name} · {p.kind_label}" + (f" · {p.organisation.name}" if p.organisation else ""))
                          for p in db.session.scalars(select(Provider).where(Provider.active.is_(True))
                                                      .order_by(Provider.name))]


def _forms(app: AidApplication) -> dict:
    forms = {"supplement": SupplementForm(prefix="supplement"), "refuse": ReasonForm(prefix="refuse"),
             "assign": ProviderChoiceForm(prefix="assign"), "early_aid": EarlyAidForm(prefix="early_aid"),
             "object": TextForm(prefix="object"), "decide_objection": ObjectionDecisionForm(prefix="decide_objection"),
             "terminate": TerminateForm(prefix="terminate"), "close": ReportForm(prefix="close")}
    choices = _providers()
    forms["assign"].provider_id.choices = choices
    forms["early_aid"].provider_id.choices = choices
    if request.method == "GET" and app.limitation_due:
        forms["early_aid"].limitation_due.data = app.limitation_due
    return forms


@bp.get("/aid/<int:app_id>")
@require("legal_aid.aid.read")
def item(app_id: int):
    app = _load(app_id)
    labels = aid.action_labels()
    allowed = aid.allowed_actions(app) if current_user.can("legal_aid.aid.manage") else []
    forms = _forms(app)
    actions = status_actions([a for a in allowed if a in SIMPLE or a in forms], labels,
                             post_url=lambda a: url_for("legal_aid_aid.act", app_id=app.id, action=a),
                             open_url=lambda a: url_for("legal_aid_aid.item", app_id=app.id, act=a) + "#act",
                             direct=SIMPLE, primary=("grant",), confirms=AID_CONFIRMS, version=app.version)
    current = {"supplementing": "received", "refused": "granted", "objection": "granted", "withdrawn": "received",
               "terminated": "closed"}.get(app.state, app.state)
    return render_template("legal_aid/aid_item.html", a=app, stages=[(s, AID_STATES[s]) for s in AID_STAGES],
                           current=current, actions=actions, allowed=allowed, labels=labels, forms=forms,
                           chosen=chosen_action(actions),
                           deadlines=deadline_rows(app), documents=documents.aid_available(app),
                           matters=MATTERS, eligibility=ELIGIBILITY, doc_labels=DOCUMENTS)


@bp.get("/aid/<int:app_id>/document/<kind>.pdf")
@require("legal_aid.aid.read")
def document(app_id: int, kind: str):
    from core.toolkit import record_document
    app = _load(app_id)
    return record_document("legal_aid.document", app.reference, kind, documents.aid_available(app),
                           lambda k: documents.aid_document(app, k))


# each declared step (aid.WORKFLOW) → how the page's form calls its service
WEB_STEPS = {
    "forward": lambda app, f: aid.forwarded(app),
    "supplement": lambda app, f: aid.request_supplement(app, f.documents_missing.data, f.supplement_by.data),
    "supplied": lambda app, f: aid.materials_supplied(app),
    "lapse": lambda app, f: aid.lapse(app),
    "early_aid": lambda app, f: aid.start_early_aid(app, f.provider_id.data, f.limitation_due.data),
    "grant": lambda app, f: aid.grant(app),
    "refuse": lambda app, f: aid.refuse(app, f.reason.data),
    "assign": lambda app, f: aid.assign(app, f.provider_id.data),
    "object": lambda app, f: aid.object_to(app, f.text.data),
    "decide_objection": lambda app, f: aid.decide_objection(app, f.upheld.data == "yes", f.text.data),
    "terminate": lambda app, f: aid.terminate(app, f.ground.data, f.text.data),
    "close": lambda app, f: aid.close(app, f.report.data),
    "archive": lambda app, f: aid.archive(app),
}
# POST /aid/<app_id>/act/<action> (endpoint legal_aid_aid.act)
aid.WORKFLOW.act_route(bp, "/aid/<int:app_id>", _load, WEB_STEPS, _forms,
                       lambda app: url_for("legal_aid_aid.item", app_id=app.id))


@bp.route("/providers", methods=["GET", "POST"])
@require("legal_aid.aid.read")
def providers():
    form = ProviderForm()
    orgs = db.session.scalars(select(Organisation).where(Organisation.active.is_(True)).order_by(Organisation.name))
    form.organisation_id.choices = [("", "—")] + [(str(o.id), o.name) for o in orgs]
    if request.method == "POST":
        if not current_user.can("legal_aid.aid.manage"):
            abort(403)
        if form.validate_on_submit():
            with unit_of_work():
                db.session.add(Provider(name=form.name.data.strip(), kind=form.kind.data,
                                        organisation_id=int(form.organisation_id.data) if form.organisation_id.data
                                        else None, licence=(form.licence.data or "").strip(),
                                        relations=(form.relations.data or "").strip()))
            flash(_("Saved."), "success")
            return redirect(url_for("legal_aid_aid.providers"))
    rows = db.session.scalars(select(Provider).order_by(Provider.name)).all()
    return render_template("legal_aid/providers.html", rows=rows, form=form,
                           can_manage=current_user.can("legal_aid.aid.manage"))
