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
    user = _with_grants(uid)
    if user is None or not user.active or epoch != str(user.session_epoch or 0):
        return None
    if has_request_context() and not _fresh():
        for key in ("_user_id", "_fresh", "_id", SIGNED_IN_AT, SEEN_AT, MUST_CHANGE):
            session.pop(key, None)
        return None
    return user


def _with_grants(uid: int) -> User | None:
    """The user row (with its region), the grants stamp, the unread count, the settings stamp and the newest
    audit entry's id in one Core query; roles and permissions from the per-process cache (core.auth.grants).

    Issue 22: loading the user through the ORM (a joined region, its joined parent, the statement built and
    its cache key computed per request) cost ~1,000 Python calls on every signed-in page. The statement is
    built once per process, and the ``User`` (and its ``Region``) are made from the row as persistent objects
    of this request's session, exactly as a load would leave them: every column loaded, ``roles`` and
    ``region.parent`` loaded on first use. The row is read on every request, so a disabled account, a new
    session epoch, a role change (grants stamp) or an edited user or region is seen at once."""
    from core.audit import newest as audit_newest
    from core.auth import grants
    from core.settings import services as settings
    session = db.session()
    row = session.connection().execute(_user_statement(), {"uid": uid}).first()   # Core: no ORM loading
    if row is None:
        return None
    mapping = row._mapping
    region = _persistent(session, _region_class(), _REGION_COLUMNS, row) if mapping["r_id"] is not None else None
    user = _persistent(session, User, _USER_COLUMNS, row, region=region)
    settings.remember_stamp(row._mapping["settings_stamp"])
    audit_newest.remember(row._mapping["audit_newest"])
    grants.attach(user, row._mapping["grants_stamp"], str(db.engine.url))
    user.__dict__["_unread_at_load"] = row._mapping["unread"]
    return user


_USER_COLUMNS: list[tuple[str, str]] = []     # (attribute, label in the row)
_REGION_COLUMNS: list[tuple[str, str]] = []
_statement = None


def _region_class():
    from core.regions.models import Region
    return Region


def _user_statement():
    """``SELECT core_user.*, region.* , grants stamp, unread count, settings stamp … WHERE id = :uid``, built
    once per process (the Core statement's compiled form is then found in the engine's cache)."""
    global _statement
    if _statement is None:
        from sqlalchemy import bindparam, func, select
        from core.auth import grants
        from core.notifications.models import Notification
        from core.settings import services as settings
        from core.settings.models import Setting
        from core.audit import newest as audit_newest
        Region = _region_class()
        user_t, region_t = User.__table__, Region.__table__
        cols, user_cols, region_cols = [], [], []
        for prop in User.__mapper__.column_attrs:
            label = "u_" + prop.key
            cols.append(prop.columns[0].label(label))
            user_cols.append((prop.key, label))
        for prop in Region.__mapper__.column_attrs:
            label = "r_" + prop.key
            cols.append(prop.columns[0].label(label))
            region_cols.append((prop.key, label))
        # the top bar's unread badge (read by core.notifications only on a GET, which changes no notification)
        unread = (select(func.count(Notification.__table__.c.id))
                  .where(Notification.__table__.c.user_id == user_t.c.id,
                         Notification.__table__.c.read_at.is_(None)).scalar_subquery())
        setting_t = Setting.__table__

        def stamp(key):
            return select(setting_t.c.value).where(setting_t.c.key == key).scalar_subquery()
        stmt = (select(*cols, stamp(grants.KEY).label("grants_stamp"), unread.label("unread"),
                       stamp(settings.STAMP).label("settings_stamp"), audit_newest.newest_column().label("audit_newest"))
                .select_from(user_t.outerjoin(region_t, region_t.c.id == user_t.c.region_id))
                .where(user_t.c.id == bindparam("uid")))
        _USER_COLUMNS[:], _REGION_COLUMNS[:] = user_cols, region_cols
        _statement = stmt
    return _statement


def _persistent(session, cls, columns, row, **loaded):
    """*cls*'s instance for *row* in *session*: the one already there, or a new one made persistent as if
    loaded (every column attribute and the *loaded* relationships set and committed, the other relationships
    loaded on first use)."""
    from sqlalchemy.orm import make_transient_to_detached
    mapping = row._mapping
    values = {key: mapping[label] for key, label in columns}
    values.update(loaded)
    mapper = cls.__mapper__
    existing = session.identity_map.get(mapper.identity_key_from_primary_key([values["id"]]))
    if existing is not None:
        return existing
    obj = mapper.class_manager.new_instance()
    obj.__dict__.update(values)
    make_transient_to_detached(obj)
    session.add(obj)
    return obj


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
