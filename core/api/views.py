from flask import Blueprint, jsonify, request
from flask_babel import gettext as _

from core.auth.guard import public
from core.auth.services import AuthError, authenticate
from core.auth.tokens import issue_token
from core.db import db
from .errors import api_error

bp = Blueprint("api", __name__)


@bp.post("/auth/token")
@public
def token():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        return api_error(400, message=_("Send a JSON object with username and password."))
    username, password = body.get("username"), body.get("password")
    fields = {}
    if not isinstance(username, str) or not username:
        fields["username"] = _("Required.")
    if not isinstance(password, str) or not password:
        fields["password"] = _("Required.")
    if fields:
        return api_error(422, fields=fields)
    try:
        user = authenticate(username, password)
    except AuthError as exc:
        return api_error(401, "invalid_credentials", str(exc))
    token_value = issue_token(user)
    db.session.commit()
    return jsonify(token=token_value)
