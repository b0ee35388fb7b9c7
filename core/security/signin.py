"""The steps of signing in and out that the 等保 controls add around the password check: the second
factor, the forced password change, session stamps, and an audit row for each outcome."""
from __future__ import annotations

import time

from flask import redirect, session, url_for
from flask_login import login_user
from sqlalchemy import select

from core.auth.models import User
from core.db import db
from . import sessions

PENDING = "_pending_second_factor"
PENDING_SECONDS = 300


def _audit(action: str, user_id=None, text=None, result=None, user=None) -> None:
    from core.audit.log import log_read
    log_read(action, "core_user", user_id, text=text, field=result, user=user)


def login_failed(username: str, message: str) -> None:
    """A failed sign-in: subject the account tried (when it exists), the address, and the outcome."""
    name = (username or "").strip()[:60]
    user = db.session.scalar(select(User).where(User.username == name)) if name else None
    locked = _locked(name)
    _audit("lockout" if locked else "login_failed", user.id if user else None, text=name,
           result="locked" if locked else "refused", user=user if user else False)


def _locked(username: str) -> bool:
    """Is the account locked now (core.auth.throttle keeps the count and the lock in their own rows)?"""
    from core import clock
    try:
        from core.concurrency.models import LoginThrottle
    except ImportError:  # pragma: no cover - throttle not installed
        return False
    until = db.session.execute(select(LoginThrottle.locked_until).where(
        LoginThrottle.subject == f"user:{username.lower()[:100]}")).scalar()
    return until is not None and until > clock.now()


def after_password(user: User, next_url: str):
    """The password was right: ask for the second factor if the user has one, else sign in."""
    if user.totp_secret:
        session[PENDING] = {"id": user.id, "epoch": user.session_epoch or 0, "at": int(time.time()),
                            "next": next_url}
        return redirect(url_for("security.second_factor"))
    return complete(user, next_url)


def pending_user() -> tuple[User | None, str]:
    data = session.get(PENDING)
    if not isinstance(data, dict) or int(time.time()) - int(data.get("at", 0)) > PENDING_SECONDS:
        session.pop(PENDING, None)
        return None, ""
    user = db.session.get(User, int(data.get("id", 0)))
    if user is None or not user.active or (user.session_epoch or 0) != data.get("epoch"):
        return None, ""
    return user, data.get("next") or url_for("shell.home")


def complete(user: User, next_url: str):
    from .policy import must_change
    session.pop(PENDING, None)
    login_user(user)
    sessions.start(user)
    if must_change(user):
        session[sessions.MUST_CHANGE] = True
        return redirect(url_for("security.change_password"))
    return redirect(next_url)


def sign_out(user: User) -> None:
    _audit("logout", user.id, text=user.username, result="ok", user=user)
    sessions.end_all(user)
    db.session.commit()


def token_refusal(user: User, otp: str | None) -> str | None:
    """Why the API may not issue *user* a token: a second factor missing or wrong, or a password that must
    be changed on the web first. None when it may (the token request is audited as a sign-in)."""
    from flask_babel import gettext as _
    from .policy import must_change
    if user.totp_secret:
        from .totp import verify
        if not otp or not verify(user, otp):
            _audit("login_failed", user.id, text=user.username, result="second factor refused", user=user)
            return _("The code is wrong or expired.")
    if must_change(user):
        _audit("login_failed", user.id, text=user.username, result="password must be changed", user=user)
        return _("Change your password on the web before using the API.")
    _audit("login", user.id, text=user.username, result="api token", user=user)
    return None
