"""The deadline engine (contract §3), pure: it answers from a ``WorkingCalendar`` index.

- The start day is not counted. N calendar days end on start + N; N months end on the same date
  N months later, or on that month's last day.
- A calendar or month period ending on a non-working day ends on the next working day; 调休
  make-up days are working days.
- N working days end on the N-th working day after the start day.
- A pause P1:P2 (inclusive) adds its calendar days to a calendar/month period before the roll
  forward; in a working-day period the working days inside the pause are not counted.
"""
from __future__ import annotations

import calendar as _cal
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterable

from .index import OutOfRange, WindowError, WorkingCalendar
from .statutory import FIRST_YEAR, LAST_YEAR

UNITS = ("calendar", "working", "months")
MAX_LENGTH = {"calendar": 36600, "working": 25000, "months": 1200}


class DeadlineInputError(ValueError):
    """Bad input to the engine (the message is one line, safe to show)."""


@dataclass(frozen=True)
class Result:
    due: date
    calendar_incomplete: bool
    explain: dict = field(default_factory=dict)


def add_months(day: date, months: int) -> date:
    """The same date *months* later, or that month's last day."""
    year, month0 = divmod(day.month - 1 + months, 12)
    year += day.year
    if day.day <= 28:
        return date(year, month0 + 1, day.day)
    return date(year, month0 + 1, min(day.day, _cal.monthrange(year, month0 + 1)[1]))


def normalise_pauses(pauses: Iterable[tuple[date, date]], start: int) -> list[tuple[int, int]]:
    """Pauses as sorted, merged ordinal intervals after the start day (earlier parts are dropped)."""
    spans = []
    for p1, p2 in pauses:
        if p2 < p1:
            raise DeadlineInputError(f"pause {p1.isoformat()}:{p2.isoformat()} ends before it starts")
        lo, hi = max(p1.toordinal(), start + 1), p2.toordinal()
        if lo <= hi:
            spans.append((lo, hi))
    merged: list[tuple[int, int]] = []
    for lo, hi in sorted(spans):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    return merged


def _iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


def _check(start: date, length: int, unit: str) -> None:
    if unit not in UNITS:
        raise DeadlineInputError(f"unknown unit {unit!r}; use calendar, working or months")
    if isinstance(length, bool) or not isinstance(length, int) or not 1 <= length <= MAX_LENGTH[unit]:
        raise DeadlineInputError(f"the length must be a whole number from 1 to {MAX_LENGTH[unit]}")
    if not FIRST_YEAR <= start.year <= LAST_YEAR:
        raise DeadlineInputError(f"dates must lie in the years {FIRST_YEAR}–{LAST_YEAR}")


def _calendar_period(cal: WorkingCalendar, start: date, length: int, unit: str,
                     pauses: list[tuple[int, int]], explain: bool) -> Result:
    s = start.toordinal()
    end = s + length if unit == "calendar" else add_months(start, length).toordinal()
    added = []
    for lo, hi in pauses:  # sorted and disjoint: each one can only push the end further
        if lo > end:
            break
        end += hi - lo + 1
        added.append((lo, hi))
    due = cal.next_working(end)
    info = {}
    if explain:
        info = {"end_before_roll": _iso(end),
                "skipped": [{"from": _iso(lo), "to": _iso(hi), "days": hi - lo + 1, "reason": "pause"}
                            for lo, hi in added],
                "rolled": [cal.reason(o) for o in range(end, due)]}
    return Result(date.fromordinal(due), cal.any_uncovered(end, due), info)


def _working_period(cal: WorkingCalendar, start: date, length: int,
                    pauses: list[tuple[int, int]], explain: bool) -> Result:
    s = start.toordinal()
    skip = 0
    due = cal.nth_working_after(s, length)
    used = []
    for lo, hi in pauses:  # sorted and disjoint: the working days inside each push the due day on
        if lo > due:
            break
        inside = cal.working_between(lo, hi)
        skip += inside
        due = cal.nth_working_after(s, length, skip)
        used.append((lo, hi, inside))
    info = {}
    if explain:
        info = {"skipped": _working_skips(cal, s, due, used), "rolled": []}
    return Result(date.fromordinal(due), cal.any_uncovered(s + 1, due), info)


def _working_skips(cal: WorkingCalendar, s: int, due: int, used: list) -> list[dict]:
    """Non-working days between the start and the due day, and the pauses, in date order."""
    items = [(lo, {"from": _iso(lo), "to": _iso(hi), "days": hi - lo + 1, "working_days": n,
                   "reason": "pause"}) for lo, hi, n in used]
    for o in cal.off_between(s + 1, due):
        if not any(lo <= o <= hi for lo, hi, _ in used):
            items.append((o, cal.reason(o)))
    return [item for _, item in sorted(items, key=lambda pair: pair[0])]


def compute(cal: WorkingCalendar, start: date, length: int, unit: str,
            pauses: Iterable[tuple[date, date]] = (), explain: bool = False) -> Result:
    """The due date of a period of *length* *unit*s from *start* (see the module docstring).
    May raise ``WindowError`` when *cal* is too narrow: use ``compute_with`` to widen it."""
    _check(start, length, unit)
    spans = normalise_pauses(pauses, start.toordinal()) if pauses else []
    if unit == "working":
        result = _working_period(cal, start, length, spans, explain)
    else:
        result = _calendar_period(cal, start, length, unit, spans, explain)
    if explain:
        result.explain.update({"start": start.isoformat(), "length": length, "unit": unit,
                               "due": result.due.isoformat()})
    return result


def compute_with(get_calendar: Callable[[int, int], WorkingCalendar], start: date, length: int,
                 unit: str, pauses: Iterable[tuple[date, date]] = (), explain: bool = False) -> Result:
    """``compute`` with a calendar from ``get_calendar(lo_year, hi_year)``, widened on demand."""
    pauses = list(pauses)
    cal = get_calendar(start.year, start.year + 1)
    for _ in range(40):
        try:
            return compute(cal, start, length, unit, pauses, explain)
        except WindowError as exc:
            if exc.lo_year < FIRST_YEAR or exc.hi_year > LAST_YEAR:
                raise DeadlineInputError(f"dates must lie in the years {FIRST_YEAR}–{LAST_YEAR}") from None
            try:
                cal = get_calendar(min(exc.lo_year, cal.lo_year), max(exc.hi_year, cal.hi_year))
            except OutOfRange as err:
                raise DeadlineInputError(str(err)) from None
    raise DeadlineInputError("the period is too long to compute")  # pragma: no cover
