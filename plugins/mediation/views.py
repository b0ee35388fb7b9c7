"""Mediation pages (blueprint ``mediation``): phone capture form, dispute ledger, one dispute (statusbar, actions,
chatter)."""
from __future__ import annotations

import os
import uuid
from datetime import datetime

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_wtf.csrf import generate_csrf
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from core.toolkit import AttachmentError, add_attachment
from core.toolkit import unit_of_work
from core.toolkit import login_only, require
from core.toolkit import StaleEdit, check_version, db
from core.toolkit import Column, Filter, ListView, listed, row_link
from core.toolkit import in_subtree, scope_key
from core.toolkit import chosen_action, status_actions
from core.toolkit import DEADLINE_STATUS, enum_labels
from . import refusal, risks, services
from .access import can_use_grid, dispute_for, is_grid_worker, visible_disputes, visible_grids
from .agreements.services import agreement_of, clocks
from .agreements.views import sign_form
from .committees.services import mediator_candidates
from .forms import ActionForm, CaptureForm
from .photos import max_bytes, store_photo
from .models import CATEGORIES, LEVELS, SOURCES, STATES, Dispute, Grid
from .reports.services import in_month
from .services import LEGAL_CHANNELS, MediationError

bp = Blueprint("mediation", __name__, template_folder="templates", static_folder="static")


def _filters():
    """The list's filters, kept per language until a setting changes (the risk levels are configured)."""
    from core.toolkit import remembered, settings_texts
    return remembered(settings_texts(), ("mediation", "filters"), _made_filters)


def _made_filters():
    return [
        Filter("state", _("State"), [(k, str(v)) for k, v in STATES.items()], lambda s, v: s.where(Dispute.state == v)),
        Filter("category", _("Dispute category"), [(k, str(v)) for k, v in CATEGORIES.items()],
               lambda s, v: s.where(Dispute.category == v)),
        Filter("risk", _("Risk"), risks.choices(), lambda s, v: s.where(Dispute.risk_level == v)),
        Filter("level", _("Handling level"), [(k, str(v)) for k, v in LEVELS.items()],
               lambda s, v: s.where(Dispute.handling_level == v)),
        Filter("source", _("Source"), [(k, str(v)) for k, v in SOURCES.items()],
               lambda s, v: s.where(Dispute.source == v)),
    ]


def _drill_down(stmt):
    """The monthly ledger's drill-down arguments: month=YYYY-MM, region=<code> (at or below), grid=<id>."""
    from core.toolkit import Region
    month = (request.args.get("month") or "")[:7]
    if month:
        try:
            stmt = in_month(stmt, month)
        except MediationError:
            pass
    code = (request.args.get("region") or "")[:20]
    if code:
        region = db.session.scalar(select(Region).where(Region.code == code))
        stmt = stmt.where(in_subtree(Dispute.region_id, region.path)) if region is not None else stmt.where(False)
    grid = request.args.get("grid") or ""
    if grid:
        stmt = stmt.where(Dispute.grid_id == int(grid)) if grid.isdigit() and len(grid) < 10 else stmt.where(False)
    return stmt


@bp.get("/")
@require("mediation.dispute.read")
def index():
    # the columns the list shows, as Core rows (issue 22: 25 disputes, their grids and the grids' regions as
    # ORM objects cost ~0.35 ms a page); the grid's name by a subquery asked for the page's rows only
    def build():
        grid = select(Grid.name).where(Grid.id == Dispute.grid_id).scalar_subquery().label("grid")
        return _drill_down(visible_disputes(current_user)).with_only_columns(
            Dispute.id, Dispute.reference, Dispute.found_at, grid, Dispute.category, Dispute.summary,
            Dispute.risk_level, Dispute.handling_level, Dispute.state)
    # a grid worker's list is their grids' (their id in the statement); a drill-down (month, region, grid)
    # looks the region up in the database: built for this request only
    drill_down = any(request.args.get(k) for k in ("month", "region", "grid"))
    view = ListView(build() if drill_down else listed(
        "mediation.index", (*scope_key(current_user), current_user.id if is_grid_worker(current_user) else None),
        build), [
        Column("reference", _("Ledger number"), link=row_link("mediation.dispute", dispute_id="id"),
               sort=Dispute.reference),
        Column("found_at", _("Found at"), value=lambda d: d.found_at.strftime("%Y-%m-%d %H:%M"), sort=Dispute.found_at),
        Column("grid", _("Grid")),
        Column("category", _("Dispute category"), labels=CATEGORIES, sort=Dispute.category),
        Column("summary", _("Summary")),
        Column("risk_level", _("Risk"), labels=risks.all_labels(), sort=Dispute.risk_level),
        Column("handling_level", _("Handling level"), labels=LEVELS),
        Column("state", _("State"), labels=STATES, sort=Dispute.state),
    ], search=[Dispute.reference, Dispute.summary], filters=_filters(),
        default_sort=[Dispute.found_at.desc(), Dispute.id.desc()], export_name="disputes", core_rows=True)
    if view.export_requested():
        return view.export()
    new_url = url_for("mediation.capture") if current_user.can("mediation.dispute.create") else None
    return render_template("mediation/index.html", view=view, page=view.page(), new_url=new_url)


PARTY_FIELDS = (("party_name", "party_phone"), ("other_party_name", "other_party_phone"))   # the capture's parties


@bp.route("/capture", methods=["GET", "POST"])
@require("mediation.dispute.create")
def capture():
    grids = db.session.scalars(visible_grids(current_user).order_by(Grid.code)).all()
    form = CaptureForm()
    form.fill_choices(grids)
    if form.validate_on_submit():
        data = {k: form[k].data for k in ("grid_id", "category", "risk_level", "summary", "source", "place",
                                          "client_uuid")}
        party_fields = [(n, ph) for n, ph in PARTY_FIELDS if form[n].data or form[ph].data]
        if party_fields:
            data["parties"] = [{"name": form[n].data, "phone": form[ph].data or None} for n, ph in party_fields]
        # is this the same matter? asked before anything is written, under the lock the registration
        # holds, so two captures of one dispute sent at the same instant cannot both pass unasked
        from core.toolkit import serialise
        from . import duplicates
        serialise(*duplicates.lock_keys(data["grid_id"], data.get("parties")))
        sent_uuid = (data.get("client_uuid") or "").strip()
        known = sent_uuid and db.session.scalar(select(Dispute.id).where(Dispute.client_uuid == sent_uuid))
        if not known and str(data["grid_id"]).isdigit():
            candidates = duplicates.candidates(grid_id=int(data["grid_id"]), category=data["category"],
                                               summary=data["summary"], parties=data.get("parties"),
                                               visible=visible_disputes(current_user))
            seen = set(request.form.getlist("seen", type=int))
            if candidates and (request.form.get("confirm") != "1"
                               or any(c["dispute"].id not in seen for c in candidates)):
                db.session.rollback()
                return render_template("mediation/capture.html", form=form, grids=grids, photo_max=max_bytes(),
                                       candidates=candidates)
        try:
            with unit_of_work():
                dispute, created = services.log_dispute(current_user, data)
                if created and form.photo.data and getattr(form.photo.data, "filename", ""):
                    store_photo(current_user, dispute, str(uuid.uuid4()), form.photo.data.stream.read(max_bytes() + 1))
        except MediationError as exc:
            for key, message in exc.errors.items():
                name = {f"parties.{i}.{what}": pair[j] for i, pair in enumerate(party_fields)
                        for j, what in enumerate(("name", "phone"))}.get(key, key)
                target = form[name] if name in form else None
                if target is not None:
                    target.errors = list(target.errors) + [message]
                else:
                    flash(message, "error")
        else:
            flash(_("Dispute %(ref)s registered.", ref=dispute.reference) if created
                  else _("Already registered as %(ref)s.", ref=dispute.reference), "success")
            return redirect(url_for("mediation.dispute", dispute_id=dispute.id))
    elif request.method == "GET" and len(grids) == 1:
        form.grid_id.data = str(grids[0].id)
    return render_template("mediation/capture.html", form=form, grids=grids, photo_max=max_bytes())


@bp.get("/capture/token")
@require("mediation.dispute.create")
def capture_token():
    """A fresh CSRF token for the offline queue (the cached page's token may have expired)."""
    return jsonify(csrf_token=generate_csrf())


@bp.post("/capture/sync")
@require("mediation.dispute.create")
def capture_sync():
    """One queued offline capture (JSON, CSRF header). A repeated client_uuid answers the first record."""
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        return jsonify(message=_("The request could not be read.")), 400
    fields = {k: data.get(k) for k in ("grid_id", "category", "risk_level", "summary", "source", "place",
                                       "client_uuid")}
    fields = {k: (v if isinstance(v, (str, int)) and not isinstance(v, bool) else None) for k, v in fields.items()}
    try:
        fields["found_at"] = datetime.fromisoformat(str(data.get("found_at"))[:19]) if data.get("found_at") else None
    except ValueError:
        return jsonify(message=_("Not a valid date and time."), fields={"found_at": _("Not a valid date and time.")}), 422
    parties = []
    for name_key, phone_key in PARTY_FIELDS:
        name, phone = data.get(name_key), data.get(phone_key)
        if isinstance(name, str) and name.strip():
            parties.append({"name": name, "phone": phone if isinstance(phone, str) and phone.strip() else None})
    if parties:
        fields["parties"] = parties
    try:
        with unit_of_work():
            dispute, created = services.log_dispute(current_user, fields)
    except MediationError as exc:
        return jsonify(message=exc.message, fields={k: str(v) for k, v in exc.errors.items()}), 422
    return jsonify(id=dispute.id, reference=dispute.reference, created=created,
                   url=url_for("mediation.dispute", dispute_id=dispute.id)), 201 if created else 200


@bp.post("/capture/photo")
@require("mediation.dispute.create")
def capture_photo():
    """One photo of a queued capture (multipart: client_id, dispute_uuid, photo; CSRF header). A repeated
    client_id answers the first upload."""
    client_uuid = (request.form.get("dispute_uuid") or "")[:36]
    dispute = db.session.scalar(select(Dispute).where(Dispute.client_uuid == client_uuid)) if client_uuid else None
    if dispute is None or dispute_for(current_user, dispute.id) is None:
        return jsonify(message=_("No such dispute in your scope."),
                       fields={"dispute_uuid": _("No such dispute in your scope.")}), 422
    upload = request.files.get("photo")
    data = upload.stream.read(max_bytes() + 1) if upload is not None else b""
    try:
        with unit_of_work():
            photo, created = store_photo(current_user, dispute, request.form.get("client_id") or "", data)
    except MediationError as exc:
        return jsonify(message=exc.message, fields={k: str(v) for k, v in exc.errors.items()}), 422
    return jsonify(id=photo.id, attachment_id=photo.attachment_id, dispute_id=dispute.id, created=created), \
        201 if created else 200


@bp.get("/risk.css")
@login_only
def risk_css():
    """The configured risk colours (setting mediation.risk_colours) as classes: no inline styles (CSP)."""
    from flask import Response
    css = "".join(f".risk-{code} {{ background: {risks.colour(code)}; }}\n" for code in risks.codes())
    return Response(css, mimetype="text/css", headers={"Cache-Control": "no-cache"})


@bp.get("/sw.js")
@login_only
def service_worker():
    """The capture page's service worker, served from /mediation/ so that it may control that scope."""
    response = send_file(os.path.join(bp.static_folder, "sw.js"), mimetype="text/javascript", max_age=0)
    response.headers["Service-Worker-Allowed"] = url_for("mediation.index")
    return response


def _load(dispute_id: int) -> Dispute:
    return dispute_for(current_user, dispute_id) or abort(404)


def _actions(d: Dispute) -> list[dict]:
    """The workflow steps the current user may take now: (code, label, needs text, text label)."""
    u = current_user
    acts = []
    if u.can("mediation.dispute.grid") and d.state == "registered" and can_use_grid(u, d.grid):
        acts += [("resolve_on_spot", _("Resolve on the spot (就地化解)"), True, _("What the parties agreed")),
                 ("hand_up", _("Hand up to the village committee (上报)"), True, _("Why it cannot be settled here"))]
    if u.can("mediation.dispute.mediate"):
        if d.state in ("registered", "escalated"):
            acts.append(("start", _("Start mediation"), False, ""))
        if d.state in ("registered", "mediating", "escalated"):
            acts.append(("refuse", _("A party refuses mediation"), True, _("Reason")))
        if d.state == "mediating":
            acts += [("resolve", _("Resolved by mediation"), True, _("Mediation outcome")), ("fail", _("Failed"), True, _("Reason"))]
        if d.state != "closed":
            acts.append(("note", _("Add session note"), True, _("Note")))
    if u.can("mediation.dispute.escalate") and d.state in ("registered", "mediating", "failed", "escalated") \
            and d.handling_level != "district":
        acts.append(("escalate", _("Escalate"), True, _("Reason")))
    if u.can("mediation.dispute.close") and d.state in ("resolved", "failed", "refused"):
        acts.append(("close", _("Close (销号)"), True, _("Closing note (or attach evidence)")))
    if u.can("mediation.dispute.close") and d.state == "closed":
        acts.append(("reopen", _("Reopen"), True, _("Reason")))
    return [dict(code=c, label=label, text=t, text_label=tl) for c, label, t, tl in acts]


CONFIRMS = {
    "close": _l("the dispute is closed off the ledger (销号/办结) with this evidence and a follow-up visit is "
                "planned; only an administrator can reopen it."),
    "resolve_on_spot": _l("the dispute is recorded as resolved on the spot with what you wrote; mediation by the "
                          "committee does not start."),
}


@bp.get("/disputes/<int:dispute_id>")
@require("mediation.dispute.read")
def dispute(dispute_id: int):
    d = _load(dispute_id)
    shown = ("registered", "mediating", "resolved", "failed", "escalated", "closed")
    if d.state == "refused" or d.refused_by_id:
        shown = ("registered", "mediating", "refused", "closed")
    stages = [(k, str(STATES[k])) for k in shown]
    acts = _actions(d)
    bar = status_actions([a["code"] for a in acts], {a["code"]: a["label"] for a in acts},
                         post_url=lambda c: url_for("mediation.act", dispute_id=d.id, step=c),
                         open_url=lambda c: url_for("mediation.dispute", dispute_id=d.id, act=c) + "#act",
                         primary=("resolve_on_spot", "start", "resolve"), confirms=CONFIRMS, version=d.version)
    chosen = chosen_action(bar)
    return render_template("mediation/dispute.html", d=d, stages=stages, actions=acts, form=ActionForm(),
                           bar=bar, chosen=chosen, chosen_act=next((a for a in acts if chosen and a["code"] == chosen.code), None),
                           channel_labels=enum_labels("legal_channel"), status_words=DEADLINE_STATUS,
                           may_agree=current_user.can("mediation.dispute.mediate") or (
                               current_user.can("mediation.dispute.grid") and can_use_grid(current_user, d.grid)),
                           candidates=mediator_candidates(d, current_user) if any(a["code"] == "start" for a in acts)
                           else [], other_routes=services.other_routes() if d.state in ("failed", "refused") else "",
                           legal_channels=LEGAL_CHANNELS, agreement=agreement_of(d), sign_form=sign_form(),
                           clocks=clocks(d), may_mediate=current_user.can("mediation.dispute.mediate"))


def _start(d: Dispute, form) -> None:
    """Start with the mediator chosen in the picker (default: the acting user)."""
    from core.toolkit import User
    raw = (form.mediator_id.data or "").strip()
    mediator = None
    if raw:
        mediator = db.session.get(User, int(raw)) if raw.isdigit() and len(raw) < 10 else None
        if mediator is None or not mediator.active:
            raise MediationError({"mediator_id": _("No such user.")})
    services.start(d, current_user, mediator)


def _close(d: Dispute, text: str, form) -> None:
    """销号: a closing note, or a photo (or other file) of the evidence uploaded with the step."""
    photo = form.photo.data
    if photo is not None and getattr(photo, "filename", ""):
        try:
            add_attachment(services.RECORD_TYPE, d.id, photo, user=current_user)
        except AttachmentError as exc:
            raise MediationError({"photo": str(exc)}) from None
    services.close(d, current_user, text)


_STEPS = {
    "start": ("mediation.dispute.mediate", lambda d, t, f: _start(d, f)),
    "refuse": ("mediation.dispute.mediate", lambda d, t, f: refusal.refuse(d, current_user, f.party_id.data, t)),
    "note": ("mediation.dispute.mediate", lambda d, t, f: services.add_session_note(d, current_user, t)),
    "resolve": ("mediation.dispute.mediate", lambda d, t, f: services.resolve(d, current_user, t)),
    "fail": ("mediation.dispute.mediate",
             lambda d, t, f: services.fail(d, current_user, t,
                                           f.legal_channel.data if f.legal_channel.data in LEGAL_CHANNELS else None,
                                           refer_police=f.legal_channel.data == "police")),
    "reopen": ("mediation.dispute.close", lambda d, t, f: services.reopen(d, current_user, t)),
    "escalate": ("mediation.dispute.escalate", lambda d, t, f: services.escalate(d, current_user, t)),
    "close": ("mediation.dispute.close", lambda d, t, f: _close(d, t, f)),
    "resolve_on_spot": ("mediation.dispute.grid", lambda d, t, f: services.resolve_on_spot(d, current_user, t)),
    "hand_up": ("mediation.dispute.grid", lambda d, t, f: services.hand_up(d, current_user, t)),
}


@bp.post("/disputes/<int:dispute_id>/<step>")
@require("mediation.dispute.mediate", "mediation.dispute.escalate", "mediation.dispute.close", "mediation.dispute.grid")
def act(dispute_id: int, step: str):
    d = _load(dispute_id)
    if step not in _STEPS:
        abort(404)
    permission, run = _STEPS[step]
    if not current_user.can(permission):
        abort(403)
    form = ActionForm()
    if not form.validate_on_submit():
        flash(" ".join(e for errs in form.errors.values() for e in errs) or _("The form has expired; try again."),
              "error")
        return redirect(url_for("mediation.dispute", dispute_id=d.id))
    try:
        with unit_of_work():
            check_version(d, form.version.data)
            run(d, form.text.data or "", form)
        flash(_("Saved."), "success")
    except StaleEdit:
        flash(_("The record was changed by someone else; reload it and try again."), "error")
    except MediationError as exc:
        flash(exc.message, "error")
        return redirect(url_for("mediation.dispute", dispute_id=dispute_id, act=step))   # the form, open again
    return redirect(url_for("mediation.dispute", dispute_id=dispute_id))
