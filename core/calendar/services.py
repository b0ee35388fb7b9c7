"""Rules and computations for the rest of Concord (CLI, API, plugins).

    from core.calendar.services import compute_rule, get_rule
    compute_rule("petition.handle", date(2026, 8, 3))["due"]      # "2026-10-08"
"""
from __future__ import annotations

from datetime import date
from typing import Iterable

from flask import current_app

from . import cache
from .engine import DeadlineInputError, Result, compute_with
from .rules import DeadlineRule, RuleError, effective_rules, unknown_overrides


def declared_rules() -> list[DeadlineRule]:
    return current_app.extensions["concord"].values("deadline_rule")


def rules() -> dict[str, DeadlineRule]:
    """Every rule by code, with the province overrides of ``instance/concord.toml`` applied."""
    return effective_rules(declared_rules(), current_app.config.get("PROVINCE_OVERRIDES"))


def override_warnings() -> list[str]:
    return [f"concord.toml overrides {code}, which no loaded plugin declares"
            for code in unknown_overrides(declared_rules(), current_app.config.get("PROVINCE_OVERRIDES"))]


def get_rule(code: str) -> DeadlineRule:
    rule = rules().get(code)
    if rule is None:
        raise RuleError(f"unknown deadline rule {code!r} (see `concord deadline rules`)")
    return rule


def period_length(rule: DeadlineRule, extended: bool = False) -> int:
    """The rule's length, plus its extension when *extended*."""
    if extended and not rule.extension:
        raise RuleError(f"deadline rule {rule.code} has no extension")
    return rule.length + ((rule.extension or 0) if extended else 0)


def compute(start: date, length: int, unit: str, pauses: Iterable[tuple[date, date]] = (),
            explain: bool = False, get_calendar=None) -> Result:
    """The engine on the official calendar (the holiday table, cached per revision)."""
    return compute_with(get_calendar or cache.get_calendar, start, length, unit, pauses, explain)


def result_dict(result: Result, rule: DeadlineRule | None, start: date, length: int, unit: str,
                pauses: Iterable[tuple[date, date]] = (), extended: bool = False) -> dict:
    """The JSON shape of contract §3 (due, calendar_incomplete, rule, basis) plus the details."""
    out = {"due": result.due.isoformat(), "calendar_incomplete": result.calendar_incomplete,
           "rule": rule.code if rule else None, "basis": rule.basis if rule else None,
           "start": start.isoformat(), "length": length, "unit": unit,
           "pauses": [[a.isoformat(), b.isoformat()] for a, b in pauses]}
    if rule is not None:
        out.update({"title": str(rule.title), "extended": extended,
                    "override_source": rule.override_source})
    if result.explain:
        out["explain"] = result.explain
    return out


def compute_rule(code: str, start: date, pauses: Iterable[tuple[date, date]] = (),
                 extended: bool = False, explain: bool = False) -> dict:
    """Compute a named rule from *start*; returns the contract's JSON shape."""
    rule = get_rule(code)
    length, pauses = period_length(rule, extended), list(pauses)
    result = compute(start, length, rule.unit, pauses, explain)
    return result_dict(result, rule, start, length, rule.unit, pauses, extended)


def compute_days(start: date, length: int, unit: str, pauses: Iterable[tuple[date, date]] = (),
                 explain: bool = False) -> dict:
    """Compute an ad-hoc period (no rule)."""
    pauses = list(pauses)
    return result_dict(compute(start, length, unit, pauses, explain), None, start, length, unit, pauses)


def is_working_day(day: date) -> bool:
    """Whether *day* is a working day on the official calendar."""
    cal = cache.get_calendar(day.year, day.year)
    return cal.is_working(day)


__all__ = ["DeadlineInputError", "RuleError", "compute", "compute_days", "compute_rule", "get_rule",
           "is_working_day", "rules"]
