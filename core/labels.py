"""Labels a person reads for the codes the database keeps: one place for both languages.

A model declares its own labels next to its columns::

    class PetitionCase(db.Model):
        __record_label__ = _l("Petition item")                          # the record type
        __tracked_labels__ = {"state": _l("Stage"), ...}                # its fields
        __value_labels__ = {"state": STATES, "category": CATEGORIES}    # the values of coded fields

Events a plugin writes to the audit log (``petition.reply``) are labelled by the plugin that writes
them: ``register_actions("petition.", {"reply": _l("Reply"), ...})`` in its ``setup``. Settings keys
get theirs with ``register_setting_labels``. Anything without a label falls back to a neutral word,
never to the raw code (the crawl test in ``tests/test_no_raw_codes.py`` finds what is missing).
"""
from __future__ import annotations

import json
import re

from flask_babel import gettext as _, lazy_gettext as _l

_actions: dict[str, object] = {}          # full code → label
_settings: dict[str, object] = {}         # setting key → label
_record_types: dict[str, object] = {}     # table → label, for tables whose model cannot say it

CORE_ACTIONS = {
    "create": _l("Created"), "update": _l("Changed"), "delete": _l("Deleted"), "note": _l("Note"),
    "read_personal": _l("Read personal data"), "login": _l("Signed in"), "attachment": _l("Attachment"),
    "activity": _l("Activity"), "activity_done": _l("Activity done"), "logout": _l("Signed out"),
    "login_failed": _l("Sign-in failed"), "lockout": _l("Account locked"), "second_factor": _l("Second factor"),
    "password_change": _l("Password changed"), "sessions_ended": _l("Sessions ended"),
    "permission_change": _l("Permissions changed"), "export": _l("Export"), "audit_purge": _l("Audit log purged"),
    "deidentify": _l("Personal data removed"),
}
# core tables (plugins declare theirs on the model with ``__record_label__``)
_record_types.update({
    "core_person": _l("Person"), "core_organisation": _l("Organisation"), "core_user": _l("User"),
    "core_role": _l("Role"), "core_region": _l("Region"), "core_holiday": _l("Holiday calendar day"),
    "core_holiday_year": _l("Holiday calendar year"), "core_setting": _l("Setting"), "core_deadline": _l("Time limit"),
    "core_sequence": _l("Reference sequence"), "core_plugin_state": _l("App"), "core_kpi_definition": _l("KPI"),
    "core_notification": _l("Notification"), "core_api_token": _l("API token"),
})
CODE_RE = re.compile(r"^[a-z0-9]+([._][a-z0-9]+)+$")


# -- registration ------------------------------------------------------------------------------------
def register_actions(prefix: str, labels: dict) -> None:
    """Label audit events ``prefix + key`` (e.g. ``register_actions("petition.", {"reply": …})``)."""
    for key, label in labels.items():
        _actions[prefix + key] = label


def register_setting_labels(labels: dict) -> None:
    _settings.update(labels)


def register_record_type(table: str, label) -> None:
    _record_types[table] = label


# -- lookups -----------------------------------------------------------------------------------------
def _model(table: str):
    from core.audit.services import model_for_table
    return model_for_table(table)


def record_type_label(table: str | None) -> str:
    if not table:
        return ""
    from core.i18n import catalogue_texts, remembered
    return remembered(catalogue_texts(), ("record_type", table), lambda: _record_type_text(table))


def _record_type_text(table: str) -> str:
    cls = _model(table)
    label = getattr(cls, "__record_label__", None) if cls is not None else None
    label = label or _record_types.get(table)
    return str(label) if label else _("Other record")


def action_label(code: str | None) -> str:
    if not code:
        return ""
    from core.i18n import catalogue_texts, remembered
    return remembered(catalogue_texts(), ("action", code), lambda: _action_text(code))


def _action_text(code: str) -> str:
    label = _actions.get(code) or CORE_ACTIONS.get(code)
    return str(label) if label else _("Event")


def setting_label(key: str) -> str:
    label = _settings.get(key)
    return str(label) if label else _("Setting")


def has_setting_label(key: str) -> bool:
    return key in _settings


def field_label(cls, name: str | None) -> str:
    if not name:
        return ""
    from core.audit.tracking import tracked_labels
    labels = tracked_labels(cls) if cls is not None else {}
    if name in labels:
        return str(labels[name])
    column = getattr(getattr(cls, "__table__", None), "c", {}).get(name) if cls is not None else None
    if column is not None and column.info.get("label"):
        return str(column.info["label"])
    info = getattr(cls, "__field_labels__", None) or {}
    if name in info:
        return str(info[name])
    return _("Other field")


def value_label(cls, name: str | None, value) -> str | None:
    """The words for a stored value of field *name* (as the audit log keeps it: text or None)."""
    if value is None or value == "":
        return value
    mapping = (getattr(cls, "__value_labels__", None) or {}).get(name) if cls is not None else None
    if mapping is not None:
        if callable(mapping) and not isinstance(mapping, dict):
            mapping = mapping()
        if "," in str(value) and str(value) not in mapping:
            return "、".join(str(mapping.get(v.strip(), v.strip())) for v in str(value).split(","))
        if str(value) in mapping:
            return str(mapping[str(value)])
    if value in ("true", "True"):
        return _("Yes")
    if value in ("false", "False"):
        return _("No")
    return value


def snapshot_lines(cls, text: str | None) -> str | None:
    """A created/deleted record's JSON snapshot as readable ``field: value`` lines."""
    if not text:
        return text
    try:
        data = json.loads(text)
    except (TypeError, ValueError):
        return text
    if not isinstance(data, dict):
        return text
    parts = []
    for key, value in data.items():
        if value is None or value == "":
            continue
        parts.append(f"{field_label(cls, key)}: {value_label(cls, key, value)}")
    return "; ".join(parts)


def list_label(value) -> str:
    """A setting or other stored list as readable text (never ``['a', 'b']``)."""
    if isinstance(value, (list, tuple, set)):
        return "、".join(str(v) for v in value) if value else "—"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if value is None:
        return "—"
    return str(value)


def colon() -> str:
    """The colon of the interface language: full-width in Chinese text."""
    from flask_babel import get_locale
    locale = get_locale()
    return "：" if locale is not None and locale.language == "zh" else ": "


# what a plugin contributes through its context (Administration → Apps)
CONTRIBUTION_KINDS = {
    "api": _l("API"), "blueprint": _l("Pages"), "deadline_rule": _l("Time-limit rules"), "home_card": _l("Home cards"),
    "job": _l("Scheduled jobs"), "menu": _l("Menu entries"), "migrations": _l("Database migrations"),
    "pdf_loader": _l("Document loaders"), "pdf_template": _l("Document templates"), "permission": _l("Permissions"),
    "role": _l("Roles"), "seed_demo": _l("Demo data"), "seed_scale": _l("Volume test data"),
    "sequence": _l("Reference sequences"), "setting": _l("Settings"), "table": _l("Tables"),
    "receiver": _l("Signal receivers"), "sender": _l("Signal senders"), "translations": _l("Translations"),
    "kpi.measure": _l("KPI measures"), "kpi.default": _l("Default KPIs"), "kpi.hotspot_source": _l("Hotspot sources"),
    "kpi.chart": _l("Dashboard charts"), "cli": _l("Commands"), "signal": _l("Signals"), "point": _l("Extension points"),
    "record_access": _l("Record types"), "record_type": _l("Record types"), "tracked": _l("Tracked fields"),
}


def contribution_label(kind: str) -> str:
    label = CONTRIBUTION_KINDS.get(kind)
    if not label:    # a contribution point declares its own label (core/plugins/points.py)
        from flask import current_app
        point = current_app.extensions["concord"].points.get(kind)
        label = getattr(point, "label", None)
    return str(label) if label else _("Other contributions")


def rule_title(code: str | None) -> str:
    """A deadline rule's title (what the limit is for), never its code."""
    if not code:
        return ""
    try:
        from core.calendar.services import get_rule
        return str(get_rule(code).title) or _("Time limit")
    except Exception:  # a rule no longer declared (plugin removed)
        return _("Time limit")


def plugin_title(name: str | None) -> str:
    """An app's title in the interface language (its manifest's ``title`` / ``title_zh``)."""
    if not name:
        return ""
    from flask import current_app
    from flask_babel import get_locale
    host = current_app.extensions.get("concord")
    m = getattr(host, "available", {}).get(name) if host is not None else None
    if m is None:
        return _("Core") if name == "core" else name
    zh = str(get_locale() or "").startswith("zh")
    return m.title_zh if zh and getattr(m, "title_zh", None) else m.title


def sequence_label(code: str | None) -> str:
    """A reference sequence in words: the records it numbers (``petition.case`` numbers ``petition_case``)."""
    if not code:
        return ""
    label = _record_types.get(code.replace(".", "_"))
    cls = _model(code.replace(".", "_"))
    label = getattr(cls, "__record_label__", None) or label
    return _("%(what)s numbers", what=label) if label else _("Reference sequence")


# -- shared value lists (a code one plugin owns and another shows) ---------------------------------------
_enums: dict[str, dict] = {}
DEADLINE_STATUS = {"open": _l("open"), "met": _l("met"), "overdue": _l("overdue"), "paused": _l("paused")}


def register_enum(name: str, mapping: dict) -> None:
    """Share the labels of a value list (``register_enum("legal_channel", CHANNELS)``)."""
    _enums.setdefault(name, {}).update(mapping)


def enum_labels(name: str) -> dict[str, str]:
    return {k: str(v) for k, v in _enums.get(name, {}).items()}


def deadline_status(status: str | None) -> str:
    label = DEADLINE_STATUS.get(status or "")
    return str(label) if label else ""


def paren(text) -> str:
    """*text* in brackets of the interface language: （…） in Chinese, (…) in English."""
    return f"（{text}）" if colon() == "：" else f" ({text})"
