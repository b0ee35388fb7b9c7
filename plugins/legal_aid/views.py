from flask import Blueprint, render_template

from core.auth.guard import require

bp = Blueprint("legal_aid", __name__, template_folder="templates")


@bp.get("/")
@require("legal_aid.referral.read")
def index():
    return render_template("legal_aid/index.html")
