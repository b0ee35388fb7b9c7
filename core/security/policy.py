"""Password policy (等保 2.0 §8.1.4.1 b: complexity and periodic change): length, character classes, no
reuse of the last N passwords, a maximum age; settings the security administrator edits."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select

from core import clock
from core.auth.models import PasswordHistory, User
from core.auth.passwords import hash_password, verify_password
from core.db import db

DEFAULTS = {
    "password_min_length": 10,
    "password_min_classes": 2,      # of: lower case, upper case, digits, other characters
    "password_history": 5,          # a new password may not repeat any of the last N
    "password_max_age_days": 90,    # 0: passwords do not expire
}
PREFIX = "core.security."


class PolicyError(ValueError):
    """A password the policy refuses; the message is safe to show."""


def setting(name: str):
    from core.settings import services as settings
    try:
        value = settings.get(PREFIX + name)
    except KeyError:   # settings service not installed
        value = DEFAULTS[name]
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return DEFAULTS[name]


def classes(password: str) -> int:
    kinds = (any(c.islower() for c in password), any(c.isupper() for c in password),
             any(c.isdigit() for c in password), any(not c.isalnum() for c in password))
    return sum(kinds)


def check(password: str, user: User | None = None, history: bool = True) -> None:
    """Raise PolicyError unless *password* meets the policy (and, for *user*, is not a recent one)."""
    password = password or ""
    min_length = max(8, setting("password_min_length"))
    if len(password) < min_length:
        raise PolicyError(_("A password needs at least %(n)d characters.", n=min_length))
    if len(password) > 200:
        raise PolicyError(_("A password has at most %(n)d characters.", n=200))
    need = min(4, setting("password_min_classes"))
    if classes(password) < need:
        raise PolicyError(_("A password needs at least %(n)d of these: lower-case letters, upper-case letters, "
                            "digits, other characters.", n=need))
    if user is not None and user.username and user.username.lower() in password.lower():
        raise PolicyError(_("A password must not contain the user name."))
    if history and user is not None and user.id is not None and _reused(user, password):
        raise PolicyError(_("This password was used recently; choose another one."))


def _recent_hashes(user: User) -> list[str]:
    n = setting("password_history")
    if n <= 0:
        return []
    rows = db.session.scalars(select(PasswordHistory.password_hash).where(PasswordHistory.user_id == user.id)
                              .order_by(PasswordHistory.id.desc()).limit(n))
    return list(rows)


def _reused(user: User, password: str) -> bool:
    hashes = _recent_hashes(user)
    if user.password_hash and user.password_hash not in hashes:
        hashes = [user.password_hash] + hashes
    return any(verify_password(h, password) for h in hashes)


def set_password(user: User, password: str, *, must_change: bool = False) -> None:
    """Store a new password (already checked) and remember it for the reuse rule."""
    now = clock.now()
    user.password_hash = hash_password(password)
    user.password_changed_at = now
    user.must_change_password = bool(must_change)
    if user.id is not None:
        db.session.add(PasswordHistory(user_id=user.id, password_hash=user.password_hash, created_at=now))
        keep = max(1, setting("password_history"))
        old = select(PasswordHistory.id).where(PasswordHistory.user_id == user.id).order_by(
            PasswordHistory.id.desc()).offset(keep)
        db.session.flush()
        stale = list(db.session.scalars(old))
        if stale:
            db.session.execute(delete(PasswordHistory).where(PasswordHistory.id.in_(stale)))


def expired(user: User) -> bool:
    days = setting("password_max_age_days")
    if days <= 0 or user.password_changed_at is None:
        return False
    return clock.now() - user.password_changed_at > timedelta(days=days)


def demo_mode() -> bool:
    return bool(current_app.config.get("DEMO"))


def must_change(user: User) -> bool:
    """Outside demo mode: an initial password an administrator set, or one past its maximum age."""
    if demo_mode():
        return False
    return bool(user.must_change_password) or expired(user)


def initial_password(user: User, password: str) -> None:
    """A new account's password an administrator chose: checked against the policy, stored in the
    history, and to be changed by its holder at the first sign-in (outside demo mode). Raises
    ``core.auth.services.AuthError`` so the callers of ``create_user`` show it like their own errors."""
    from core.auth.services import AuthError
    from .duties import DutyError, check_roles
    try:
        check(password, user, history=False)      # the account is new: it has no earlier password
        check_roles([r.code for r in user.roles])
    except (PolicyError, DutyError) as exc:
        raise AuthError(str(exc)) from exc
    set_password(user, password, must_change=not demo_mode())
