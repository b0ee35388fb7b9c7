from flask import Blueprint, render_template

from core.auth.guard import require

bp = Blueprint("mediation", __name__, template_folder="templates")


@bp.get("/")
@require("mediation.dispute.read")
def index():
    return render_template("mediation/index.html")
