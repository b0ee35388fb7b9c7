"""Signing in (with lockout), creating users, and keeping role grants in step with the plugins."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from core.db import db
from core.regions.models import Region
from core import clock
from .models import Permission, Role, User
from .passwords import MIN_LENGTH, hash_password, verify_password
from .roles import declared_roles


class AuthError(Exception):
    pass


def _lock_policy():
    cfg = current_app.config
    return int(cfg.get("LOGIN_MAX_FAILURES", 5)), timedelta(minutes=int(cfg.get("LOGIN_LOCK_MINUTES", 15)))


def authenticate(username: str, password: str) -> User:
    """The user, or AuthError with a message safe to show (never says which part was wrong).

    Failures are counted per account and per address by ``core.auth.throttle`` in their own rows and
    transactions: never more comparisons than the limit, and the user row's version is never touched."""
    from sqlalchemy.orm.attributes import set_committed_value
    from . import throttle
    username = (username or "").strip()
    try:
        reservation = throttle.reserve(username)
    except throttle.Locked as exc:
        if exc.by_address:
            raise AuthError(_("Too many failed attempts from this address: wait %(minutes)d minutes.",
                              minutes=exc.minutes)) from None
        raise AuthError(_("Too many failed attempts: this account is locked for %(minutes)d more minutes.",
                          minutes=exc.minutes)) from None
    except throttle.Busy:
        raise AuthError(_("Too many attempts; wait and try again.")) from None
    try:
        user = db.session.scalar(select(User).where(User.username == username))
        ok = user is not None and verify_password(user.password_hash, password or "")
    except BaseException:
        throttle.cancelled(reservation)
        raise
    if not ok:
        throttle.failed(reservation, user.id if user is not None else None)
        raise AuthError(_("Wrong user name or password."))
    throttle.succeeded(reservation, user.id)
    for key, value in (("last_login_at", clock.now()), ("failed_logins", 0), ("locked_until", None)):
        set_committed_value(user, key, value)           # stamped above without the optimistic lock
    if not user.active:
        raise AuthError(_("This account is disabled."))
    return user


def validate_new_password(password: str) -> None:
    if len(password or "") < MIN_LENGTH:
        raise AuthError(_("A password needs at least %(n)d characters.", n=MIN_LENGTH))


def create_user(username: str, password: str, roles: list[str], region_code: str | None = None,
                display_name: str = "", check_password: bool = True) -> User:
    username = (username or "").strip()
    if not username or len(username) > 60 or any(c.isspace() for c in username):
        raise AuthError(_("A user name is 1–60 characters without spaces."))
    if db.session.scalar(select(User.id).where(User.username == username)) is not None:
        raise AuthError(_("The user name %(name)s is taken.", name=username))
    role_rows = []
    for code in roles:
        role = db.session.get(Role, code)
        if role is None:
            raise AuthError(_("Unknown role %(role)s. Known roles: %(roles)s", role=code, roles=", ".join(sorted(db.session.scalars(select(Role.code))))))
        role_rows.append(role)
    if check_password:
        validate_new_password(password)
    region = None
    if region_code:
        region = db.session.scalar(select(Region).where(Region.code == region_code))
        if region is None:
            raise AuthError(_("Unknown region code %(code)s.", code=region_code))
    user = User(username=username, display_name=display_name or username, password_hash=hash_password(password),
                roles=role_rows, region=region)
    db.session.add(user)
    db.session.flush()
    return user


def sync_roles_and_permissions(host) -> dict[str, int]:
    """Make the permission table match what the loaded plugins declare; add default grants once.

    Grants an admin removed are not re-added: a grant is added only for a permission that is new.
    """
    declared = {c.key: (c.plugin, str(c.value)) for c in host.items("permission")}
    existing = {p.code: p for p in db.session.scalars(select(Permission))}
    new_codes = set(declared) - set(existing)
    for code, (plugin, label) in declared.items():
        if code in existing:
            existing[code].label = label
            existing[code].plugin = plugin
        else:
            db.session.add(Permission(code=code, plugin=plugin, label=label))
    db.session.flush()
    new_roles = set()
    for code, decl in declared_roles(host).items():
        role = db.session.get(Role, code)
        if role is None:
            role = Role(code=code, name=str(decl.label), description=str(decl.description))
            db.session.add(role)
            new_roles.add(code)
    db.session.flush()
    perms = {p.code: p for p in db.session.scalars(select(Permission))}
    every_role = host.default_grants.get("*", set())
    for role in db.session.scalars(select(Role).order_by(Role.code)):
        codes = host.default_grants.get(role.code, set()) | every_role
        have = {p.code for p in role.permissions}
        # a grant is added once: for a new role, a new permission, or on the first sync
        for code in sorted(codes if (role.code in new_roles or not existing) else codes & new_codes):
            if code in perms and code not in have:
                role.permissions.append(perms[code])
    admin = db.session.get(Role, "admin")
    admin_have = {p.code for p in admin.permissions}
    for code in sorted(new_codes if existing else declared):
        if code not in admin_have:
            admin.permissions.append(perms[code])
    db.session.flush()
    return {"permissions": len(declared), "new": len(new_codes)}
