"""The public self-service page (no login): a petitioner enters the 查询码 printed on their receipt,
sees the stage and the dated steps (no personal data) and, after the reply, rates it."""
from flask import Blueprint, current_app, flash, render_template, request
from flask_babel import gettext as _, lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length, Regexp

from core.toolkit import public
from core.toolkit import unit_of_work
from core.toolkit import too_many
from . import services
from .forms import RatingForm

bp = Blueprint("petition_public", __name__, template_folder="templates")


class StatusForm(FlaskForm):
    code = StringField(_l("Query code (查询码)"), validators=[
        DataRequired(), Length(min=6, max=20), Regexp(r"^[A-Za-z0-9-]+$", message=_l("Letters and digits only."))])


def step_labels() -> dict:
    labels = services.action_labels()
    labels.update({"received": _("Received"), "registered": _("Registered"), "rated": _("Rated")})
    return labels


def _limited() -> bool:
    """At most ``PETITION_STATUS_LIMIT`` (default 30) look-ups per address per 10 minutes, per process."""
    return too_many("petition_status", int(current_app.config.get("PETITION_STATUS_LIMIT", 30)))


@bp.route("/status", methods=["GET", "POST"])
@public
def status():
    form = StatusForm()
    if request.method == "POST" and _limited():
        return render_template("petition/status.html", form=form, result=None, searched=False,
                               rating=RatingForm(prefix="rate"), labels={}, limited=True), 429
    rating = RatingForm(prefix="rate")
    result = other = None
    searched = False
    if request.form.get("rate-code"):
        result = services.by_query_code(request.form.get("rate-code"))
        searched = True
        if result is not None and rating.validate_on_submit():
            try:
                with unit_of_work():
                    services.rate(result, rating.satisfaction.data)
            except services.PetitionError as exc:
                for msg in exc.errors.values():
                    flash(msg, "error")
            else:
                flash(_("Thank you. Your rating has been recorded."), "success")
        form.code.data = request.form.get("rate-code")
    elif form.validate_on_submit() or (request.method == "GET" and request.args.get("code")):
        searched = True
        code = form.code.data or request.args.get("code", "")[:30]
        form.code.data = code
        result = services.by_query_code(code)
        if result is None:
            other = lookup_other(code)
    if result is not None:
        rating.code.data = result.query_code
    return render_template("petition/status.html", form=form, result=result, searched=searched,
                           rating=rating, labels=step_labels(), other=other, reply=reply_summary(result))


def reply_summary(case) -> dict | None:
    """What the petitioner may read after the reply: the decision, a summary of the 处理意见, and the right
    to ask for a review (复查) with its last day (the running clock of the core deadline service)."""
    if case is None or case.replied_at is None:
        return None
    from core.toolkit import deadlines_for
    review = next((d for d in deadlines_for(case) if d["rule"] == "petition.review_request"), None)
    text = (case.decision_text or "").strip()
    return {"decision": case.decision_label, "text": text if len(text) <= 400 else text[:399] + "…",
            "replied_at": case.replied_at, "review_due": review["due"] if review else None,
            "review_open": bool(review and review["status"] in ("open", "paused")),
            "review_basis": review["basis"] if review else "", "review_asked": case.state != "replied"}


STATUS_POINT = "petition.status_lookup"


def lookup_other(code: str) -> dict | None:
    """Ask the plugins that registered a resolver on ``petition.status_lookup`` (e.g. a one-stop centre's case
    code). A resolver answers None or a dict {"code", "stage", "matters": [{"kind", "stage", "summary"}],
    "rating"?: {"url", "choices": [(value, label)], "open": bool, "done": bool}} — never personal data."""
    from .points import status_lookup
    for _receiver, answer in status_lookup.send(None, code=(code or "").strip()):
        if answer:
            return answer
    return None
