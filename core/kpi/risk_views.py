"""稳定风险评估: list, form (with linked petitions and disputes by reference) and chatter."""
from __future__ import annotations


from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from core.auth.guard import require
from core.db import StaleEdit, check_version, db
from core.regions.models import Region
from core.regions.scope import in_scope, scope_condition
from core import clock
from . import measures as M
from .models import RISK_LEVELS, RISK_STATES, RISK_SUBJECTS, RiskAssessment, RiskLink
from .blueprint import bp

RECORD = "core_risk_assessment"


class RiskForm(FlaskForm):
    title = StringField(_l("Subject"), validators=[DataRequired(), Length(max=200)])
    subject_kind = SelectField(_l("Kind of subject"), choices=[(k, v) for k, v in RISK_SUBJECTS.items()])
    region_code = SelectField(_l("Region"), validators=[DataRequired()])
    factors = TextAreaField(_l("Risk factors"), validators=[DataRequired(), Length(max=10000)])
    level = SelectField(_l("Risk level"), choices=[(k, v) for k, v in RISK_LEVELS.items()])
    measures = TextAreaField(_l("Measures"), validators=[Length(max=10000)])
    state = SelectField(_l("Stage"), choices=[(k, v) for k, v in RISK_STATES.items()])
    assessed_on = DateField(_l("Assessed on"), validators=[Optional()])
    references = StringField(_l("Linked petitions and disputes (references, comma-separated)"),
                             validators=[Length(max=2000)])


def _models() -> dict:
    out = {}
    for m in M.measures().values():
        if m.model is not None and m.record_type and hasattr(m.model, "reference"):
            out[m.record_type] = m.model
    return out


def resolve_references(text: str, user) -> tuple[list[tuple[str, int, str]], list[str]]:
    found, missing = [], []
    models = _models()
    for ref in [r.strip() for r in (text or "").replace("，", ",").split(",") if r.strip()]:
        hit = None
        for record_type, model in models.items():
            obj = db.session.scalar(select(model).where(model.reference == ref))
            if obj is not None and in_scope(user, getattr(obj, "region_id", None)):
                hit = (record_type, obj.id, ref)
                break
        (found.append(hit) if hit else missing.append(ref))
    return found, missing


def can_view(user, record_id) -> bool:
    r = db.session.get(RiskAssessment, int(record_id))
    return bool(r and user.can("core.risk.read") and in_scope(user, r.region_id))


def can_edit(user, record_id) -> bool:
    r = db.session.get(RiskAssessment, int(record_id))
    return bool(r and user.can("core.risk.edit") and in_scope(user, r.region_id))


def register_access(ctx) -> None:
    ctx.record_type(RECORD, can_view, can_edit, url=lambda rid: url_for("dashboard.risk", risk_id=rid))


def _region_choices(user):
    stmt = select(Region).where(scope_condition(Region.id, user), Region.level.in_(("county", "town", "village")))
    return [(r.code, r.name) for r in db.session.scalars(stmt.order_by(Region.path).limit(2000))]


@bp.get("/risks")
@require("core.risk.read")
def risks():
    rows = db.session.scalars(select(RiskAssessment).where(scope_condition(RiskAssessment.region_id, current_user))
                              .order_by(RiskAssessment.id.desc()).limit(500)).all()
    return render_template("dashboard/risks.html", rows=rows)


@bp.route("/risks/new", methods=["GET", "POST"])
@bp.route("/risks/<int:risk_id>", methods=["GET", "POST"])
@require("core.risk.read")
def risk(risk_id: int | None = None):
    r = None
    if risk_id is not None:
        r = db.session.get(RiskAssessment, risk_id)
        if r is None or not in_scope(current_user, r.region_id):
            abort(404)
    editable = current_user.can("core.risk.edit")
    if request.method == "POST" and not editable:
        abort(403)
    form = RiskForm(obj=r if request.method == "GET" else None)
    form.region_code.choices = _region_choices(current_user)
    if request.method == "GET" and r is not None:
        form.region_code.data = r.region.code
        form.references.data = ", ".join(link.reference for link in r.links)
    if form.validate_on_submit():
        region = db.session.scalar(select(Region).where(Region.code == form.region_code.data))
        links, missing = resolve_references(form.references.data, current_user)
        if region is None or not in_scope(current_user, region.id):
            form.region_code.errors.append(_("Choose a region in your area."))
        elif missing:
            form.references.errors.append(_("No petition or dispute with reference: %(refs)s", refs=", ".join(missing)))
        else:
            try:
                if r is None:
                    r = RiskAssessment(created_by_id=current_user.id)
                    db.session.add(r)
                else:
                    check_version(r, request.form.get("version"))
                for f in ("title", "subject_kind", "factors", "level", "measures", "state", "assessed_on"):
                    setattr(r, f, getattr(form, f).data)
                r.region_id = region.id
                wanted = {(t, i) for t, i, _ref in links}
                for link in list(r.links):
                    if (link.record_type, link.record_id) not in wanted:
                        r.links.remove(link)
                have = {(link.record_type, link.record_id) for link in r.links}
                for t, i, ref in links:
                    if (t, i) not in have:
                        r.links.append(RiskLink(record_type=t, record_id=i, reference=ref))
                db.session.commit()
                flash(_("Saved."), "success")
                return redirect(url_for(".risk", risk_id=r.id))
            except StaleEdit:
                db.session.rollback()
                flash(_("Someone else changed this record meanwhile; reload and try again."), "error")
    from core.audit.access import record_access
    link_urls = {}
    if r is not None:
        for link in r.links:
            acc = record_access(link.record_type)
            link_urls[link.id] = acc.url(link.record_id) if acc and acc.url else None
    return render_template("dashboard/risk.html", form=form, r=r, editable=editable, link_urls=link_urls,
                           today=clock.today())
