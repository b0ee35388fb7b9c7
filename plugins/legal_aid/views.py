"""Referral pages: the list, the board by stage, the diversion statistics, one referral with its stages,
filing deadline, 告知书 and actions. Thin: the work is in ``services``."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from core.toolkit import require
from core.toolkit import unit_of_work
from core.toolkit import clock_columns, deadline_rows, listed_clock
from core.toolkit import db
from core.toolkit import Organisation
from core.toolkit import in_scope, scope_condition, scope_key
from core.toolkit import Column, Filter, ListView, listed, row_link
from plugins.petition.models import PetitionCase
from . import documents, services
from .forms import (FeedbackForm, NotifyForm, OutcomeForm, ReasonForm, ReceiptForm, ReferralEditForm,
                    ReferralNewForm)
from .models import CHANNELS, REFERRAL_STATES, Referral

bp = Blueprint("legal_aid", __name__, template_folder="templates")
STAGES = ["draft", "notified", "sent", "received", "accepted", "answered", "feedback", "closed"]
SIMPLE = ("send", "accept", "close")


def _scoped():
    return select(Referral).where(scope_condition(Referral.region_id, current_user))


def _filing_columns():
    """A referral's filing clock — the first of its time limit, as ``services.filing_deadline`` finds it — as
    columns of a statement listing referrals (read back by :func:`_listed_filing`)."""
    return clock_columns(Referral.__tablename__, Referral.id, rule_code=Referral.rule_code, name="filing")


def _listed_filing(row) -> str:
    """The due date of a listed referral's filing clock."""
    d = listed_clock(row, "filing")
    return d["due"] if d else ""


def _listed_columns(stmt):
    """*stmt* selecting what the referrals list shows, as Core rows (issue 22: each referral with its person
    and receiving body as ORM objects); the person's and the body's names and the filing clock by subqueries
    asked for the page's rows only."""
    from core.toolkit import Person
    person = select(Person.name).where(Person.id == Referral.person_id).scalar_subquery().label("person")
    body = select(Organisation.name).where(Organisation.id == Referral.body_id).scalar_subquery().label("body")
    return stmt.with_only_columns(Referral.id, Referral.reference, Referral.source_reference, person,
                                  Referral.channel, body, Referral.state, *_filing_columns())


@bp.get("/")
@require("legal_aid.referral.read")
def index():
    def where(col):
        return lambda stmt, v: stmt.where(col == v)
    view = ListView(listed("legal_aid.index", scope_key(current_user), lambda: _listed_columns(_scoped())), [
        Column("reference", _("Reference"), link=row_link("legal_aid.referral", ref_id="id"),
               sort=Referral.reference),
        Column("source", _("Source"), value=lambda r: r.source_reference),
        Column("person", _("Person"), value=lambda r: r.person or ""),
        Column("channel", _("Legal channel"), labels=CHANNELS),
        Column("body", _("Receiving body"), value=lambda r: r.body or ""),
        Column("filing_deadline", _("Filing deadline"), value=_listed_filing),
        Column("state", _("Stage"), labels=REFERRAL_STATES, sort=Referral.state),
    ], search=[Referral.reference, Referral.request, Referral.source_reference], filters=[
        Filter("state", _("Stage"), list(REFERRAL_STATES.items()), where(Referral.state)),
        Filter("channel", _("Legal channel"), list(CHANNELS.items()), where(Referral.channel)),
    ], default_sort=[Referral.id.desc()], export_name="referrals", core_rows=True)
    if view.export_requested():
        return view.export()
    return render_template("legal_aid/index.html", view=view, page=view.page(),
                           can_create=current_user.can("legal_aid.referral.manage"))


@bp.get("/board")
@require("legal_aid.referral.read")
def board():
    rows = db.session.execute(_scoped().add_columns(*_filing_columns()).where(Referral.state != "closed")
                              .order_by(Referral.id.desc()).limit(500))
    cols = {s: [] for s in STAGES[:-1] + ["refused"]}
    for row in rows:
        r, due = row[0], _listed_filing(row)
        cols.setdefault(r.state, []).append({"title": f"{r.reference} · {r.person.name if r.person else ''}",
                                             "url": url_for("legal_aid.referral", ref_id=r.id),
                                             "meta": f"{r.channel_label} {('· ' + due) if due else ''}"})
    return render_template("legal_aid/board.html",
                           columns=[(REFERRAL_STATES[s], cards) for s, cards in cols.items()])


@bp.get("/stats")
@require("legal_aid.referral.read")
def stats():
    answered_col, refused_col = Referral.outcome_reference.is_not(None), Referral.refusal_reason.is_not(None)
    stmt = (select(Referral.channel, Referral.state, answered_col, refused_col, func.count(Referral.id))
            .where(scope_condition(Referral.region_id, current_user), Referral.state != "draft")
            .group_by(Referral.channel, Referral.state, answered_col, refused_col))
    table = {c: {"total": 0, "accepted": 0, "resolved": 0, "refused": 0} for c in CHANNELS}
    for channel, state, answered, refused, n in db.session.execute(stmt):
        if channel not in table:
            continue
        row = table[channel]
        row["total"] += n
        if state in ("accepted", "answered", "feedback") or (state == "closed" and answered):
            row["accepted"] += n
        if answered:
            row["resolved"] += n
        if refused:
            row["refused"] += n
    rows = [(CHANNELS[c], v) for c, v in table.items()]
    totals = {k: sum(v[k] for _c, v in rows) for k in ("total", "accepted", "resolved", "refused")}
    return render_template("legal_aid/stats.html", rows=rows, totals=totals)


def _petition_choices():
    stmt = (select(PetitionCase).where(PetitionCase.state.in_(("registered", "forwarded", "assigned")),
                                       scope_condition(PetitionCase.region_id, current_user))
            .order_by(PetitionCase.id.desc()).limit(300))
    return [(str(c.id), f"{c.reference} · {c.petitioner.name} · {c.request[:30]}") for c in db.session.scalars(stmt)]


@bp.route("/new", methods=["GET", "POST"])
@require("legal_aid.referral.manage")
def new():
    form = ReferralNewForm()
    form.petition_id.choices = _petition_choices()
    if request.method == "GET" and request.args.get("petition"):
        form.petition_id.data = request.args.get("petition")
    if form.validate_on_submit():
        case = db.session.get(PetitionCase, int(form.petition_id.data))
        if case is None or not in_scope(current_user, case.region_id):
            abort(404)
        try:
            with unit_of_work():
                ref = services.create_referral(petition=case, channel=form.channel.data or None,
                                               knew_at=form.knew_at.data, user=current_user)
        except services.ReferralError as exc:
            for key, msg in exc.errors.items():
                target = getattr(form, key, None)
                (target.errors.append(msg) if target is not None and isinstance(target.errors, list)
                 else flash(msg, "error"))
            return render_template("legal_aid/new.html", form=form)
        flash(_("Referral %(ref)s drafted.", ref=ref.reference), "success")
        return redirect(url_for("legal_aid.referral", ref_id=ref.id))
    return render_template("legal_aid/new.html", form=form)


def _load(ref_id: int) -> Referral:
    ref = db.session.get(Referral, ref_id)
    if ref is None or not in_scope(current_user, ref.region_id):
        abort(404)
    return ref


def _forms(ref: Referral) -> dict:
    edit = ReferralEditForm(prefix="edit", obj=ref if request.method == "GET" else None)
    bodies = db.session.scalars(select(Organisation).where(Organisation.active.is_(True))
                                .order_by(Organisation.kind, Organisation.name)).all()
    edit.body_id.choices = [("", "—")] + [(str(o.id), f"{o.name} ({o.kind_label})") for o in bodies]
    if request.method == "GET":
        edit.body_id.data = str(ref.body_id or "")
        edit.channel.data = ref.channel or ""
    return {"edit": edit, "notify": NotifyForm(prefix="notify"), "receipt": ReceiptForm(prefix="receipt"),
            "refuse": ReasonForm(prefix="refuse"), "outcome": OutcomeForm(prefix="outcome"),
            "feedback": FeedbackForm(prefix="feedback")}


@bp.get("/<int:ref_id>")
@require("legal_aid.referral.read")
def referral(ref_id: int):
    ref = _load(ref_id)
    labels = services.action_labels()
    allowed = services.allowed_actions(ref) if current_user.can("legal_aid.referral.manage") else []
    actions = [{"url": url_for("legal_aid.act", ref_id=ref.id, action=a), "label": labels[a], "version": ref.version,
                "primary": a == "send"} for a in allowed if a in SIMPLE]
    shown = [("refused" if s == "accepted" and ref.refusal_reason else s) for s in STAGES]
    return render_template("legal_aid/referral.html", r=ref, stages=[(s, REFERRAL_STATES[s]) for s in shown],
                           current=ref.state, actions=actions, allowed=allowed, labels=labels, forms=_forms(ref),
                           deadlines=deadline_rows(ref), filing=services.filing_deadline(ref),
                           near=services.near_deadline(ref), days_left=services.days_left(ref))


@bp.get("/<int:ref_id>/notice.pdf")
@require("legal_aid.referral.read")
def notice(ref_id: int):
    from core.toolkit import pdf_response, render_pdf
    ref = _load(ref_id)
    if not ref.channel or ref.body_id is None:
        flash(_("Choose the legal channel and the receiving body first."), "error")
        return redirect(url_for("legal_aid.referral", ref_id=ref.id))
    d = services.filing_deadline(ref)
    pdf = render_pdf("legal_aid.document", **documents.referral_notice(ref, d["due"] if d else None))
    return pdf_response(pdf, f"{ref.reference}-notice.pdf")


# each declared step (services.WORKFLOW) → how the page's form calls its service
WEB_STEPS = {
    "edit": lambda ref, f: services.update_referral(ref, {
        "channel": f.channel.data or None, "knew_at": f.knew_at.data,
        "body_id": int(f.body_id.data) if f.body_id.data else None, "request": f.request.data,
        "what_to_bring": f.what_to_bring.data}),
    "notify": lambda ref, f: services.notify(ref, f.service_method.data),
    "send": lambda ref, f: services.send(ref),
    "receipt": lambda ref, f: services.record_receipt(ref, f.receipt_number.data),
    "accept": lambda ref, f: services.accept(ref),
    "refuse": lambda ref, f: services.refuse(ref, f.reason.data),
    "outcome": lambda ref, f: services.record_outcome(ref, f.outcome_reference.data, f.outcome_text.data),
    "feedback": lambda ref, f: services.record_feedback(ref, f.feedback_note.data),
    "close": lambda ref, f: services.close(ref),
}
# POST /<ref_id>/act/<action> (endpoint legal_aid.act)
services.WORKFLOW.act_route(bp, "/<int:ref_id>", _load, WEB_STEPS, _forms,
                            lambda ref: url_for("legal_aid.referral", ref_id=ref.id))
