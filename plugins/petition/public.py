"""The public self-service page (no login): a petitioner enters the 查询码 printed on their receipt."""
from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Regexp

from core.auth.guard import public

bp = Blueprint("petition_public", __name__, template_folder="templates")


class StatusForm(FlaskForm):
    code = StringField(_l("Query code (查询码)"), validators=[
        DataRequired(), Length(min=6, max=20), Regexp(r"^[A-Za-z0-9-]+$", message=_l("Letters and digits only."))])


@bp.route("/status", methods=["GET", "POST"])
@public
def status():
    form = StatusForm()
    result = None
    searched = False
    if form.validate_on_submit():
        searched = True
        lookup = getattr(status, "lookup", None)
        result = lookup(form.code.data.strip().upper()) if lookup else None
    return render_template("petition/status.html", form=form, result=result, searched=searched)
