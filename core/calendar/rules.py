"""Deadline rules as data. Plugins declare them with ``ctx.deadline_rules([...])``; a province can
override a rule's length (and unit or extension) in ``instance/concord.toml``::

    [deadlines."petition.handle"]
    length = 30
    source = "浙江省信访条例 第二十三条"
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .engine import MAX_LENGTH, UNITS

_CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


class RuleError(ValueError):
    """An unknown rule code or a bad override (one line, safe to show)."""


@dataclass(frozen=True)
class DeadlineRule:
    """A statutory time limit: *length* units of *unit* from *start_event*, per *basis*."""

    code: str
    length: int
    unit: str  # calendar | working | months
    start_event: str
    extension: int | None = None  # the length a period may be extended by, if any
    basis: str = ""  # the legal clause, e.g. "信访工作条例 第三十四条"
    title: str = ""
    override_source: str | None = None  # set when a province override replaced the length
    default_length: int | None = None  # the national length when overridden

    def __post_init__(self):
        if not _CODE.match(self.code):
            raise RuleError(f"deadline rule code {self.code!r} must look like 'plugin.name'")
        if self.unit not in UNITS:
            raise RuleError(f"deadline rule {self.code}: unit must be one of {', '.join(UNITS)}")
        for label, value in (("length", self.length), ("extension", self.extension)):
            if value is None and label == "extension":
                continue
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_LENGTH[self.unit]:
                raise RuleError(f"deadline rule {self.code}: {label} must be a whole number from 1 to {MAX_LENGTH[self.unit]}")

    def as_dict(self) -> dict:
        return {"code": self.code, "length": self.length, "unit": self.unit,
                "start_event": self.start_event, "extension": self.extension, "basis": self.basis,
                "title": str(self.title), "override_source": self.override_source,
                "default_length": self.default_length}


def apply_override(rule: DeadlineRule, override: dict) -> DeadlineRule:
    """*rule* with a province override (keys length, unit, extension, source) applied."""
    if not isinstance(override, dict):
        raise RuleError(f"concord.toml: [deadlines.\"{rule.code}\"] must be a table")
    unknown = set(override) - {"length", "unit", "extension", "source"}
    if unknown:
        raise RuleError(f"concord.toml: [deadlines.\"{rule.code}\"] has unknown keys: {', '.join(sorted(unknown))}")
    source = override.get("source")
    if not isinstance(source, str) or not source.strip():
        raise RuleError(f"concord.toml: [deadlines.\"{rule.code}\"] needs a source (the provincial clause)")
    changes = {k: override[k] for k in ("length", "unit", "extension") if k in override}
    try:
        return replace(rule, **changes, override_source=source.strip(), default_length=rule.length)
    except RuleError as exc:
        raise RuleError(f"concord.toml: {exc}") from None


def effective_rules(declared: list[DeadlineRule], overrides: dict | None) -> dict[str, DeadlineRule]:
    """Every declared rule by code, province overrides applied. Overrides of codes no loaded plugin
    declares are ignored (a disabled plugin's rules): see ``unknown_overrides``."""
    rules = {r.code: r for r in declared}
    for code, override in _override_table(overrides).items():
        if code in rules:
            rules[code] = apply_override(rules[code], override)
    return dict(sorted(rules.items()))


def unknown_overrides(declared: list[DeadlineRule], overrides: dict | None) -> list[str]:
    """Codes overridden in concord.toml that no loaded plugin declares."""
    codes = {r.code for r in declared}
    return sorted(code for code in _override_table(overrides) if code not in codes)


def _override_table(overrides) -> dict:
    table = overrides.get("deadlines", {}) if isinstance(overrides, dict) else {}
    if not isinstance(table, dict):
        raise RuleError("concord.toml: [deadlines] must be a table of rule codes")
    return table
