"""Staff pages: the petition list, the one-screen intake form, one case with its stages and actions."""
from __future__ import annotations


from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from core.toolkit import require
from core.toolkit import unit_of_work
from core.toolkit import deadline_rows
from core.toolkit import db
from core.toolkit import chosen_action
from core.toolkit import Organisation, Person
from core.toolkit import in_scope, scope_condition, scope_key
from core.toolkit import region_choices
from core.toolkit import Column, Filter, ListView, listed, row_link
from core.toolkit import clock
from . import documents, services
from .backlog.services import backlog_of
from .forms import ClassifyForm, IntakeForm, MergeForm, OpinionForm, ReasonForm, ReplyForm, UnitForm
from .models import CATEGORIES, CHANNELS, OPEN_STATES, STATES, PetitionCase

bp = Blueprint("petition", __name__, template_folder="templates")
STAGES = ["registered", "forwarded", "accepted", "handling", "replied", "reviewed", "rechecked", "closed"]
# the steps, their forms, labels and confirmations are declared in services.WORKFLOW


def _scoped():
    return select(PetitionCase).where(scope_condition(PetitionCase.region_id, current_user))


@bp.get("/")
@require("petition.case.read")
def index():
    def where(col):
        return lambda stmt, v: stmt.where(col == v)
    # the columns the list shows, as Core rows (issue 22: 25 cases and their petitioners as ORM objects cost
    # ~0.35 ms a page); the petitioner's name by a subquery asked for the page's rows only, not in the count
    def build():
        petitioner = select(Person.name).where(Person.id == PetitionCase.petitioner_id) \
            .scalar_subquery().label("petitioner")
        return _scoped().with_only_columns(
            PetitionCase.id, PetitionCase.reference, PetitionCase.received_at, petitioner, PetitionCase.channel,
            PetitionCase.category, PetitionCase.request, PetitionCase.state)
    view = ListView(listed("petition.index", scope_key(current_user), build), [
        Column("reference", _("Reference"), link=row_link("petition.case", case_id="id"),
               sort=PetitionCase.reference),
        Column("received_at", _("Received"), value=lambda c: c.received_at.strftime("%Y-%m-%d"),
               sort=PetitionCase.received_at),
        Column("petitioner", _("Petitioner")),
        Column("channel", _("Channel"), labels=CHANNELS),
        Column("category", _("Category"), labels=CATEGORIES),
        Column("request", _("Request"), value=lambda c: c.request[:40]),
        Column("state", _("Stage"), labels=STATES, sort=PetitionCase.state),
    ], search=[PetitionCase.reference, PetitionCase.request], filters=[
        Filter("state", _("Stage"), list(STATES.items()), where(PetitionCase.state)),
        Filter("channel", _("Channel"), list(CHANNELS.items()), where(PetitionCase.channel)),
        Filter("category", _("Category"), list(CATEGORIES.items()), where(PetitionCase.category)),
    ], default_sort=[PetitionCase.received_at.desc(), PetitionCase.id.desc()], export_name="petitions",
        core_rows=True)
    if view.export_requested():
        return view.export()
    return render_template("petition/index.html", view=view, page=view.page(),
                           can_create=current_user.can("petition.case.create"))


def _reps(text: str) -> list[dict]:
    out = []
    for line in (text or "").splitlines():
        parts = [p.strip() for p in line.replace("，", ",").split(",")]
        if parts and parts[0]:
            out.append({"name": parts[0], "id_number": (parts[1:2] or [None])[0] or None,
                        "phone": (parts[2:3] or [None])[0] or None})
    return out


@bp.route("/new", methods=["GET", "POST"])
@require("petition.case.create")
def new():
    form = IntakeForm()
    form.region_id.choices = region_choices(current_user, deepest="village")
    booking = _booking(request.values.get("booking", type=int))
    if request.method == "GET":
        form.region_id.data = str(current_user.region_id or "")
        form.received_at.data = clock.now().replace(second=0, microsecond=0)   # 接收时间: now, unless changed
        if booking is not None:
            form.channel.data, form.name.data, form.request.data = "visit", booking.visitor_name, booking.topic
            form.phone.data = booking.phone
            form.region_id.data = str(booking.reception.region_id)
            form.received_at.data = clock.now().replace(second=0, microsecond=0)
    candidates = []
    if form.validate_on_submit():
        region_id = int(form.region_id.data)
        if not in_scope(current_user, region_id):
            form.region_id.errors.append(_("Choose a region in your scope."))
            return render_template("petition/new.html", form=form, candidates=[], booking=booking)
        # the duplicate check and the registration below are one step: the same petitioner or region
        # submitted at the same instant waits here until the first is committed, then sees it as a candidate
        from core.toolkit import serialise
        from .intake import intake_lock_keys
        serialise(*intake_lock_keys(name=form.name.data, id_number=form.id_number.data, phone=form.phone.data,
                                    region_id=region_id))
        candidates = services.duplicate_candidates(
            name=form.name.data, id_number=form.id_number.data, phone=form.phone.data,
            request=form.request.data, region_id=region_id)
        seen = set(request.form.getlist("seen", type=int))
        merge_into = next((c["case"] for c in candidates if c["case"].id == request.form.get("merge", type=int)),
                          None)
        if merge_into is not None:
            from .flags import merge_at_intake
            try:
                with unit_of_work():
                    merge_at_intake(merge_into, channel=form.channel.data, received_at=form.received_at.data,
                                    request=form.request.data)
            except services.PetitionError as exc:
                for msg in exc.errors.values():
                    flash(msg, "error")
                return render_template("petition/new.html", form=form, candidates=candidates, booking=booking,
                           open_states=OPEN_STATES)
            flash(_("Recorded on %(ref)s; no new item was registered.", ref=merge_into.reference), "success")
            return redirect(url_for("petition.case", case_id=merge_into.id))
        link = request.form.get("link", type=int)
        confirmed = request.form.get("confirm") == "1" or link is not None
        if confirmed and seen and any(c["case"].id not in seen for c in candidates):
            confirmed = False           # a candidate registered since the step was shown: ask again
            flash(_("Another possible duplicate was registered meanwhile; check the list again."), "error")
        if not candidates or confirmed:
            repeat_of = next((c["case"] for c in candidates if c["case"].id == link), None)
            try:
                with unit_of_work():
                    case = services.register(
                        channel=form.channel.data, received_at=form.received_at.data, request=form.request.data,
                        facts=form.facts.data or "", region_id=region_id, officer_id=current_user.id,
                        petitioner={"name": form.name.data, "id_number": form.id_number.data or None,
                                    "phone": form.phone.data or None},
                        group_size=form.group_size.data or 1, representatives=_reps(form.representatives.data),
                        repeat_of=repeat_of, skip_level_reason=form.skip_level_reason.data or None,
                        urgent_reason=form.urgent_reason.data or None,
                        reception_id=booking.reception_id if booking is not None else None)
                    if booking is not None:
                        from .reception.services import received
                        received(booking, case)
                    _attach(case, form.files.data)
            except services.PetitionError as exc:
                for key, msg in exc.errors.items():
                    target = getattr(form, key.split(".")[-1], None) if key else None
                    (target.errors.append(msg) if target is not None and isinstance(target.errors, list)
                     else flash(msg, "error"))
                return render_template("petition/new.html", form=form, candidates=[], booking=booking)
            flash(_("Registered as %(ref)s. Query code: %(code)s", ref=case.reference, code=case.query_code),
                  "success")
            return redirect(url_for("petition.case", case_id=case.id))
    return render_template("petition/new.html", form=form, candidates=candidates, booking=booking,
                           open_states=OPEN_STATES)


def _attach(case: PetitionCase, files) -> None:
    """Files handed in with the petition, stored on the case (checked by type and content)."""
    from core.toolkit import AttachmentError, add_attachment
    for upload in files or []:
        if not getattr(upload, "filename", ""):
            continue
        try:
            add_attachment("petition_case", case.id, upload)
        except AttachmentError as exc:
            raise services.PetitionError({"files": f"{upload.filename}: {exc}"}) from None


def _booking(booking_id: int | None):
    """A reception booking the new item is taken on from (领导接访), if any and in scope."""
    if booking_id is None:
        return None
    from .reception.models import ReceptionBooking
    booking = db.session.get(ReceptionBooking, booking_id)
    if booking is None or not in_scope(current_user, booking.reception.region_id) or booking.state != "booked":
        return None
    return booking


def _load(case_id: int) -> PetitionCase:
    case = db.session.get(PetitionCase, case_id)
    if case is None or not in_scope(current_user, case.region_id):
        abort(404)
    return case


def _forms(case: PetitionCase) -> dict:
    """One form per action that needs input (each with its own prefix, so ids stay unique)."""
    units = db.session.scalars(select(Organisation).where(Organisation.active.is_(True))
                               .order_by(Organisation.name)).all()
    forms = {"classify": ClassifyForm(prefix="classify")}
    if request.method == "GET" and case.category:          # an empty category shows —, never a guess
        forms["classify"].category.data, forms["classify"].route.data = case.category, case.route or ""
    for action in ("forward", "assign"):
        forms[action] = UnitForm(prefix=action)
        forms[action].handling_unit.choices = [(o.id, o.name) for o in units]
    for action in ("not_accept", "extend", "object", "flag_backlog"):
        forms[action] = ReasonForm(prefix=action)
    forms["reply"] = ReplyForm(prefix="reply")
    for action in ("decide_review", "decide_recheck"):
        forms[action] = OpinionForm(prefix=action)
    forms["merge"] = MergeForm(prefix="merge")
    if case.hearing_conclusion and request.method == "GET":
        for action in ("reply", "decide_review", "decide_recheck"):
            forms[action].text.data = _("Hearing conclusion: %(t)s", t=case.hearing_conclusion)
    return forms


@bp.get("/<int:case_id>")
@require("petition.case.read")
def case(case_id: int):
    c = _load(case_id)
    labels = services.action_labels()
    forms = _forms(c)
    actions = services.WORKFLOW.available_actions(
        c, current_user, forms=forms, exclude=("flag_backlog",) if c.backlog else (), version=c.version,
        post_url=lambda a: url_for("petition.act", case_id=c.id, action=a),
        open_url=lambda a: url_for("petition.case", case_id=c.id, act=a) + "#act")
    allowed = [a.code for a in actions]
    chosen = chosen_action(actions)
    current = c.state if c.state in STAGES else {"assigned": "forwarded", "not_accepted": "accepted",
                                                 "extended": "handling", "review_requested": "replied",
                                                 "recheck_requested": "reviewed"}.get(c.state, c.state)
    stages = [(s, STATES[s]) for s in STAGES]
    return render_template("petition/case.html", c=c, stages=stages, current=current, actions=actions,
                           allowed=allowed, labels=labels, forms=forms, chosen=chosen, deadlines=deadline_rows(c),
                           documents=documents.available(c), backlog=backlog_of(c))


@bp.get("/<int:case_id>/document/<kind>.pdf")
@require("petition.case.read")
def document(case_id: int, kind: str):
    from core.toolkit import record_document
    c = _load(case_id)
    return record_document("petition.document", c.reference, kind, documents.available(c),
                           lambda k: documents.document_data(c, k))


def _merge(c: PetitionCase, form) -> None:
    from .flags import merge
    target = db.session.scalar(select(PetitionCase).where(
        PetitionCase.reference == (form.target.data or "").strip(),
        scope_condition(PetitionCase.region_id, current_user)))
    merge(c, target, form.reason.data)


# each declared step → how the page's form calls its service
WEB_STEPS = {
    "classify": lambda c, f: services.classify(c, f.category.data, f.route.data or None),
    "forward": lambda c, f: services.route_to_unit(c, "forward", db.session.get(Organisation, f.handling_unit.data)),
    "assign": lambda c, f: services.route_to_unit(c, "assign", db.session.get(Organisation, f.handling_unit.data)),
    "object": lambda c, f: services.object_to_case(c, f.reason.data),
    "accept": lambda c, f: services.accept(c),
    "not_accept": lambda c, f: services.not_accept(c, f.reason.data),
    "start_handling": lambda c, f: services.start_handling(c),
    "extend": lambda c, f: services.extend(c, f.reason.data),
    "reply": lambda c, f: services.reply(c, f.decision.data, f.text.data),
    "request_review": lambda c, f: services.request_review(c),
    "decide_review": lambda c, f: services.decide_review(c, f.text.data),
    "request_recheck": lambda c, f: services.request_recheck(c),
    "decide_recheck": lambda c, f: services.decide_recheck(c, f.text.data),
    "close": lambda c, f: services.close(c),
    "flag_backlog": lambda c, f: services.flag_backlog(c, f.reason.data),
    "merge": _merge,
}
# POST /<case_id>/act/<action> (endpoint petition.act): the step runs, or, refused, back to the same form open
# with the message (the status bar shows only the stage's steps)
services.WORKFLOW.act_route(bp, "/<int:case_id>", _load, WEB_STEPS, _forms,
                            lambda c: url_for("petition.case", case_id=c.id))


@bp.get("/warnings")
@require("petition.case.read")
def warnings():
    from .supervision import warnings as collect
    return render_template("petition/warnings.html", w=collect(current_user), today=clock.today())
