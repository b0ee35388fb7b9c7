"""A precomputed working-day index over whole years: built once per holiday-table revision, then
every question is answered by list look-ups — the sorted ordinals of working days and prefix counts
of working (and uncovered) days — so no call walks the calendar day by day."""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date
from typing import Callable, Iterable

from .statutory import FIRST_YEAR, LAST_YEAR, statutory_holidays

WORKDAY, WEEKEND, HOLIDAY, MAKEUP = 0, 1, 2, 3  # kinds of day
WORKING_KINDS = (WORKDAY, MAKEUP)
WEEKEND_NAME = ""


class WindowError(LookupError):
    """A computation needs days outside the index's years; rebuild with ``lo_year``..``hi_year``."""

    def __init__(self, lo_year: int, hi_year: int):
        super().__init__(f"years {lo_year}–{hi_year} needed")
        self.lo_year, self.hi_year = lo_year, hi_year


class OutOfRange(ValueError):
    """A date outside the years the engine supports at all."""


def year_of(ordinal: int) -> int:
    return date.fromordinal(ordinal).year


class WorkingCalendar:
    """Immutable classification of every day of the years ``lo_year``..``hi_year``.

    ``kinds[i]`` is the kind of day ``first + i``; ``work``/``off`` are the sorted ordinals of
    working and non-working days; ``names`` maps holiday and make-up ordinals to their names;
    ``uncovered`` lists the years classified by the statutory fallback instead of the table.
    """

    def __init__(self, lo_year: int, hi_year: int, kinds: bytearray, names: dict[int, str],
                 covered: frozenset[int], entries: tuple = ()):
        self.lo_year, self.hi_year = lo_year, hi_year
        self.first = date(lo_year, 1, 1).toordinal()
        self.last = date(hi_year, 12, 31).toordinal()
        self.kinds = kinds
        self.names = names
        self.covered = covered
        self.uncovered = frozenset(y for y in range(lo_year, hi_year + 1) if y not in covered)
        self.entries = entries  # what it was built from, to rebuild a wider window
        self.work = [self.first + i for i, k in enumerate(kinds) if k in WORKING_KINDS]
        self.off = [self.first + i for i, k in enumerate(kinds) if k not in WORKING_KINDS]
        # prefix counts: cum_work[i] = working days among the first i days of the window, so
        # "how many working days up to day o" is one list look-up instead of a binary search
        self.cum_work = _prefix(k in WORKING_KINDS for k in kinds)
        flags = bytearray(len(kinds))
        for year in self.uncovered:
            a, b = date(year, 1, 1).toordinal() - self.first, date(year, 12, 31).toordinal() - self.first
            flags[a:b + 1] = b"\x01" * (b - a + 1)
        self.cum_uncovered = _prefix(flags)

    # -- building --------------------------------------------------------------------------------
    @classmethod
    def build(cls, entries: Iterable[tuple[date, str, str]], covered: Iterable[int], lo_year: int,
              hi_year: int, fallback: Callable[[int], dict] = statutory_holidays) -> "WorkingCalendar":
        """*entries*: (date, "holiday"|"workday", name) rows of the holiday table; *covered*: the
        years the table covers. Uncovered years get weekends plus *fallback(year)* holidays."""
        lo_year, hi_year = max(lo_year, FIRST_YEAR), min(hi_year, LAST_YEAR)
        entries = tuple(entries)
        covered = frozenset(covered)
        first = date(lo_year, 1, 1).toordinal()
        n = date(hi_year, 12, 31).toordinal() - first + 1
        kinds = _weekend_pattern(first, n)
        names: dict[int, str] = {}
        for year in range(lo_year, hi_year + 1):
            if year in covered:
                continue
            for day, name in fallback(year).items():
                kinds[day.toordinal() - first] = HOLIDAY
                names[day.toordinal()] = name
        for day, kind, name in entries:
            o = day.toordinal()
            if first <= o < first + n:
                kinds[o - first] = HOLIDAY if kind == "holiday" else MAKEUP
                names[o] = name
        return cls(lo_year, hi_year, kinds, names, covered, entries)

    def widened(self, lo_year: int, hi_year: int) -> "WorkingCalendar":
        """The same calendar over at least ``lo_year``..``hi_year``."""
        if lo_year < FIRST_YEAR or hi_year > LAST_YEAR:
            raise OutOfRange(f"dates must lie in the years {FIRST_YEAR}–{LAST_YEAR}")
        return WorkingCalendar.build(self.entries, self.covered, min(lo_year, self.lo_year),
                                     max(hi_year, self.hi_year))

    # -- questions -------------------------------------------------------------------------------
    def _need(self, lo: int, hi: int) -> None:
        if lo < self.first or hi > self.last:
            lo_year = min(year_of(lo), self.lo_year) if lo >= 1 else FIRST_YEAR - 1
            hi_year = max(year_of(hi), self.hi_year) if hi <= date.max.toordinal() else LAST_YEAR + 1
            raise WindowError(lo_year, hi_year)

    def kind(self, ordinal: int) -> int:
        self._need(ordinal, ordinal)
        return self.kinds[ordinal - self.first]

    def is_working(self, day: date) -> bool:
        return self.kind(day.toordinal()) in WORKING_KINDS

    def reason(self, ordinal: int) -> dict:
        """Why a day is not a working day (or what makes it one): for the explanation."""
        kind = self.kind(ordinal)
        label = {WORKDAY: "workday", WEEKEND: "weekend", HOLIDAY: "holiday", MAKEUP: "makeup_workday"}[kind]
        out = {"date": date.fromordinal(ordinal).isoformat(), "reason": label}
        if ordinal in self.names:
            out["name"] = self.names[ordinal]
        if year_of(ordinal) in self.uncovered:
            out["estimated"] = True
        return out

    def nth_working_after(self, ordinal: int, n: int, skip: int = 0) -> int:
        """The ordinal of the n-th working day after *ordinal* (``skip`` more working days on)."""
        if ordinal < self.first or ordinal > self.last:
            self._need(ordinal, ordinal)
        index = self.cum_work[ordinal - self.first + 1] + n - 1 + skip
        if index >= len(self.work):
            raise WindowError(self.lo_year, self.hi_year + 5)
        return self.work[index]

    def working_between(self, lo: int, hi: int) -> int:
        """How many working days lie in lo..hi (inclusive)."""
        self._need(lo, hi)
        return max(0, self.cum_work[hi - self.first + 1] - self.cum_work[lo - self.first])

    def next_working(self, ordinal: int) -> int:
        """*ordinal* itself if it is a working day, else the next working day."""
        if ordinal < self.first or ordinal > self.last:
            self._need(ordinal, ordinal)
        index = self.cum_work[ordinal - self.first]
        if index >= len(self.work):
            raise WindowError(self.lo_year, self.hi_year + 5)
        return self.work[index]

    def off_between(self, lo: int, hi: int) -> list[int]:
        """The non-working days in lo..hi (inclusive), sorted."""
        self._need(lo, hi)
        return self.off[bisect_left(self.off, lo):bisect_right(self.off, hi)]

    def any_uncovered(self, lo: int, hi: int) -> bool:
        """Whether a day in lo..hi lies in a year the holiday table does not cover."""
        if hi < lo:
            return False
        self._need(lo, hi)
        return self.cum_uncovered[hi - self.first + 1] > self.cum_uncovered[lo - self.first]


def _prefix(flags) -> list[int]:
    """Running totals: out[i] = sum of the first i flags."""
    out, total = [0], 0
    for flag in flags:
        total += flag
        out.append(total)
    return out


def _weekend_pattern(first: int, n: int) -> bytearray:
    """Saturdays and Sundays marked WEEKEND, every other day WORKDAY."""
    kinds = bytearray(n)
    for weekday in (5, 6):
        offset = (weekday - date.fromordinal(first).weekday()) % 7
        count = len(range(offset, n, 7))
        kinds[offset::7] = bytes([WEEKEND]) * count
    return kinds
