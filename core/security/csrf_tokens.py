"""The signed CSRF token of a page, made once a minute per session instead of once per page (issue 22).

Flask-WTF signs the session's raw token with a timestamp (itsdangerous: key derivation, JSON, HMAC) for
every page that carries a form, and every signed-in page does (the sign-out button). A token signed less
than ``REUSE_SECONDS`` ago for the same raw token is handed out again: it is exactly what Flask-WTF would
have made a few seconds earlier, checked the same way (signature, raw token in the session, age against
``WTF_CSRF_TIME_LIMIT``), so a page's token is at most a minute older than it would otherwise be."""
from __future__ import annotations

import time

from flask import g, session

REUSE_SECONDS = 60
_MAX_KEPT = 10_000
_signed: dict[str, tuple[str, float]] = {}     # raw session token → (signed token, when signed)


def _field(app) -> str:
    return app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token")


def init_app(app) -> None:
    field = _field(app)

    @app.before_request
    def reuse_signed_token():
        raw = session.get(field) if field in session else None
        if isinstance(raw, str):
            kept = _signed.get(raw)
            if kept is not None and time.monotonic() - kept[1] < REUSE_SECONDS:
                setattr(g, field, kept[0])

    @app.after_request
    def keep_signed_token(response):
        signed = g.__dict__.get(field)
        raw = session.get(field) if signed is not None else None
        if isinstance(raw, str) and isinstance(signed, str):
            kept = _signed.get(raw)
            if kept is None or kept[0] != signed:
                if len(_signed) >= _MAX_KEPT:
                    _signed.clear()
                _signed[raw] = (signed, time.monotonic())
        return response
