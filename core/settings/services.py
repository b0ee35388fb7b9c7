"""Reading and changing settings. A value comes from, in order: the database (admin), the province
file ``instance/concord.toml`` (section ``[settings]``), the plugin's declared default.

The administrators' values are read once per process and reused until they change (issue 22): every
change written through the ORM (``set_value``, ``reset``, any flush of a ``Setting``) writes a fresh random
*settings stamp* in the same transaction, and the per-process copy is keyed by (database, stamp). A signed-in
request gets the stamp with its user row (core.security.sessions), so a page reads no settings row; any other
caller reads the stamp (one indexed row) per call. A change in any process is seen by the next request in
every process; a change that rolls back leaves the old stamp and the old, still true, values."""
from __future__ import annotations

import copy
import threading
from dataclasses import dataclass
from typing import Any

from flask import current_app, g, has_app_context, has_request_context
from flask_babel import gettext as _
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from core.db import db
from .models import Setting, renew_stamp

STAMP = "core.settings_stamp"
_INTERNAL = frozenset({STAMP, "core.grants_stamp"})   # stamps, not settings: they never restamp or get cached
_lock = threading.Lock()
_cache: dict[tuple, dict[str, Any]] = {}
_MAX = 64
_UNSET = object()


class SettingError(ValueError):
    pass


@dataclass
class SettingInfo:
    key: str
    plugin: str
    default: Any
    value: Any
    source: str  # "default" | "province" | "admin"


def declared() -> dict[str, tuple[str, Any]]:
    """key → (plugin, default) of every declared setting, made once per app and set of contributions."""
    host = current_app.extensions["concord"]
    count = len(host.contributions)
    kept = host.__dict__.get("_declared_settings")
    if kept is None or kept[0] != count:
        kept = host._declared_settings = (count, {c.key: (c.plugin, c.value) for c in host.items("setting")})
    return kept[1]


def _province() -> dict:
    return (current_app.config.get("PROVINCE_OVERRIDES") or {}).get("settings", {})


def get(key: str) -> Any:
    info = describe(key)
    return info.value


def describe(key: str) -> SettingInfo:
    decl = declared()
    if key not in decl:
        raise KeyError(key)
    plugin, default = decl[key]
    stored = _stored()
    if key in stored:
        value = stored[key]
        if isinstance(value, (list, dict)):   # the cached copy is shared: hand out a copy of a mutable value
            value = copy.deepcopy(value)
        return SettingInfo(key, plugin, default, value, "admin")
    province = _province()
    if key in province:
        return SettingInfo(key, plugin, default, province[key], "province")
    return SettingInfo(key, plugin, default, default, "default")


def settings_texts() -> dict | None:
    """A dict of what is made from the request's language and the administrators' settings only (a coded
    value's configured words, a list's filter options), kept per process, app and language until a setting
    changes (a new settings stamp: the next request anywhere starts a new one); ``None`` outside a request's
    language context (made every time then, see ``core.i18n.remembered``). Issue 22: the disputes list drew
    its filters and risk words from the settings on every request."""
    from core.i18n import catalogue_texts
    texts = catalogue_texts()
    if texts is None:
        return None
    key = (id(current_app._get_current_object()), str(db.engine.url), str(_stamp()))
    kept = texts.get(_SETTINGS_TEXTS)
    if kept is None or kept[0] != key:
        kept = texts[_SETTINGS_TEXTS] = (key, {})
    return kept[1]


_SETTINGS_TEXTS = ("core.settings", "texts")


def stamp_column():
    """A scalar subquery of the current settings stamp, to select next to the signed-in user's row."""
    return select(Setting.value).where(Setting.key == STAMP).scalar_subquery()


def remember_stamp(stamp) -> None:
    """The request's settings stamp, read with the user row: settings read in this request need no query."""
    if has_request_context():
        g._settings_stamp = stamp


def _stamp():
    if has_request_context():
        stamp = g.get("_settings_stamp", _UNSET)
        if stamp is not _UNSET:
            return stamp
    stamp = db.session.execute(select(Setting.value).where(Setting.key == STAMP)).scalar()
    remember_stamp(stamp)
    return stamp


def _stored() -> dict[str, Any]:
    """Every administrator's value, from the per-process copy for the current stamp (read on a miss)."""
    key = (str(db.engine.url), str(_stamp()))
    hit = _cache.get(key)
    if hit is None:
        hit = {k: v for k, v in db.session.execute(select(Setting.key, Setting.value)) if k not in _INTERNAL}
        with _lock:
            if len(_cache) >= _MAX:
                _cache.clear()
            _cache[key] = hit
    return hit


def clear() -> None:
    with _lock:
        _cache.clear()


@event.listens_for(Session, "before_flush")
def _restamp(session, flush_context, instances) -> None:
    """A setting was added, changed or removed in this flush: write a new settings stamp with it."""
    if not any(isinstance(obj, Setting) and obj.key not in _INTERNAL
               for obj in (*session.new, *session.dirty, *session.deleted)):
        return
    renew_stamp(session, STAMP)
    if has_app_context():
        g.pop("_settings_stamp", None)   # this request's later reads see the new stamp (and values)


def all_settings() -> list[SettingInfo]:
    return [describe(k) for k in sorted(declared())]


def coerce(default: Any, raw: str) -> Any:
    """Parse what an administrator typed into the declared default's type."""
    raw = (raw or "").strip()
    if isinstance(default, bool):
        if raw.lower() in ("1", "true", "yes", "on", "是"):
            return True
        if raw.lower() in ("0", "false", "no", "off", "否", ""):
            return False
        raise SettingError(_("Enter yes or no."))
    if isinstance(default, int):
        try:
            return int(raw)
        except ValueError:
            raise SettingError(_("Enter a whole number.")) from None
    if isinstance(default, float):
        try:
            return float(raw)
        except ValueError:
            raise SettingError(_("Enter a number.")) from None
    if isinstance(default, (list, tuple)):
        return [part.strip() for part in raw.replace("，", ",").split(",") if part.strip()]
    if len(raw) > 2000:
        raise SettingError(_("At most 2000 characters."))
    return raw


def set_value(key: str, raw: str, user=None) -> SettingInfo:
    decl = declared()
    if key not in decl:
        raise SettingError(_("Unknown setting %(key)s.", key=key))
    value = coerce(decl[key][1], raw)
    row = db.session.get(Setting, key) or Setting(key=key)
    row.value = value
    row.updated_by_id = getattr(user, "id", None)
    db.session.add(row)
    db.session.flush()
    return describe(key)


def reset(key: str) -> None:
    row = db.session.get(Setting, key)
    if row is not None:
        db.session.delete(row)
        db.session.flush()
