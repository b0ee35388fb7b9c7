"""Access control: every route declares who may use it, and anything undeclared is refused.

``@require("plugin.thing.action")`` marks a view; ``@public`` marks one that needs no login;
``@login_only`` marks one any signed-in user may use. A global ``before_request`` hook enforces the
mark, so a route that forgot to declare anything answers 403 rather than leaking.
"""
from __future__ import annotations

from functools import wraps

from flask import abort, current_app, redirect, request, url_for
from flask_login import current_user

PUBLIC = "__public__"
LOGIN = "__login__"


def _mark(fn, value):
    fn._concord_permission = value
    return fn


def require(*codes: str):
    """Allow users holding any of *codes*."""
    def decorator(fn):
        @wraps(fn)
        def wrapper(*a, **kw):
            return fn(*a, **kw)
        return _mark(wrapper, tuple(codes))
    return decorator


def public(fn):
    return _mark(fn, PUBLIC)


def login_only(fn):
    return _mark(fn, LOGIN)


def view_permission(endpoint: str | None):
    if endpoint is None:
        return None
    if endpoint == "static" or endpoint.endswith(".static"):
        return PUBLIC
    view = current_app.view_functions.get(endpoint)
    return getattr(view, "_concord_permission", None)


def wants_json() -> bool:
    return request.path.startswith("/api/")


def enforce():
    """before_request: check the endpoint's declared permission."""
    mark = view_permission(request.endpoint)
    if request.endpoint is None:
        return None  # 404 handled by Flask
    if mark == PUBLIC:
        return None
    if wants_json():
        return _enforce_api(mark)
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))
    if mark is None:
        current_app.logger.error("route %s declares no permission; refused", request.endpoint)
        abort(403)
    if mark == LOGIN:
        return None
    if not any(current_user.can(code) for code in mark):
        abort(403)
    return None


def user_may_open(user, endpoint: str) -> bool:
    mark = view_permission(endpoint)
    if mark in (PUBLIC, LOGIN):
        return True
    if not mark:
        return False
    return any(user.can(c) for c in mark)


def _enforce_api(mark):
    """The API authenticates by bearer token only (never the session cookie, so no CSRF exposure)."""
    from flask import g
    from core.api.errors import api_error
    from .tokens import bearer_from_header, user_for_token

    user = user_for_token(bearer_from_header(request.headers.get("Authorization")))
    if user is not None:
        g._login_user = user
    else:
        from flask_login import AnonymousUserMixin
        g._login_user = AnonymousUserMixin()
    if mark == PUBLIC:
        return None
    if user is None:
        return api_error(401, "unauthorized")
    if mark is None:
        return api_error(403, "forbidden")
    if mark != LOGIN and not any(user.can(code) for code in mark):
        return api_error(403, "forbidden")
    return None
