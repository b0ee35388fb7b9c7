from flask import Blueprint, current_app, render_template

from core.toolkit import require

bp = Blueprint("example", __name__, template_folder="templates")


@bp.get("/")
@require("example.page.read")
def index():
    host = current_app.extensions["concord"]
    return render_template("example/index.html", plugins=[m.name for m in host.loaded])
