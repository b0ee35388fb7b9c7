"""Admin: edit KPI definitions (name, measures, period, target, enabled)."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import BooleanField, FloatField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from core.auth.guard import require
from core.db import StaleEdit, check_version, db
from . import measures as M
from .models import PERIOD_KINDS, REGION_LEVELS, KpiDefinition

bp = Blueprint("kpi_admin", __name__)


class KpiForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    numerator = SelectField(_l("Numerator"), validators=[DataRequired()])
    denominator = SelectField(_l("Denominator"), description=_l("Leave empty for a plain count"))
    period = SelectField(_l("Period"), choices=[(k, v) for k, v in PERIOD_KINDS.items()])
    target = FloatField(_l("Target"), validators=[Optional(), NumberRange(min=0, max=1_000_000)],
                        description=_l("A percentage for a rate, a number for a count"))
    higher_is_better = BooleanField(_l("Higher is better"))
    region_level = SelectField(_l("Assessed at"), choices=[(k, v) for k, v in REGION_LEVELS.items()])
    source = TextAreaField(_l("Source rule"), validators=[Length(max=2000)])
    enabled = BooleanField(_l("Enabled"))


@bp.get("/")
@require("core.kpi.manage")
def index():
    rows = db.session.scalars(select(KpiDefinition).order_by(KpiDefinition.sort_order, KpiDefinition.id)).all()
    return render_template("dashboard/admin_index.html", rows=rows, kinds=PERIOD_KINDS,
                           measure_labels={key: str(m.label) for key, m in M.measures().items()})


@bp.route("/<code>", methods=["GET", "POST"])
@require("core.kpi.manage")
def edit(code: str):
    k = db.session.scalar(select(KpiDefinition).where(KpiDefinition.code == code)) or abort(404)
    form = KpiForm(obj=k if request.method == "GET" else None)
    choices = sorted(((key, str(m.label)) for key, m in M.measures().items()), key=lambda kv: kv[1])
    form.numerator.choices = choices
    form.denominator.choices = [("", _("— none (a count) —"))] + choices
    if request.method == "GET":
        form.denominator.data = k.denominator or ""
    if form.validate_on_submit():
        try:
            check_version(k, request.form.get("version"))
            for f in ("name", "numerator", "period", "target", "higher_is_better", "region_level", "source", "enabled"):
                setattr(k, f, getattr(form, f).data)
            k.denominator = form.denominator.data or None
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for(".index"))
        except StaleEdit:
            db.session.rollback()
            flash(_("Someone else changed this record meanwhile; reload and try again."), "error")
    return render_template("dashboard/admin_edit.html", form=form, k=k)
