from flask import Blueprint, render_template

from core.auth.guard import require

bp = Blueprint("hearing", __name__, template_folder="templates")


@bp.get("/")
@require("hearing.hearing.read")
def index():
    return render_template("hearing/index.html")
