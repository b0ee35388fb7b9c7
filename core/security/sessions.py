"""Sessions and tokens (等保 2.0 §8.1.4.1 c/d): a per-user session epoch, an idle timeout and an absolute
lifetime. Flask-Login keeps ``"<id>:<epoch>"`` in the signed session cookie; raising the user's epoch (logout,
password change or reset, disable) makes every session of that user stop matching on its next request, and
the user's API tokens are deleted. The check costs nothing extra: the user row is loaded anyway."""
from __future__ import annotations

import time

from flask import current_app, has_request_context, session
from sqlalchemy import delete, update

from core.auth.models import ApiToken, User
from core.db import db

SIGNED_IN_AT = "_signed_in_at"
SEEN_AT = "_seen_at"
MUST_CHANGE = "_must_change"
TOUCH_EVERY = 60  # seconds: the idle clock is rewritten at most once a minute (one cookie per minute)


def idle_seconds() -> int:
    return int(current_app.config.get("SESSION_IDLE_MINUTES", 30)) * 60


def lifetime_seconds() -> int:
    return int(current_app.config.get("SESSION_MAX_HOURS", 12)) * 3600


def start(user: User) -> None:
    """After login_user: stamp the session with its start (absolute lifetime) and last use (idle)."""
    now = int(time.time())
    session[SIGNED_IN_AT] = now
    session[SEEN_AT] = now
    session.permanent = False


def load(ident: str) -> User | None:
    """The Flask-Login user loader."""
    uid, _sep, epoch = str(ident).partition(":")
    try:
        uid = int(uid)
    except (TypeError, ValueError):
        return None
    user = _with_grants(User.id == uid)
    if user is None or not user.active or epoch != str(user.session_epoch or 0):
        return None
    if has_request_context() and not _fresh():
        for key in ("_user_id", "_fresh", "_id", SIGNED_IN_AT, SEEN_AT, MUST_CHANGE):
            session.pop(key, None)
        return None
    return user


def _with_grants(*where) -> User | None:
    """The user row and the grants stamp in one query; roles and permissions from the per-process cache
    (core.auth.grants) instead of two more queries per request."""
    from sqlalchemy import func, select
    from sqlalchemy.orm import lazyload
    from core.auth import grants
    from core.notifications.models import Notification
    # the top bar's unread badge in the same query (issue 22: one query less per page); read by
    # core.notifications only on a GET, which changes no notification
    unread = select(func.count(Notification.id)).where(Notification.user_id == User.id,
                                                       Notification.read_at.is_(None)).scalar_subquery()
    from core.settings import services as settings
    # and the settings stamp: this request's settings come from the per-process copy without a query
    row = db.session.execute(select(User, grants.stamp_column(), unread, settings.stamp_column()).where(*where)
                             .options(lazyload(User.roles))).first()
    if row is None:
        return None
    user, stamp, unread_n, settings_stamp = row
    settings.remember_stamp(settings_stamp)
    grants.attach(user, stamp, str(db.engine.url))
    user.__dict__["_unread_at_load"] = unread_n
    return user


def _fresh() -> bool:
    now = int(time.time())
    started, seen = session.get(SIGNED_IN_AT), session.get(SEEN_AT)
    if not isinstance(started, int) or not isinstance(seen, int):
        return False
    if now - started > lifetime_seconds() or now - seen > idle_seconds():
        return False
    if now - seen >= TOUCH_EVERY:
        session[SEEN_AT] = now
    return True


def end_all(user: User) -> None:
    """End every session and API token of *user* (in the caller's transaction)."""
    if user is None or user.id is None:
        return
    db.session.execute(update(User).where(User.id == user.id)
                       .values(session_epoch=User.session_epoch + 1)
                       .execution_options(synchronize_session=False))
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    db.session.expire(user, ["session_epoch"])
