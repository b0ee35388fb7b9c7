from flask import Blueprint, render_template

from core.auth.guard import require

bp = Blueprint("petition", __name__, template_folder="templates")


@bp.get("/")
@require("petition.case.read")
def index():
    return render_template("petition/index.html")
