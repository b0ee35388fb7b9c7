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
    """The user, or AuthError with a message safe to show (never says which part was wrong)."""
    max_failures, lock_for = _lock_policy()
    user = db.session.scalar(select(User).where(User.username == (username or "").strip()))
    now = clock.now()
    if user is not None and user.locked_until and user.locked_until > now:
        minutes = max(1, int((user.locked_until - now).total_seconds() // 60) + 1)
        raise AuthError(_("Too many failed attempts: this account is locked for %(minutes)d more minutes.", minutes=minutes))
    if user is None or not verify_password(user.password_hash, password or ""):
        if user is not None:
            user.failed_logins += 1
            if user.failed_logins >= max_failures:
                user.locked_until = now + lock_for
                user.failed_logins = 0
            db.session.commit()
        raise AuthError(_("Wrong user name or password."))
    if not user.active:
        raise AuthError(_("This account is disabled."))
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    db.session.commit()
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
