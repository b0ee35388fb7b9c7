"""Admin pages (blueprint ``legal_aid_channels``, under /legal_aid/channels): the channel lists (依法分类处理清单) per department, each line's filing rule and article."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from core.toolkit import require
from core.toolkit import unit_of_work
from core.toolkit import StaleEdit, check_version, db
from core.toolkit import Organisation
from ..forms import ChannelLineForm
from ..models import ChannelRule
from . import services as channels_mod

bp = Blueprint("legal_aid_channels", __name__)


@bp.get("")
@require("legal_aid.channel.manage")
def index():
    rows = db.session.scalars(select(ChannelRule).order_by(ChannelRule.department_id.is_not(None),
                                                           ChannelRule.department_id, ChannelRule.sort)).all()
    return render_template("legal_aid/channels.html", rows=rows, article=channels_mod.rule_article)


def _form(line=None) -> ChannelLineForm:
    form = ChannelLineForm(obj=line if request.method == "GET" else None)
    orgs = db.session.scalars(select(Organisation).where(Organisation.active.is_(True))
                              .order_by(Organisation.kind, Organisation.name)).all()
    form.department_id.choices = [("", "—")] + [(str(o.id), o.name) for o in orgs if o.kind == "department"]
    form.body_id.choices = [("", "—")] + [(str(o.id), f"{o.name} ({o.kind_label})") for o in orgs]
    form.rule_code.choices = channels_mod.filing_rule_choices()
    if request.method == "GET" and line is not None:
        form.department_id.data = str(line.department_id or "")
        form.body_id.data = str(line.body_id or "")
    return form


@bp.route("/new", methods=["GET", "POST"], endpoint="new")
@bp.route("/<int:line_id>", methods=["GET", "POST"], endpoint="edit")
@require("legal_aid.channel.manage")
def channel_form(line_id: int | None = None):
    line = db.session.get(ChannelRule, line_id) if line_id else None
    if line_id and line is None:
        abort(404)
    form = _form(line)
    if form.validate_on_submit():
        try:
            with unit_of_work():
                if line is not None:
                    check_version(line, request.form.get("version"))
                line = channels_mod.save_line(line, {f.name: f.data for f in form if f.name != "csrf_token"})
        except StaleEdit:
            flash(_("Someone else changed this record meanwhile. Reload and try again."), "error")
        except channels_mod.ChannelError as exc:
            for key, msg in exc.errors.items():
                getattr(form, key).errors.append(msg) if hasattr(form, key) else flash(msg, "error")
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("legal_aid_channels.index"))
    return render_template("legal_aid/channel_form.html", form=form, line=line)
