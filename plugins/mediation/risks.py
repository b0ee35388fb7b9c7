"""Risk levels, configurable in the settings (``mediation.risk_*``): which levels exist (most severe first),
their labels and colours, and which levels alert which tiers at once.

Red always exists and always alerts the town and the district at once, whatever the settings say
(issue 7: "red alerts the town and district at once"); the settings can add tiers or alerts, never
remove that one.
"""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

RISKS = {"red": _l("Red"), "orange": _l("Orange"), "yellow": _l("Yellow"), "green": _l("Green")}  # default labels

DEFAULT_LEVELS = ["red", "orange", "yellow", "green"]
DEFAULT_COLOURS = ["red=#f5a3a3", "orange=#f8c98a", "yellow=#f6e58d", "green=#a8e0b0"]
DEFAULT_ALERTS = ["red=town+district"]
SETTINGS = {"risk_levels": DEFAULT_LEVELS, "risk_labels": [], "risk_colours": DEFAULT_COLOURS,
            "risk_alerts": DEFAULT_ALERTS}
TIERS = {"village": "village", "town": "town", "district": "county"}   # tier → core region level
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,9}$")
_COLOUR = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")
FALLBACK_COLOUR = "#dddddd"


def _read(key: str):
    from core.toolkit import setting as get
    try:
        return get(f"mediation.{key}")
    except (KeyError, RuntimeError):
        return SETTINGS[key]


def _setting(key: str) -> list[str]:
    """The setting's entries; read once per request (a list page labels every row's risk)."""
    from flask import g, has_request_context
    if has_request_context():
        cache = g.setdefault("_mediation_risk_settings", {})
        if key not in cache:
            cache[key] = _read(key)
        value = cache[key]
    else:
        value = _read(key)
    if isinstance(value, str):
        value = [v.strip() for v in value.replace("，", ",").split(",")]
    return [str(v).strip() for v in (value or []) if str(v).strip()]


def _pairs(key: str) -> dict[str, str]:
    """``code=value`` entries of a setting, parsed once per request (a list page asks for every row's label)."""
    from flask import g, has_request_context
    if not has_request_context():
        return _parse_pairs(key)
    cache = g.setdefault("_mediation_risk_pairs", {})
    if key not in cache:
        cache[key] = _parse_pairs(key)
    return cache[key]


def _parse_pairs(key: str) -> dict[str, str]:
    out = {}
    for entry in _setting(key):
        code, sep, value = entry.partition("=")
        if sep and _CODE.match(code.strip()) and value.strip():
            out[code.strip()] = value.strip()
    return out


def codes() -> list[str]:
    """The configured level codes, most severe first (red is always one of them)."""
    out = []
    for code in _setting("risk_levels"):
        if _CODE.match(code) and code not in out:
            out.append(code)
    if "red" not in out:
        out.insert(0, "red")
    return out


def label(code: str) -> str:
    from core.toolkit import remembered, texts_memo
    return remembered(texts_memo(), ("mediation.risk", code), lambda: _label(code))


def _label(code: str) -> str:
    custom = _pairs("risk_labels").get(code)
    if custom:
        return custom[:40]
    return str(RISKS.get(code, code))


def colour(code: str) -> str:
    value = _pairs("risk_colours").get(code, "")
    return value if _COLOUR.match(value) else FALLBACK_COLOUR


def levels() -> dict[str, str]:
    """code → label, in the configured order."""
    return {code: label(code) for code in codes()}


def all_labels() -> dict[str, str]:
    """code → label of every level a dispute may hold: the configured ones and the built-in ones (a level no
    longer configured still reads in words). Kept per language until a setting changes: do not change it."""
    from core.toolkit import remembered, settings_texts
    return remembered(settings_texts(), ("mediation.risk", "all"),
                      lambda: {code: label(code) for code in [*RISKS, *codes()]})


def choices() -> list[tuple[str, str]]:
    return list(levels().items())


def alert_tiers(code: str) -> list[str]:
    """The tiers (village, town, district) alerted at once when an item is logged at *code* or raised to it."""
    tiers = set()
    for entry_code, value in _pairs("risk_alerts").items():
        if entry_code == code:
            tiers |= {t.strip() for t in value.split("+") if t.strip() in TIERS}
    if code == "red":
        tiers |= {"town", "district"}
    return [t for t in TIERS if t in tiers]


def alerting_codes() -> list[str]:
    return [c for c in codes() if alert_tiers(c)]
