"""Administration: user edits, role grants and plugin enable/disable, with their rules."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from core.auth.models import Permission, Role, User
from core.audit.log import log_event
from core.db import db
from core.plugins import dependents_of
from core.regions.models import Region
from .models import PluginState


class AdminError(Exception):
    pass


def update_user(user: User, *, display_name: str, roles: list[str] | None, region_code: str | None,
                active: bool, password: str | None) -> None:
    """An account's details; *roles* None leaves its roles alone (under 三员分立 the system administrator
    edits accounts, the security administrator assigns roles: :func:`assign_roles`)."""
    from core.security import policy, sessions
    user.display_name = display_name or user.username
    if roles is not None:
        assign_roles(user, roles)
    user.region = db.session.scalar(select(Region).where(Region.code == region_code)) if region_code else None
    was_active = user.active
    user.active = active
    end_sessions = was_active and not active
    if password:
        try:
            policy.check(password, user)
        except policy.PolicyError as exc:
            raise AdminError(str(exc)) from exc
        # a password an administrator sets is an initial one: its holder changes it at the next sign-in
        policy.set_password(user, password, must_change=True)
        end_sessions = True
    if end_sessions:
        log_event("sessions_ended", "core_user", user.id, text=user.username,
                  new="password reset" if password else "disabled")
        sessions.end_all(user)
    user.__dict__.pop("_perm_cache", None)


def assign_roles(user: User, roles: list[str]) -> None:
    """Give *user* exactly *roles* (at least one; never two administrator duties), audited as a
    permission change."""
    from core.security.duties import DutyError, check_roles
    role_rows = [r for r in (db.session.get(Role, c) for c in roles) if r is not None]
    if not role_rows:
        raise AdminError(_("Choose at least one role."))
    try:
        check_roles([r.code for r in role_rows])
    except DutyError as exc:
        raise AdminError(str(exc)) from exc
    before = sorted(r.code for r in user.roles)
    user.roles = role_rows
    after = sorted(r.code for r in role_rows)
    if after != before:
        log_event("permission_change", "core_user", user.id, field="roles", old=",".join(before), new=",".join(after))
    user.__dict__.pop("_perm_cache", None)


def set_role_permissions(role: Role, codes: list[str], acting_user: User) -> None:
    perms = list(db.session.scalars(select(Permission).where(Permission.code.in_(codes))))
    if role.code == "admin" and "admin.roles.manage" not in {p.code for p in perms}:
        raise AdminError(_("The administrator role must keep the right to manage roles."))
    before = sorted(p.code for p in role.permissions)
    role.permissions = perms
    after = sorted(p.code for p in perms)
    if before != after:
        log_event("permission_change", "core_role", role.code, field="permissions",
                  old=",".join(sorted(set(before) - set(after))), new=",".join(sorted(set(after) - set(before))))


def disabled_plugins(app) -> set[str]:
    """Plugins an administrator disabled on the Apps page.

    A database that cannot be reached at start-up disables nothing: the app still starts and answers
    503 on every page that needs the database, instead of refusing to boot.
    """
    from sqlalchemy import inspect
    from sqlalchemy.exc import OperationalError
    with app.app_context():
        try:
            if not inspect(db.engine).has_table("core_plugin_state"):
                return set()
            disabled = set(db.session.scalars(select(PluginState.name).where(PluginState.enabled.is_(False))))
        except OperationalError as exc:
            app.logger.warning("database unreachable at start-up, no plugin disabled: %s", exc.orig or exc)
            return set()
        finally:
            db.session.remove()
    return disabled


def set_plugin_enabled(host, name: str, enabled: bool) -> None:
    if name not in host.available:
        raise AdminError(_("No installed plugin is called %(name)s.", name=name))
    if not enabled:
        state = {r.name: r.enabled for r in db.session.scalars(select(PluginState))}
        still_enabled = [m for m in host.available.values() if state.get(m.name, True) and m.name != name]
        users = dependents_of(name, still_enabled)
        if users:
            raise AdminError(_("%(name)s cannot be disabled: %(users)s depend on it. Disable those first.",
                               name=name, users=", ".join(users)))
    else:
        state = {r.name: r.enabled for r in db.session.scalars(select(PluginState))}
        missing = [d for d in host.available[name].depends if not state.get(d, True)]
        if missing:
            raise AdminError(_("%(name)s needs %(deps)s: enable those first.", name=name, deps=", ".join(missing)))
    row = db.session.get(PluginState, name) or PluginState(name=name)
    row.enabled = enabled
    db.session.add(row)
