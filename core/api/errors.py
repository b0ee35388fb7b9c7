"""JSON error format of the API: ``{"error": {"code", "message", "fields"?}}``."""
from __future__ import annotations

from flask import jsonify
from flask_babel import gettext as _

_MESSAGES = {
    400: ("bad_request", lambda: _("The request could not be read.")),
    401: ("unauthorized", lambda: _("Sign in first: send a valid bearer token.")),
    403: ("forbidden", lambda: _("Your role may not do this.")),
    404: ("not_found", lambda: _("No such record, or it lies outside your region.")),
    405: ("method_not_allowed", lambda: _("This method is not allowed here.")),
    409: ("conflict", lambda: _("The record was changed by someone else; reload it and try again.")),
    413: ("too_large", lambda: _("The request is too large.")),
    415: ("unsupported_media_type", lambda: _("Send JSON (Content-Type: application/json).")),
    422: ("invalid", lambda: _("Some fields are not valid.")),
    429: ("too_many_requests", lambda: _("Too many attempts; wait and try again.")),
    500: ("server_error", lambda: _("Something went wrong on our side; nothing was saved.")),
}


class ApiError(Exception):
    def __init__(self, status: int, code: str | None = None, message: str | None = None, fields: dict | None = None):
        super().__init__(message or code)
        self.status, self.code, self.message, self.fields = status, code, message, fields


def api_error(status: int, code: str | None = None, message: str | None = None, fields: dict | None = None):
    default_code, default_message = _MESSAGES.get(status, ("error", lambda: _("Error")))
    body = {"code": code or default_code, "message": message or default_message()}
    if fields:
        body["fields"] = fields
    response = jsonify({"error": body})
    response.status_code = status
    return response


def answer(exc: ApiError):
    """Flask error handler for ``ApiError``: rolls back whatever the request left unsaved."""
    from core.db import db
    db.session.rollback()
    return api_error(exc.status, exc.code, exc.message, exc.fields)


def invalid(fields: dict[str, str], message: str | None = None) -> ApiError:
    """An ApiError answering 422 with *fields* (field → message); ``raise invalid({...})``."""
    return ApiError(422, "invalid", message, fields)


def run_service(fn, *args, **kwargs):
    """Call a service for an API view: its ``ServiceError`` becomes 422 with the fields, or 409 when the
    step is not possible in the record's present state (no field to point at)."""
    from core.errors import ServiceError
    try:
        return fn(*args, **kwargs)
    except ServiceError as exc:
        fields = {k: str(v) for k, v in exc.errors.items() if k}
        if fields:
            raise invalid(fields) from None
        raise ApiError(409, "invalid_state", str(exc)) from None
