"""A user's roles and permissions, computed once per process and reused until the grants change (issue 22).

Every request used to load the user's roles and each role's permissions (three queries and some fifty ORM
objects). Now the user row is read with one extra column, the *grants stamp* (a setting rewritten with a
fresh random value whenever a role, a permission or a user's roles change, in the same transaction), and the
role codes and permission codes come from a per-process cache keyed by (database, stamp, user). An edit in
any process changes the stamp, so every process recomputes on its next request; an edit that rolls back
leaves the old stamp (and the old, still true, grants). The user's own checks (active, session epoch) still
read the user row on every request.
"""
from __future__ import annotations

import threading

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session

KEY = "core.grants_stamp"
_lock = threading.Lock()
_cache: dict[tuple, tuple[frozenset, frozenset]] = {}
_MAX = 5000


def stamp_column():
    """A scalar subquery of the current stamp, to select next to the user row."""
    from core.settings.models import Setting
    return select(Setting.value).where(Setting.key == KEY).scalar_subquery()


def attach(user, stamp, url: str) -> None:
    """Give *user* its role and permission codes from the cache (computing them on a miss)."""
    key = (url, str(stamp), user.id)
    with _lock:
        hit = _cache.get(key)
    if hit is None:
        hit = _compute(user)
        with _lock:
            if len(_cache) >= _MAX:
                _cache.clear()
            _cache[key] = hit
    user.__dict__["_role_cache"], user.__dict__["_perm_cache"] = hit


def _compute(user) -> tuple[frozenset, frozenset]:
    from core.security.duties import role_permissions, strict
    roles = list(user.roles)
    codes = frozenset(r.code for r in roles)
    if strict():   # 三员分立: each administrator role holds only its own duty
        perms = frozenset().union(*[role_permissions(r.code, (p.code for p in r.permissions)) for r in roles])
    else:
        perms = frozenset(p.code for r in roles for p in r.permissions)
    return codes, perms


def clear() -> None:
    with _lock:
        _cache.clear()


@event.listens_for(Session, "before_flush")
def _restamp(session, flush_context, instances) -> None:
    """A role, a permission or a user's roles changed in this flush: write a new stamp with it."""
    from core.auth.models import Permission, Role, User
    from core.settings.models import renew_stamp
    touched = False
    for obj in list(session.new) + list(session.dirty) + list(session.deleted):
        if isinstance(obj, (Role, Permission)):
            touched = True
        elif isinstance(obj, User) and obj not in session.new:
            if inspect(obj).attrs.roles.history.has_changes():
                touched = True
        if touched:
            break
    if not touched:
        return
    renew_stamp(session, KEY)
    for obj in session.identity_map.values():
        if isinstance(obj, User):   # users loaded in this session see the change at once
            obj.__dict__.pop("_perm_cache", None)
            obj.__dict__.pop("_role_cache", None)
