"""Reading and changing settings. A value comes from, in order: the database (admin), the province
file ``instance/concord.toml`` (section ``[settings]``), the plugin's declared default."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from flask_babel import gettext as _

from core.db import db
from .models import Setting


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
    host = current_app.extensions["concord"]
    return {c.key: (c.plugin, c.value) for c in host.items("setting")}


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
    row = db.session.get(Setting, key)
    if row is not None:
        return SettingInfo(key, plugin, default, row.value, "admin")
    province = _province()
    if key in province:
        return SettingInfo(key, plugin, default, province[key], "province")
    return SettingInfo(key, plugin, default, default, "default")


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
